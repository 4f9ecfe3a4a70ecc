#pragma once
/// @file
/// @brief What every admin page shares: the layout data (user tools, breadcrumbs, CSRF token) and
/// the permission checks Django's ModelAdmin makes.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "admin/model_admin.hpp"
#include "app/services.hpp"
#include "auth/guard.hpp"
#include "http/context.hpp"
#include "templates/engine.hpp"

namespace ocl::admin {

/// @brief A breadcrumb: its label and link ("" for the current page).
using Crumb = std::pair<std::string, std::string>;

/// @brief Layout data: title, signed-in user, CSRF token and breadcrumbs after "Home".
templates::Data admin_page_data(std::string_view title, const auth::AdminRequest& request,
                                const std::vector<Crumb>& crumbs);

/// @brief Breadcrumbs down to a model's change list: app, then model.
std::vector<Crumb> model_crumbs(const ModelAdmin& admin);

/// @brief Renders an admin template into an HTML response.
http::Response render_admin(const app::Services& services, const http::Context& context, std::string_view name,
                            const templates::Data& data, http::Status status = http::Status::ok);

/// @brief Django's ModelAdmin permission checks.
struct Permissions {
  bool add = false;
  bool change = false;
  bool remove = false;
  bool view = false;  ///< view or change: may see the change list and objects
};

/// @brief What the user may do with the admin's model.
Permissions permissions_for(const auth::CurrentUser& user, const ModelAdmin& admin);

/// @brief Throws the 403 error unless `allowed`.
void require(bool allowed);

/// @brief Text for a template section: false when empty (Mustache treats "" as true).
templates::Data optional_text(const std::string& text);

/// @brief A boolean for templates.
templates::Data flag(bool value);

}  // namespace ocl::admin
