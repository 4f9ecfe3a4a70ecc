#pragma once
/// @file
/// @brief The SQLite backend of Connection, on the SQLite C API.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "db/connection.hpp"
#include "db/statement_cache.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace ocl::db {

/// @brief One SQLite connection: WAL journal, synchronous=FULL, foreign keys on, 5 s busy timeout, cached prepared
/// statements.
class SqliteConnection final : public Connection {
 public:
  /// @brief Opens (creating if needed) the database file at `path`; throws UnavailableError.
  explicit SqliteConnection(const std::string& path);
  /// @brief Finalizes the cached statements and closes the connection.
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  using Connection::execute;
  using Connection::query;

  /// @brief Runs a query and returns all its rows.
  ResultSet query(std::string_view sql, std::span<const Value> params) override;
  /// @brief Runs a statement that returns no rows; returns the number of rows changed.
  std::int64_t execute(std::string_view sql, std::span<const Value> params) override;
  /// @brief Runs several ';'-separated statements without parameters.
  void execute_script(std::string_view sql) override;
  /// @brief Always Dialect::sqlite.
  [[nodiscard]] Dialect dialect() const override { return Dialect::sqlite; }

  /// @brief Starts a write transaction (BEGIN IMMEDIATE); throws DatabaseError if one is open.
  void begin() override;
  /// @brief Commits the open transaction.
  void commit() override;
  /// @brief Rolls back the open transaction; does nothing when none is open.
  void rollback() override;

  /// @brief How many distinct statements this connection has prepared and keeps cached.
  [[nodiscard]] std::size_t prepared_statement_count() const { return statements_.size(); }
  /// @brief True while a transaction is open.
  [[nodiscard]] bool in_transaction() const;
  /// @brief False once a fault (read-only, full, I/O) hit this connection, or when it opened read-only.
  [[nodiscard]] bool reusable() const override;
  /// @brief True when SQLite could only open the file for reading.
  [[nodiscard]] bool read_only() const { return read_only_; }

 private:
  /// Marks the connection changed when the statement run during its life changed rows (failed ones too).
  class ChangeWatch {
   public:
    explicit ChangeWatch(SqliteConnection& connection);
    ~ChangeWatch();
    ChangeWatch(const ChangeWatch&) = delete;
    ChangeWatch& operator=(const ChangeWatch&) = delete;

   private:
    SqliteConnection& connection_;
    std::int64_t before_;
  };

  struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const;
  };
  using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

  /// A statement ready to bind: the cache's, or owned here for one use (a text too long to keep).
  struct Prepared {
    sqlite3_stmt* statement = nullptr;
    StatementHandle one_off;
  };
  Prepared prepared(std::string_view sql);
  void bind(sqlite3_stmt* statement, std::span<const Value> params);
  void configure();
  void use_wal();
  [[noreturn]] void fail(int code, std::string_view context);

  std::string path_;
  sqlite3* handle_ = nullptr;
  bool read_only_ = false;
  bool broken_ = false;
  StatementCache<StatementHandle> statements_;
};

}  // namespace ocl::db
