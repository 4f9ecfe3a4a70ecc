#include "db/database_url.hpp"

#include <gtest/gtest.h>

#include "db/database.hpp"

namespace ocl::db {
namespace {

TEST(DatabaseUrl, ThreeSlashesGiveARelativePath) {
  const auto url = parse_database_url("sqlite:///oc-lettings-site.sqlite3");
  EXPECT_EQ(url.scheme, DatabaseUrl::Scheme::sqlite);
  EXPECT_EQ(url.path, "oc-lettings-site.sqlite3");
  EXPECT_EQ(url.original, "sqlite:///oc-lettings-site.sqlite3");
}

TEST(DatabaseUrl, FourSlashesGiveAnAbsolutePath) {
  const auto url = parse_database_url("sqlite:////var/lib/ocl/site.sqlite3");
  EXPECT_EQ(url.path, "/var/lib/ocl/site.sqlite3");
}

TEST(DatabaseUrl, SchemeIsCaseInsensitive) {
  EXPECT_EQ(parse_database_url("SQLite:///data/db.sqlite3").path, "data/db.sqlite3");
}

TEST(DatabaseUrl, PostgresSchemesKeepTheOriginal) {
  for (const auto* text : {"postgres://app:secret@db.internal:5432/lettings", "postgresql://db/lettings"}) {
    const auto url = parse_database_url(text);
    EXPECT_EQ(url.scheme, DatabaseUrl::Scheme::postgresql) << text;
    EXPECT_EQ(url.original, text);
    EXPECT_TRUE(url.path.empty());
  }
}

TEST(DatabaseUrl, RedactedHidesOnlyThePassword) {
  EXPECT_EQ(parse_database_url("postgres://app:s3cr%40t@db.internal:5432/lettings").redacted(),
            "postgres://app:***@db.internal:5432/lettings");
  EXPECT_EQ(parse_database_url("postgres://app@db/lettings").redacted(), "postgres://app@db/lettings");
  EXPECT_EQ(parse_database_url("sqlite:///db.sqlite3").redacted(), "sqlite:///db.sqlite3");
}

TEST(DatabaseUrl, RejectsWhatCannotBeUsed) {
  for (const auto* text : {"", "db.sqlite3", "mysql://root@localhost/db", "sqlite://", "sqlite:///", "sqlite:////",
                           "postgres://", "://x"}) {
    EXPECT_THROW(parse_database_url(text), InvalidDatabaseUrl) << text;
  }
}

TEST(DatabaseUrl, UnsupportedSchemeMessageNamesTheSchemeButNotThePassword) {
  try {
    parse_database_url("mysql://root:hunter2@localhost/db");
    FAIL() << "expected InvalidDatabaseUrl";
  } catch (const InvalidDatabaseUrl& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("mysql"), std::string::npos);
    EXPECT_EQ(message.find("hunter2"), std::string::npos);
  }
}

TEST(DatabaseUrl, PostgresqlConnectsOnFirstLeaseAndNamesNoPassword) {
  const auto database = open_database(parse_database_url("postgres://app:secret@127.0.0.1:1/lettings"), 2);
  try {
    database->lease();
    FAIL() << "expected UnavailableError";
  } catch (const UnavailableError& error) {
    EXPECT_NE(std::string(error.what()).find("cannot connect to PostgreSQL"), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).find("secret"), std::string::npos) << error.what();
  }
  EXPECT_EQ(database->open_connections(), 0U) << "the failed connection's slot is free again";
}

}  // namespace
}  // namespace ocl::db
