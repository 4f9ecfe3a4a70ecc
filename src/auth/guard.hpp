#pragma once
/// @file
/// @brief What an admin view knows about the signed-in operator, and the wrapper that
/// enforces sign-in, staff status and CSRF before an admin view runs.

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "app/services.hpp"
#include "http/context.hpp"

namespace ocl::auth {

/// @brief The signed-in user of an admin request, with every permission they hold.
struct CurrentUser {
  std::int64_t id = 0;
  std::string username;
  bool is_active = false;
  bool is_staff = false;
  bool is_superuser = false;
  std::set<std::string> permissions;  ///< "app_label.codename" from the user's own and their groups' permissions

  /// @brief Django's has_perm: superusers (if active) hold every permission.
  [[nodiscard]] bool has_perm(std::string_view app_label, std::string_view codename) const {
    if (!is_active) {
      return false;
    }
    return is_superuser || permissions.contains(std::string(app_label) + "." + std::string(codename));
  }
  /// @brief True when the user holds any of add/change/delete/view for the model.
  [[nodiscard]] bool has_module_perms(std::string_view app_label, std::string_view model_name) const {
    for (const auto* action : {"add_", "change_", "delete_", "view_"}) {
      if (has_perm(app_label, std::string(action) + std::string(model_name))) {
        return true;
      }
    }
    return false;
  }
};

/// @brief An admin request that passed the guard: the user, and the CSRF token forms must carry.
struct AdminRequest {
  CurrentUser user;
  std::string csrf_token;  ///< put in every form as `<input type="hidden" name="csrfmiddlewaretoken">`
  /// @brief The django_session row of this sign-in (a password change moves it to a new row).
  std::string session_key;
};

/// @brief An admin view: runs only for an active staff user; on POST only with a valid CSRF token.
using AdminView = std::function<http::Response(http::Context&, const AdminRequest&)>;

/// @brief Wraps an admin view: anonymous -> 302 to `/admin/login/?next=<path>`; signed in but not
/// active staff -> the login page again; unsafe method without a valid CSRF token -> 403 page; adds
/// X-Frame-Options: DENY, a Content-Security-Policy, Cache-Control: private and the csrftoken cookie.
http::Handler require_staff(const app::Services& services, AdminView view);

}  // namespace ocl::auth
