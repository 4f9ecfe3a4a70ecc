#include "db/migrations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "db/tests/test_database.hpp"

namespace ocl::db {
namespace {

using testing::count_rows;
using testing::rows_as_text;

constexpr std::string_view schema_query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid";

const std::vector<std::string> all_tables = {
    "django_migrations", "auth_group_permissions", "auth_user_groups", "auth_user_user_permissions",
    "django_admin_log",  "django_content_type",    "auth_permission",  "auth_group",
    "lettings_address",  "profiles_profile",       "lettings_letting", "django_session",
    "auth_user",         "sqlite_sequence"};

std::map<std::string, std::int64_t> table_counts(Connection& connection) {
  std::map<std::string, std::int64_t> counts;
  for (const auto& table : all_tables) {
    counts[table] = count_rows(connection, table);
  }
  return counts;
}

class MigrationsTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory;
};

TEST_F(MigrationsTest, EmptyDatabaseGetsExactlyDjangosSchema) {
  SqliteConnection shared(testing::copy_django_database(directory));
  SqliteConnection fresh(directory.file("fresh.sqlite3"));
  EXPECT_FALSE(has_schema(fresh));
  migrate(fresh);
  EXPECT_TRUE(has_schema(fresh));
  EXPECT_EQ(rows_as_text(fresh, schema_query), rows_as_text(shared, schema_query));
  const auto columns =
      "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_master m, "
      "pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid";
  EXPECT_EQ(rows_as_text(fresh, columns), rows_as_text(shared, columns));
}

TEST_F(MigrationsTest, EmptyDatabaseRecordsEveryMigrationInDjangosOrder) {
  SqliteConnection shared(testing::copy_django_database(directory));
  SqliteConnection fresh(directory.file("fresh.sqlite3"));
  const auto report = migrate(fresh);
  ASSERT_EQ(report.applied.size(), 24U);
  EXPECT_EQ(report.applied.front(), "contenttypes.0001_initial");
  EXPECT_EQ(report.applied.back(), "lettings.0002_alter_address_options");
  auto expected = rows_as_text(shared, "SELECT id, app, name FROM django_migrations ORDER BY id");
  expected.push_back("24|lettings|0002_alter_address_options|");
  EXPECT_EQ(rows_as_text(fresh, "SELECT id, app, name FROM django_migrations ORDER BY id"), expected);
  const std::regex timestamp(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6})");
  for (const auto& row : fresh.query("SELECT applied FROM django_migrations").rows) {
    EXPECT_TRUE(std::regex_match(row.text(0), timestamp)) << row.text(0);
  }
}

TEST_F(MigrationsTest, EmptyDatabaseGetsContentTypesAndPermissions) {
  SqliteConnection shared(testing::copy_django_database(directory));
  SqliteConnection fresh(directory.file("fresh.sqlite3"));
  const auto report = migrate(fresh);
  EXPECT_EQ(report.content_types_added, 9U);
  EXPECT_EQ(report.permissions_added, 36U);
  // The shared database has the same rows, after three content types of a retired app.
  EXPECT_EQ(rows_as_text(fresh, "SELECT app_label, model FROM django_content_type ORDER BY id"),
            rows_as_text(shared, "SELECT app_label, model FROM django_content_type WHERE id > 3 ORDER BY id"));
  const auto permissions =
      "SELECT c.app_label, c.model, p.codename, p.name FROM auth_permission p "
      "JOIN django_content_type c ON c.id = p.content_type_id WHERE c.app_label <> "
      "'oc_lettings_site' ORDER BY p.id";
  EXPECT_EQ(rows_as_text(fresh, permissions), rows_as_text(shared, permissions));
  EXPECT_EQ(rows_as_text(fresh, "SELECT name FROM auth_permission WHERE codename = 'view_logentry'"),
            std::vector<std::string>{"Can view log entry|"});
}

TEST_F(MigrationsTest, SharedDatabaseOnlyGainsTheMissingMigrationRow) {
  SqliteConnection original(testing::copy_django_database(directory, "original.sqlite3"));
  SqliteConnection migrated(testing::copy_django_database(directory));
  const auto report = migrate(migrated);
  EXPECT_EQ(report.applied, std::vector<std::string>{"lettings.0002_alter_address_options"});
  EXPECT_EQ(report.content_types_added, 0U);
  EXPECT_EQ(report.permissions_added, 0U);
  auto expected_counts = table_counts(original);
  expected_counts["django_migrations"] += 1;
  EXPECT_EQ(table_counts(migrated), expected_counts);
  EXPECT_EQ(rows_as_text(migrated, schema_query), rows_as_text(original, schema_query));
  EXPECT_EQ(rows_as_text(migrated, "SELECT * FROM django_migrations WHERE id <= 23"),
            rows_as_text(original, "SELECT * FROM django_migrations"));
  EXPECT_EQ(rows_as_text(migrated, "SELECT * FROM auth_permission"),
            rows_as_text(original, "SELECT * FROM auth_permission"));
  EXPECT_EQ(rows_as_text(migrated, "SELECT * FROM sqlite_sequence WHERE name <> 'django_migrations'"),
            rows_as_text(original, "SELECT * FROM sqlite_sequence WHERE name <> 'django_migrations'"));
}

TEST_F(MigrationsTest, RunningAgainChangesNothing) {
  SqliteConnection connection(directory.file("fresh.sqlite3"));
  migrate(connection);
  const auto schema = rows_as_text(connection, schema_query);
  const auto counts = table_counts(connection);
  const auto migrations = rows_as_text(connection, "SELECT * FROM django_migrations");
  const auto report = migrate(connection);
  EXPECT_TRUE(report.nothing_applied());
  EXPECT_EQ(report.content_types_added + report.permissions_added, 0U);
  EXPECT_EQ(rows_as_text(connection, schema_query), schema);
  EXPECT_EQ(table_counts(connection), counts);
  EXPECT_EQ(rows_as_text(connection, "SELECT * FROM django_migrations"), migrations);
}

TEST_F(MigrationsTest, FailureLeavesTheDatabaseUntouched) {
  SqliteConnection connection(directory.file("broken.sqlite3"));
  // An existing table is never altered, so a foreign django_content_type makes the run fail
  // after every CREATE statement has run; all of them must be rolled back.
  connection.execute_script("CREATE TABLE django_content_type (id integer PRIMARY KEY, label text);");
  EXPECT_THROW(migrate(connection), DatabaseError);
  EXPECT_EQ(rows_as_text(connection, "SELECT name, sql FROM sqlite_master ORDER BY name"),
            (std::vector<std::string>{"django_content_type|CREATE TABLE django_content_type (id integer PRIMARY KEY, "
                                      "label text)|"}));
  EXPECT_FALSE(has_schema(connection));
  EXPECT_FALSE(connection.in_transaction());
}

TEST_F(MigrationsTest, SchemaStatementsAreIdempotentAndBothDialectsCreateEveryTable) {
  for (const auto statement : schema_statements(Dialect::sqlite)) {
    EXPECT_NE(statement.find("IF NOT EXISTS"), std::string_view::npos) << statement;
  }
  for (const auto table : schema_tables()) {
    const auto created = fmt::format(R"(CREATE TABLE "{}" ()", table);
    EXPECT_TRUE(std::ranges::any_of(schema_statements(Dialect::postgresql), [&](std::string_view statement) {
      return statement.starts_with(created);
    })) << table;
  }
  EXPECT_EQ(known_migrations().size(), 24U);
  EXPECT_EQ(schema_tables().size(), 13U);
}

}  // namespace
}  // namespace ocl::db
