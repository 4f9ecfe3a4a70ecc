#pragma once
/// @file
/// @brief The database a test server runs on: a SQLite file, or a fresh PostgreSQL database when the
/// suite runs under `scripts/postgres.sh run` (OCL_TEST_POSTGRES_URL set).

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "db/database.hpp"

namespace ocl::integration {

/// @brief True when the integration suite runs on PostgreSQL.
bool on_postgresql();

/// @brief Skips the current test when it exercises the SQLite file itself (its pragmas, its mounts).
#define OCL_SKIP_UNLESS_SQLITE()                                                  \
  if (::ocl::integration::on_postgresql()) {                                      \
    GTEST_SKIP() << "exercises the SQLite file itself; runs in the SQLite suite"; \
  }

/// @brief How a test database is filled before the server starts.
enum class Seed {
  shared_copy,  ///< the shared Django database's data
  demo,         ///< migrate + loaddata fixtures/demo.json
  adversarial,  ///< migrate + loaddata tests/data/adversarial.json
  nothing,      ///< an empty database (SQLite: the file does not exist yet)
};

/// @brief One test's database, dropped (PostgreSQL) with the test; SQLite files live in the test's folder.
class TestDatabase {
 public:
  /// @brief `sqlite_file` is used in the SQLite suite; on PostgreSQL a new database is created from a
  /// template holding the seed's data (templates are built once per cluster).
  TestDatabase(std::filesystem::path sqlite_file, Seed seed);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// @brief The DATABASE_URL a server or CLI run uses.
  [[nodiscard]] const std::string& url() const { return url_; }
  /// @brief The SQLite file (meaningful only in the SQLite suite).
  [[nodiscard]] const std::filesystem::path& sqlite_file() const { return sqlite_file_; }

 private:
  std::filesystem::path sqlite_file_;
  std::string postgres_name_;
  std::string url_;
};

/// @brief A private PostgreSQL cluster (scripts/postgres.sh) that a test may stop and start again on the
/// same port; removed with the test.
class PostgresCluster {
 public:
  PostgresCluster();
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  /// @brief The URL of the cluster's `postgres` database.
  [[nodiscard]] const std::string& url() const { return url_; }
  /// @brief Stops the server ("fast": disconnects every client at once); throws if it cannot.
  void stop();
  /// @brief Starts it again on the same port; throws if it cannot.
  void start();

 private:
  std::filesystem::path directory_;
  std::string url_;
};

/// @brief Opens a one-connection pool on `database_url`, for tests that read what the server wrote.
std::unique_ptr<db::Database> open_test_database(const std::string& database_url);

/// @brief A single-value query on a database (as text, "" for NULL), for checking what was written.
std::string query_text(const std::string& database_url, const std::string& sql);

/// @brief Expects the database to be consistent: SQLite's integrity and foreign-key checks (PostgreSQL
/// enforces foreign keys itself at every commit).
void expect_consistent(const std::string& database_url);

}  // namespace ocl::integration
