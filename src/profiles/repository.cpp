#include "profiles/repository.hpp"

namespace ocl::profiles {

std::vector<std::string> ProfileRepository::list_usernames(std::int64_t limit, std::int64_t offset) {
  // Profiles are read in their table's rowid order (no sort); each user is looked up by primary key
  // in a scalar subquery, which SQLite evaluates only for the rows of the page, not for those the
  // OFFSET skips. (user_id is NOT NULL and references auth_user, so the lookup always finds one.)
  const auto result = connection_.query(
      "SELECT (SELECT u.username FROM auth_user AS u WHERE u.id = p.user_id) FROM profiles_profile AS p "
      "ORDER BY p.id LIMIT ? OFFSET ?",
      {limit, offset});
  std::vector<std::string> usernames;
  usernames.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    usernames.push_back(row.text(0));
  }
  return usernames;
}

std::optional<Profile> ProfileRepository::find(const std::string& username) {
  const auto result = connection_.query(
      "SELECT p.id, p.user_id, u.username, u.first_name, u.last_name, u.email, p.favorite_city "
      "FROM profiles_profile AS p JOIN auth_user AS u ON u.id = p.user_id WHERE u.username = ?",
      {username});
  if (result.empty()) {
    return std::nullopt;
  }
  const auto& row = result.rows.front();
  return Profile{.id = row.integer(0),
                 .user_id = row.integer(1),
                 .username = row.text(2),
                 .first_name = row.text(3),
                 .last_name = row.text(4),
                 .email = row.text(5),
                 .favorite_city = row.text(6)};
}

}  // namespace ocl::profiles
