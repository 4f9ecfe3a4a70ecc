#pragma once
/// @file
/// @brief The lettings routes, including 301s from the Django site's old detail URLs.

#include "app/services.hpp"
#include "http/router.hpp"

namespace ocl::lettings {

/// @brief Registers /lettings/ routes; `services` must outlive the router.
void add_routes(http::Router& router, const app::Services& services);

}  // namespace ocl::lettings
