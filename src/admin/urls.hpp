#pragma once
/// @file
/// @brief The admin's URLs, Django's names and paths, every view behind auth::require_staff.

#include "app/services.hpp"
#include "http/router.hpp"

namespace ocl::admin {

/// @brief Registers admin:index, one app index per app and, per registered model, Django's
/// `admin:<app>_<model>_changelist/_add/_change/_delete/_history` routes. Only literal app and model
/// segments are registered, so the authentication pages under /admin/ are never shadowed.
void add_routes(http::Router& router, const app::Services& services);

}  // namespace ocl::admin
