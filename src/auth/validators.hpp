#pragma once
/// @file
/// @brief Django's default password validators, with Django's messages.

#include <string>
#include <string_view>
#include <vector>

namespace ocl::auth {

/// @brief The user attributes a password must not resemble.
struct UserAttributes {
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string email;
};

/// @brief Every problem with `password`, in Django's order: too similar to an attribute, shorter than 8
/// characters, common, entirely numeric. Empty when the password is acceptable.
std::vector<std::string> validate_password(std::string_view password, const UserAttributes& user);

/// @brief difflib.SequenceMatcher(a, b).quick_ratio(): 2 * (characters in common, with multiplicity) / total length.
double quick_ratio(std::u32string_view left, std::u32string_view right);

/// @brief True when `password` (case-insensitively, surrounding spaces ignored) is in the shipped list.
bool is_common_password(std::string_view password);

/// @brief How many passwords the shipped list holds.
std::size_t common_password_count();

}  // namespace ocl::auth
