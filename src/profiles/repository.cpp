#include "profiles/repository.hpp"

namespace ocl::profiles {

std::vector<std::string> ProfileRepository::list_usernames() {
  const auto result = connection_.query(
      "SELECT u.username FROM profiles_profile AS p JOIN auth_user AS u ON u.id = p.user_id ORDER BY p.id");
  std::vector<std::string> usernames;
  usernames.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    usernames.push_back(row.text(0));
  }
  return usernames;
}

std::optional<ProfileDetail> ProfileRepository::find(const std::string& username) {
  const auto result = connection_.query(
      "SELECT u.username, u.first_name, u.last_name, u.email, p.favorite_city "
      "FROM profiles_profile AS p JOIN auth_user AS u ON u.id = p.user_id WHERE u.username = ?",
      {username});
  if (result.empty()) {
    return std::nullopt;
  }
  const auto& row = result.rows.front();
  return ProfileDetail{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4)};
}

}  // namespace ocl::profiles
