#pragma once
/// @file
/// @brief Reads profiles and their users for the public pages (prepared statements only).

#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace ocl::profiles {

/// @brief A profile's page: the user's identity and favorite city.
struct ProfileDetail {
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string favorite_city;
};

/// @brief Queries over profiles_profile joined with auth_user, on a borrowed connection.
class ProfileRepository {
 public:
  explicit ProfileRepository(db::Connection& connection) : connection_(connection) {}

  /// @brief Every profile's username, in profile primary-key order.
  [[nodiscard]] std::vector<std::string> list_usernames();
  /// @brief The profile of `username` (exact, case-sensitive match), or nullopt.
  [[nodiscard]] std::optional<ProfileDetail> find(const std::string& username);

 private:
  db::Connection& connection_;
};

}  // namespace ocl::profiles
