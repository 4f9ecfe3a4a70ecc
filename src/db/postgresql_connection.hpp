#pragma once
/// @file
/// @brief The PostgreSQL backend of Connection, on libpq.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "db/connection.hpp"
#include "db/statement_cache.hpp"

struct pg_conn;
struct pg_result;

namespace ocl::db {

/// @brief Rewrites `?` placeholders to PostgreSQL's `$1`, `$2`... outside string literals and quoted names.
std::string numbered_placeholders(std::string_view sql);

/// @brief One PostgreSQL connection (libpq, blocking: used only from worker threads) with cached prepared
/// statements, sessions in UTC.
///
/// Values come back as the SQLite backend gives them, so repositories need not know the dialect:
/// booleans as 0/1 integers, integers as int64, timestamps as naive UTC text.
class PostgresqlConnection final : public Connection {
 public:
  /// @brief Connects with a `postgres://` URL (or any libpq connection string); throws UnavailableError.
  explicit PostgresqlConnection(const std::string& url);
  /// @brief Closes the connection.
  ~PostgresqlConnection() override;
  PostgresqlConnection(const PostgresqlConnection&) = delete;
  PostgresqlConnection& operator=(const PostgresqlConnection&) = delete;

  using Connection::execute;
  using Connection::query;

  /// @brief Runs a query (prepared once per connection) and returns all its rows.
  ResultSet query(std::string_view sql, std::span<const Value> params) override;
  /// @brief Runs a statement that returns no rows; returns the number of rows changed.
  std::int64_t execute(std::string_view sql, std::span<const Value> params) override;
  /// @brief Runs several ';'-separated statements without parameters.
  void execute_script(std::string_view sql) override;
  /// @brief Always Dialect::postgresql.
  [[nodiscard]] Dialect dialect() const override { return Dialect::postgresql; }

  /// @brief Starts a transaction; throws DatabaseError if one is open.
  void begin() override;
  /// @brief Commits the open transaction.
  void commit() override;
  /// @brief Rolls back the open transaction; does nothing when none is open.
  void rollback() override;

  /// @brief False once the server went away or the connection broke.
  [[nodiscard]] bool reusable() const override;
  /// @brief True while a transaction is open (or failed and awaiting rollback).
  [[nodiscard]] bool in_transaction() const;
  /// @brief How many distinct statements this connection has prepared.
  [[nodiscard]] std::size_t prepared_statement_count() const { return statements_.size(); }

 private:
  struct ResultDeleter {
    void operator()(pg_result* result) const;
  };
  using ResultHandle = std::unique_ptr<pg_result, ResultDeleter>;

  void reconnect_if_dropped();
  /// The name of the server-side statement for `sql`, prepared now if needed; nullptr for a text too long
  /// to keep (run unnamed).
  const std::string* prepared(std::string_view sql);
  ResultHandle run(std::string_view sql, std::span<const Value> params);
  ResultHandle checked(ResultHandle result, std::string_view context);
  [[noreturn]] void fail(const pg_result* result, std::string_view context);

  pg_conn* handle_ = nullptr;
  bool broken_ = false;
  StatementCache<std::string> statements_;  // SQL text -> prepared statement name
  std::uint64_t statements_named_ = 0;
};

}  // namespace ocl::db
