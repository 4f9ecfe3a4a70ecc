#pragma once
/// @file
/// @brief The admin's authentication pages: log in, log out, change password.

#include "app/services.hpp"
#include "http/router.hpp"

namespace ocl::auth {

/// @brief Registers admin:login, admin:logout, admin:password_change and admin:password_change_done. Register them
/// before the admin's generic `/admin/<app_label>/` routes. `services` must outlive the router.
void add_routes(http::Router& router, const app::Services& services);

}  // namespace ocl::auth
