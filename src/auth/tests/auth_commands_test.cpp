#include <cstdlib>
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

#include "auth/passwords.hpp"
#include "auth/users.hpp"
#include "cli/command.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::cli {
namespace {

/// Runs `oc-lettings ARGS` on a copy of the shared database with `input` as standard input.
class AuthCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("DATABASE_URL", ("sqlite:///" + database_path).c_str(), 1);
    ::setenv("LOG_LEVEL", "ERROR", 1);
  }
  void TearDown() override { ::unsetenv("DATABASE_URL"); }

  int run_with_input(const std::vector<std::string>& args, const std::string& input) {
    std::istringstream in(input);
    auto* saved = std::cin.rdbuf(in.rdbuf());
    out.str({});
    err.str({});
    const int code = run(args, out, err);
    std::cin.rdbuf(saved);
    return code;
  }

  std::optional<auth::User> user(const std::string& username) {
    db::SqliteConnection connection(database_path);
    return auth::find_user_by_username(connection, username);
  }

  db::testing::TempDirectory directory;
  std::string database_path = db::testing::copy_django_database(directory);
  std::ostringstream out;
  std::ostringstream err;
};

TEST_F(AuthCommandsTest, CreatesASuperuserInteractivelyAfterRefusingAWeakPassword) {
  const auto code = run_with_input(
      {"createsuperuser"}, "keeper\nkeeper@example.com\nkeeper\nkeeper\nHarbour-Lights-42\nHarbour-Lights-42\n");
  ASSERT_EQ(code, exit_ok) << err.str();
  EXPECT_NE(err.str().find("The password is too similar to the username."), std::string::npos) << err.str();
  EXPECT_NE(out.str().find("Superuser created successfully."), std::string::npos);
  const auto created = user("keeper");
  ASSERT_TRUE(created.has_value());
  EXPECT_TRUE(created->is_staff && created->is_superuser && created->is_active);
  EXPECT_EQ(created->email, "keeper@example.com");
  EXPECT_TRUE(auth::check_password("Harbour-Lights-42", created->password));
}

TEST_F(AuthCommandsTest, RefusesATakenUsernameAndCancelsAtEndOfInput) {
  EXPECT_EQ(run_with_input({"createsuperuser"}, "admin\na@example.com\nHarbour-Lights-42\nHarbour-Lights-42\n"),
            exit_failure);
  EXPECT_NE(err.str().find("That username is already taken."), std::string::npos);
  EXPECT_EQ(run_with_input({"createsuperuser"}, "someone\n"), exit_failure);
  EXPECT_NE(err.str().find("Operation cancelled."), std::string::npos);
}

TEST_F(AuthCommandsTest, ChangesAPasswordReadTwiceFromStandardInput) {
  EXPECT_EQ(run_with_input({"changepassword", "admin"}, "one\ntwo\nSea-Breeze-77\nSea-Breeze-77\n"), exit_ok)
      << err.str();
  EXPECT_NE(err.str().find("Your passwords didn't match."), std::string::npos);
  EXPECT_NE(out.str().find("Password changed successfully for user 'admin'"), std::string::npos);
  EXPECT_TRUE(auth::check_password("Sea-Breeze-77", user("admin")->password));
  EXPECT_EQ(run_with_input({"changepassword", "nobody"}, ""), exit_failure);
  EXPECT_EQ(run_with_input({"changepassword"}, ""), exit_usage);
}

}  // namespace
}  // namespace ocl::cli
