#pragma once
/// @file
/// @brief The profiles app's model: Profile, one per user.

#include <cstdint>
#include <string>

#include "db/model.hpp"

namespace ocl::profiles {

/// @brief The description of profiles.Profile (table profiles_profile).
const db::Model& profile_model();

/// @brief A profile with the user fields the public profile page shows.
struct Profile {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string favorite_city;
};

}  // namespace ocl::profiles
