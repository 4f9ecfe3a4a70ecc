#pragma once
/// @file
/// @brief The lettings pages: the list and one letting's page.

#include <span>

#include "app/services.hpp"
#include "http/context.hpp"
#include "lettings/repository.hpp"
#include "templates/engine.hpp"

namespace ocl::lettings {

/// @brief Template data for the list page (pure: unit-tested and benchmarked without a server).
templates::Data index_data(std::span<const LettingSummary> lettings, const http::Router& router);
/// @brief Template data for one letting's page.
templates::Data letting_data(const Letting& letting, const http::Router& router);

/// @brief GET /lettings/
http::Response index(const app::Services& services, http::Context& context);
/// @brief GET /lettings/<int:letting_id>/ ; 404 when there is no such letting.
http::Response letting(const app::Services& services, http::Context& context);

}  // namespace ocl::lettings
