#pragma once
/// @file
/// @brief Reading and updating auth_user rows, and the permissions a user holds.

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "auth/models.hpp"
#include "db/connection.hpp"

namespace ocl::auth {

/// @brief The user with this id, or nullopt.
std::optional<User> find_user(db::Connection& connection, std::int64_t id);

/// @brief The user with exactly this username (case-sensitive, as Django's ModelBackend), or nullopt.
std::optional<User> find_user_by_username(db::Connection& connection, std::string_view username);

/// @brief "app_label.codename" of every permission the user holds directly or through a group.
std::set<std::string> user_permissions(db::Connection& connection, std::int64_t user_id);

/// @brief Stores a new password hash for the user.
void set_password_hash(db::Connection& connection, std::int64_t user_id, std::string_view password_hash);

/// @brief Sets last_login to `now` (Django's update_last_login signal handler).
void update_last_login(db::Connection& connection, std::int64_t user_id, std::chrono::system_clock::time_point now);

/// @brief The fields of a new user.
struct NewUser {
  std::string username;
  std::string email;
  std::string password_hash;
  bool is_staff = false;
  bool is_superuser = false;
};

/// @brief Inserts a user (active, no names, joined `now`); returns its id. Throws db::ConstraintError for a
/// username that is taken.
std::int64_t insert_user(db::Connection& connection, const NewUser& user, std::chrono::system_clock::time_point now);

}  // namespace ocl::auth
