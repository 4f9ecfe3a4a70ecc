#pragma once
/// @file
/// @brief The lettings pages: the list and one letting's page.

#include "app/services.hpp"
#include "http/context.hpp"
#include "lettings/repository.hpp"
#include "site/pagination.hpp"
#include "templates/engine.hpp"

namespace ocl::lettings {

/// @brief Template data for one page of the list (pure: unit-tested and benchmarked without a server).
templates::Data index_data(const site::Page<LettingSummary>& page, const http::Router& router);
/// @brief Template data for one letting's page.
templates::Data letting_data(const Letting& letting, const http::Router& router);

/// @brief GET /lettings/?page=N : 50 lettings a page; 404 for a page that is not a number or past the end.
http::Response index(const app::Services& services, http::Context& context);
/// @brief GET /lettings/<int:letting_id>/ ; 404 when there is no such letting.
http::Response letting(const app::Services& services, http::Context& context);

}  // namespace ocl::lettings
