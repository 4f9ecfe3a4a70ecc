#pragma once
/// @file
/// @brief The admin views, one set for every registered model (Django's AdminSite and ModelAdmin views).

#include <cstdint>
#include <vector>

#include "admin/model_admin.hpp"
#include "app/services.hpp"
#include "auth/guard.hpp"
#include "http/context.hpp"

namespace ocl::admin {

/// @brief /admin/: the apps and models the user may see, and their recent actions.
http::Response index_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request);
/// @brief `/admin/<app_label>/`: one app's models.
http::Response app_index_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                              std::string_view app_label);
/// @brief `/admin/<app>/<model>/`: the change list (GET) and its actions (POST).
http::Response changelist_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                               const ModelAdmin& admin);
/// @brief `/admin/<app>/<model>/add/`.
http::Response add_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                        const ModelAdmin& admin);
/// @brief `/admin/<app>/<model>/<pk>/change/`: editable with the change permission, read-only with only view.
http::Response change_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                           const ModelAdmin& admin);
/// @brief `/admin/<app>/<model>/<pk>/delete/`: confirmation (GET) and deletion (POST).
http::Response delete_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                           const ModelAdmin& admin);
/// @brief `/admin/<app>/<model>/<pk>/history/`.
http::Response history_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                            const ModelAdmin& admin);

/// @brief /admin/auth/user/add/: username and password twice (Django's UserCreationForm).
http::Response user_add_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                             const ModelAdmin& admin);
/// @brief `/admin/auth/user/<pk>/password/`: sets a user's password (Django's AdminPasswordChangeForm).
http::Response user_password_view(const app::Services& services, http::Context& context,
                                  const auth::AdminRequest& request, const ModelAdmin& admin);

/// @brief The "delete selected" action: confirmation page, or the deletion once confirmed (post=yes).
http::Response delete_selected(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                               const ModelAdmin& admin, const std::vector<std::int64_t>& ids,
                               const http::QueryParams& post);

}  // namespace ocl::admin
