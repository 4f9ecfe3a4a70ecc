#include "cli/generate.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/command.hpp"
#include "db/migrations.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::cli {
namespace {

using db::testing::count_rows;
using db::testing::rows_as_text;

TEST(GenerateArguments, RowCountsAreDecimalWholeNumbersUpToTheLimit) {
  EXPECT_EQ(parse_row_count("0"), 0);
  EXPECT_EQ(parse_row_count("120"), 120);
  EXPECT_EQ(parse_row_count("100000000"), max_generated_rows);
  for (const auto* text : {"", "-1", "+1", "1e6", "12abc", "abc", " 1", "1.5", "100000001", "99999999999999999999"}) {
    EXPECT_EQ(parse_row_count(text), std::nullopt) << text;
  }
  EXPECT_EQ(parse_row_count("11", 10), std::nullopt);
}

TEST(GenerateArguments, UsernamesSortLikeTheirIds) {
  EXPECT_EQ(generated_username(7, 7), "member0000007");
  EXPECT_EQ(generated_username(1000006, 7), "member1000006");
  EXPECT_EQ(generated_username(12345678, 7), "member12345678");
  EXPECT_LT(generated_username(999, 7), generated_username(1000, 7));
}

class GenerateTest : public ::testing::Test {
 protected:
  GenerateTest() { settings.database = db::parse_database_url("sqlite:///" + path); }

  void migrate() { db::migrate(connection); }

  int run_command(std::vector<std::string> args) {
    out.str("");
    err.str("");
    return generate_command().run(CommandContext{settings, std::move(args), out, err});
  }

