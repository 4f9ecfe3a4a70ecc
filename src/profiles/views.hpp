#pragma once
/// @file
/// @brief The profiles pages: the list and one user's profile.

#include <string>

#include "app/services.hpp"
#include "http/context.hpp"
#include "profiles/repository.hpp"
#include "site/pagination.hpp"
#include "templates/engine.hpp"

namespace ocl::profiles {

/// @brief Template data for one page of the list (pure: unit-tested and benchmarked without a server).
templates::Data index_data(const site::Page<std::string>& page, const http::Router& router);
/// @brief Template data for one profile's page.
templates::Data profile_data(const Profile& profile, const http::Router& router);

/// @brief GET /profiles/?page=N : 50 profiles a page; 404 for a page that is not a number or past the end.
http::Response index(const app::Services& services, http::Context& context);
/// @brief GET /profiles/<str:username>/ ; 404 when there is no such profile.
http::Response profile(const app::Services& services, http::Context& context);

}  // namespace ocl::profiles
