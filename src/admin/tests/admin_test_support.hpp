#pragma once
/// @file
/// @brief A copy of the shared Django database and signed-in users for the admin engine tests.

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "auth/guard.hpp"
#include "db/sqlite_connection.hpp"
#include "db/tests/test_database.hpp"
#include "http/url.hpp"

namespace ocl::admin::testing {

/// @brief A superuser as the guard hands it to admin views (the shared database's "admin", id 1).
inline auth::CurrentUser superuser() {
  auth::CurrentUser user;
  user.id = 1;
  user.username = "admin";
  user.is_active = true;
  user.is_staff = true;
  user.is_superuser = true;
  return user;
}

/// @brief An active staff user holding exactly `permissions` ("lettings.view_letting").
inline auth::CurrentUser staff_with(std::set<std::string> permissions) {
  auth::CurrentUser user;
  user.id = 2;
  user.username = "4meRomance";
  user.is_active = true;
  user.is_staff = true;
  user.permissions = std::move(permissions);
  return user;
}

/// @brief A test fixture with a private, writable copy of the shared database.
class SharedDatabaseTest : public ::testing::Test {
 protected:
  SharedDatabaseTest() : connection(db::testing::copy_django_database(directory)) {}

  /// @brief The count of a table's rows.
  std::int64_t count(const std::string& table) { return db::testing::count_rows(connection, table); }

  db::testing::TempDirectory directory;
  db::SqliteConnection connection;
};

}  // namespace ocl::admin::testing
