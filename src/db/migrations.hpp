#pragma once
/// @file
/// @brief Creates the schema Django's migrations produce and records them as applied.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"

namespace ocl::db {

/// @brief One row of django_migrations: the app and the migration name.
struct MigrationName {
  std::string_view app;
  std::string_view name;
};

/// @brief What migrate() changed.
struct MigrationReport {
  std::vector<std::string> applied;  ///< "app.name" of each migration newly recorded, in order
  std::size_t content_types_added = 0;
  std::size_t permissions_added = 0;

  /// @brief True when the database was already up to date.
  [[nodiscard]] bool nothing_applied() const { return applied.empty(); }
};

/// @brief Every migration the schema corresponds to, in the order Django recorded them.
std::span<const MigrationName> known_migrations();

/// @brief The statements that create the schema in a dialect (SQLite's all "IF NOT EXISTS"; PostgreSQL's run
/// once, on a database without the tables).
std::span<const std::string_view> schema_statements(Dialect dialect);

/// @brief The tables the schema creates, in creation order.
std::span<const std::string_view> schema_tables();

/// @brief Brings the database up to date in one transaction: missing tables and indexes, missing
/// django_migrations rows, and the content types and permissions Django creates after migrating.
/// Existing tables are never altered, so running it again changes nothing.
MigrationReport migrate(Connection& connection);

/// @brief True when every table of the schema exists (used by readiness checks).
bool has_schema(Connection& connection);

/// @brief Moves `table`'s id counter past its highest `key_column` after rows were written with explicit
/// ids (loaddata, generate), so the next row added without one gets a fresh id.
void advance_id_counter(Connection& connection, std::string_view table, std::string_view key_column = "id");

}  // namespace ocl::db
