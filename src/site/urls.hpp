#pragma once
/// @file
/// @brief The site-wide routes (home, health, static, /sentry-debug/).

#include "app/services.hpp"
#include "http/router.hpp"

namespace ocl::site {

/// @brief Registers the site-wide routes; `services` must outlive the router.
void add_routes(http::Router& router, const app::Services& services);

}  // namespace ocl::site