  db::testing::TempDirectory directory;
  std::string path = directory.file("site.sqlite3");
  db::SqliteConnection connection{path};
  config::Settings settings;
  std::ostringstream out;
  std::ostringstream err;
};

TEST_F(GenerateTest, LettingsEachHaveTheirOwnValidAddress) {
  migrate();
  const auto range = generate_lettings(connection, 120, 50);
  EXPECT_EQ(range.first_id, 1);
  EXPECT_EQ(range.last_id(), 120);
  EXPECT_EQ(count_rows(connection, "lettings_letting"), 120);
  EXPECT_EQ(count_rows(connection, "lettings_address"), 120);
  EXPECT_EQ(rows_as_text(connection,
                         "SELECT COUNT(*) FROM lettings_letting AS l JOIN lettings_address AS a ON a.id = l.address_id "
                         "WHERE a.number BETWEEN 1 AND 9999 AND a.zip_code BETWEEN 10000 AND 99999 "
                         "AND length(a.state) = 2 AND a.country_iso_code = 'USA' AND length(l.title) <= 256 "
                         "AND length(a.street) <= 64 AND length(a.city) <= 64"),
            std::vector<std::string>{"120|"});
  EXPECT_TRUE(rows_as_text(connection, "PRAGMA foreign_key_check").empty());
  EXPECT_EQ(rows_as_text(connection, "SELECT title FROM lettings_letting WHERE id = 120").at(0).ends_with(" #120|"),
            true);
}

TEST_F(GenerateTest, ProfilesBelongToActiveUsersWithUnusablePasswords) {
  migrate();
  const auto range = generate_profiles(connection, 120, 7);
  EXPECT_EQ(range.first_id, 1);
  EXPECT_EQ(count_rows(connection, "auth_user"), 120);
  EXPECT_EQ(count_rows(connection, "profiles_profile"), 120);
  EXPECT_EQ(rows_as_text(connection,
                         "SELECT COUNT(DISTINCT u.username), COUNT(DISTINCT u.password) FROM profiles_profile AS p "
                         "JOIN auth_user AS u ON u.id = p.user_id WHERE u.password LIKE '!%' "
                         "AND length(u.password) = 41 AND u.is_active = 1 AND u.is_staff = 0 AND u.is_superuser = 0 "
                         "AND u.last_login IS NULL AND u.date_joined LIKE '____-__-__ __:__:__.______' "
                         "AND u.email LIKE '%@example.com' AND u.first_name <> '' AND p.favorite_city <> ''"),
            std::vector<std::string>{"120|120|"});
  EXPECT_EQ(rows_as_text(connection, "SELECT username FROM auth_user WHERE id IN (1, 120) ORDER BY id"),
            (std::vector<std::string>{"member0000001|", "member0000120|"}));
  EXPECT_TRUE(rows_as_text(connection, "PRAGMA foreign_key_check").empty());
}

TEST_F(GenerateTest, ASecondRunContinuesAfterTheExistingRows) {
  db::SqliteConnection shared{db::testing::copy_django_database(directory)};
  db::migrate(shared);
  const auto lettings = generate_lettings(shared, 10, 3);
  const auto profiles = generate_profiles(shared, 10, 3);
  EXPECT_EQ(lettings.first_id, 7);
  EXPECT_EQ(profiles.first_id, 5);
  EXPECT_EQ(rows_as_text(shared, "SELECT username FROM auth_user WHERE id IN (6, 7, 16) ORDER BY id"),
            (std::vector<std::string>{"LGD|", "member0000007|", "member0000016|"}));
  EXPECT_EQ(generate_profiles(shared, 10, 100).first_id, 15);
  EXPECT_EQ(count_rows(shared, "profiles_profile"), 24);
  EXPECT_EQ(rows_as_text(shared, "SELECT title FROM lettings_letting WHERE id = 1"),
            std::vector<std::string>{"Joshua Tree Green Haus /w Hot Tub|"});
}

TEST_F(GenerateTest, TakenUsernamesStopTheRunBeforeAnyRowIsAdded) {
  migrate();
  connection.execute(
      "INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, "
      "is_active, date_joined) VALUES (50, '!', 0, 'member0000060', '', '', '', 0, 1, '2020-01-01 00:00:00')");
  EXPECT_THROW(static_cast<void>(generate_profiles(connection, 20, 5)), GenerateError);
  EXPECT_EQ(count_rows(connection, "auth_user"), 1);
  EXPECT_EQ(generate_profiles(connection, 5, 5).first_id, 1);  // member0000051..55 are free
}

TEST_F(GenerateTest, CommandReportsWhatItAdded) {
  migrate();
  ASSERT_EQ(run_command({"--lettings", "12", "--profiles=3", "--batch", "5"}), exit_ok) << err.str();
  EXPECT_TRUE(out.str().starts_with("Generated 12 lettings (ids 1 to 12) in ")) << out.str();
  EXPECT_NE(out.str().find("\nGenerated 3 profiles (ids 1 to 3) in "), std::string::npos) << out.str();
  ASSERT_EQ(run_command({"--lettings", "0", "--profiles", "0"}), exit_ok) << err.str();
  EXPECT_TRUE(out.str().starts_with("Generated 0 lettings in ")) << out.str();
  EXPECT_EQ(count_rows(connection, "lettings_letting"), 12);
}

TEST_F(GenerateTest, CommandRejectsBadArgumentsBeforeTouchingTheDatabase) {
  migrate();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--lettings", "abc"}, "generate: --lettings needs a whole number from 0 to 100000000, not 'abc'\n"},
      {{"--profiles", "-5"}, "generate: --profiles needs a whole number from 0 to 100000000, not '-5'\n"},
      {{"--lettings=100000001"}, "generate: --lettings needs a whole number from 0 to 100000000, not '100000001'\n"},
      {{"--batch", "0"}, "generate: --batch needs a whole number from 1 to 100000000, not '0'\n"},
      {{"--lettings", ""}, "generate: --lettings needs a whole number from 0 to 100000000, not ''\n"},
      {{"--lettings", "1", "extra"}, "generate: unexpected argument 'extra' (see oc-lettings generate --help)\n"},
      {{"--rows", "5"}, "generate: unexpected argument '--rows' (see oc-lettings generate --help)\n"},
  };
  for (const auto& [args, message] : cases) {
    EXPECT_EQ(run_command(args), exit_usage) << args.front();
    EXPECT_EQ(err.str(), message);
  }
  EXPECT_THROW(run_command({"--lettings"}), std::invalid_argument);  // run() turns it into exit_usage
  EXPECT_EQ(count_rows(connection, "lettings_letting"), 0);
  EXPECT_EQ(count_rows(connection, "auth_user"), 0);
}

TEST_F(GenerateTest, CommandAsksForMigrateOnADatabaseWithoutSchema) {
  EXPECT_EQ(run_command({"--lettings", "5", "--profiles", "5"}), exit_failure);
  EXPECT_EQ(err.str(), "generate: the database has no schema yet: run `oc-lettings migrate` first\n");
  EXPECT_THROW(static_cast<void>(generate_lettings(connection, 1, 1)), GenerateError);
}

}  // namespace
}  // namespace ocl::cli
