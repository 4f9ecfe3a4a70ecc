#pragma once
/// @file
/// @brief Reads profiles and their users for the public pages (prepared statements only).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "profiles/models.hpp"

namespace ocl::profiles {

/// @brief Queries over profiles_profile joined with auth_user, on a borrowed connection.
class ProfileRepository {
 public:
  explicit ProfileRepository(db::Connection& connection) : connection_(connection) {}

  /// @brief At most `limit` usernames in profile primary-key order, skipping the first `offset`.
  [[nodiscard]] std::vector<std::string> list_usernames(std::int64_t limit, std::int64_t offset);
  /// @brief The profile of `username` (exact, case-sensitive match), or nullopt.
  [[nodiscard]] std::optional<Profile> find(const std::string& username);

 private:
  db::Connection& connection_;
};

}  // namespace ocl::profiles
