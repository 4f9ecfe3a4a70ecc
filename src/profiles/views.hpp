#pragma once
/// @file
/// @brief The profiles pages: the list and one user's profile.

#include <span>
#include <string>

#include "app/services.hpp"
#include "http/context.hpp"
#include "profiles/repository.hpp"
#include "templates/engine.hpp"

namespace ocl::profiles {

/// @brief Template data for the list page (pure: unit-tested and benchmarked without a server).
templates::Data index_data(std::span<const std::string> usernames, const http::Router& router);
/// @brief Template data for one profile's page.
templates::Data profile_data(const Profile& profile, const http::Router& router);

/// @brief GET /profiles/
http::Response index(const app::Services& services, http::Context& context);
/// @brief GET /profiles/<str:username>/ ; 404 when there is no such profile.
http::Response profile(const app::Services& services, http::Context& context);

}  // namespace ocl::profiles
