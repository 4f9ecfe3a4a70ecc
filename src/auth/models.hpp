#pragma once
/// @file
/// @brief The models of Django's built-in apps the site keeps: auth, contenttypes, sessions and admin.

#include <cstdint>
#include <optional>
#include <string>

#include "db/model.hpp"

namespace ocl::auth {

/// @brief The description of contenttypes.ContentType (table django_content_type).
const db::Model& content_type_model();
/// @brief The description of auth.Permission (table auth_permission).
const db::Model& permission_model();
/// @brief The description of auth.Group (table auth_group, permissions through auth_group_permissions).
const db::Model& group_model();
/// @brief The description of auth.User (table auth_user, groups and permissions through join tables).
const db::Model& user_model();
/// @brief The description of sessions.Session (table django_session).
const db::Model& session_model();
/// @brief The description of admin.LogEntry (table django_admin_log).
const db::Model& log_entry_model();

/// @brief A user account, as sign-in and the admin need it.
struct User {
  std::int64_t id = 0;
  std::string password;  ///< Django's "algorithm$iterations$salt$hash"
  std::optional<std::string> last_login;
  bool is_superuser = false;
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string email;
  bool is_staff = false;
  bool is_active = true;
  std::string date_joined;
};

}  // namespace ocl::auth
