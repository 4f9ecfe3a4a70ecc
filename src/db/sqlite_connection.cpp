#include "db/sqlite_connection.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "db/sqlite_errors.hpp"

namespace ocl::db {
namespace {

constexpr int busy_timeout_ms = 5000;

Value column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_NULL:
      return Null{};
    default: {
      // TEXT and BLOB both come back as their bytes; the text pointer must be fetched before the size.
      const auto* bytes = sqlite3_column_blob(statement, column);
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return bytes == nullptr ? std::string() : std::string(static_cast<const char*>(bytes), size);
    }
  }
}

bool only_whitespace(std::string_view text) {
  return text.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

}  // namespace

void SqliteConnection::StatementFinalizer::operator()(sqlite3_stmt* statement) const {
  sqlite3_finalize(statement);
}

SqliteConnection::SqliteConnection(const std::string& path) : path_(path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(path.c_str(), &handle_, flags, nullptr);
  if (code != SQLITE_OK) {
    const std::string message = handle_ != nullptr ? sqlite3_errmsg(handle_) : sqlite3_errstr(code);
    sqlite3_close(handle_);
    handle_ = nullptr;
    throw UnavailableError(fmt::format("cannot open SQLite database '{}': {}", path, message), sqlite_error_name(code));
  }
  sqlite3_extended_result_codes(handle_, 1);
  sqlite3_busy_timeout(handle_, busy_timeout_ms);
  try {
    configure();
  } catch (...) {
    statements_.clear();
    sqlite3_close(handle_);
    throw;
  }
}

void SqliteConnection::configure() {
  // SQLite falls back to read-only when the file or its file system cannot be written: reads
  // still work, writes fail with SQLITE_READONLY, and the journal mode cannot be changed.
  read_only_ = sqlite3_db_readonly(handle_, "main") == 1;
  if (!read_only_) {
    use_wal();
  }
  // Durability: with WAL, synchronous=NORMAL already keeps every committed transaction through a
  // crash of this process (kill -9 included: the commit is in the OS's page cache before COMMIT
  // returns), but may lose the last ones on a power cut or kernel crash. FULL also syncs the WAL
  // at every commit, so a write the site acknowledged survives those too. Writes here are rare
  // (sign-ins, admin edits) and reads never sync, so the cost of one fsync per commit is small.
  execute_script("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
}

void SqliteConnection::use_wal() {
  // WAL is a property of the file, so only its first opening converts it. The conversion takes an
  // exclusive lock for which SQLite never calls the busy handler: a connection opened while another
  // converts or reads the file would fail at once, so it retries here within the busy timeout.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  auto pause = std::chrono::milliseconds(1);
  while (query("PRAGMA journal_mode").rows.at(0).text(0) != "wal") {
    const int code = sqlite3_exec(handle_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (code == SQLITE_OK) {
      return;  // converted, or kept in its mode where WAL cannot work (no shared memory)
    }
    if (primary_code(code) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
      fail(code, "cannot switch to WAL");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

bool SqliteConnection::reusable() const {
  return !broken_ && !read_only_;
}

SqliteConnection::ChangeWatch::ChangeWatch(SqliteConnection& connection)
    : connection_(connection), before_(sqlite3_total_changes64(connection.handle_)) {}

SqliteConnection::ChangeWatch::~ChangeWatch() {
  if (sqlite3_total_changes64(connection_.handle_) != before_) {
    connection_.mark_changed();
  }
}

SqliteConnection::~SqliteConnection() {
  // Statements must be finalized before the connection can close.
  statements_.clear();
  sqlite3_close(handle_);
}

void SqliteConnection::fail(int code, std::string_view context) {
  broken_ = broken_ || !keeps_connection(code);
  throw_sqlite_error(code, fmt::format("{}: {} ({})", context, sqlite3_errmsg(handle_), path_));
}

SqliteConnection::Prepared SqliteConnection::prepared(std::string_view sql) {
  if (auto* cached = statements_.find(sql)) {
    sqlite3_reset(cached->get());
    sqlite3_clear_bindings(cached->get());
    return {cached->get(), nullptr};
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int code =
      sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  StatementHandle statement(raw);
  if (code != SQLITE_OK) {
    fail(code, fmt::format("cannot prepare '{}'", sql));
  }
  if (statement == nullptr) {
    throw DatabaseError(fmt::format("no SQL statement in '{}'", sql));
  }
  const auto consumed = static_cast<std::size_t>(tail - sql.data());
  if (!only_whitespace(sql.substr(consumed))) {
    throw DatabaseError(fmt::format("more than one SQL statement in '{}'", sql));
  }
  if (!statements_.keeps(sql)) {
    auto* raw_statement = statement.get();
    return {raw_statement, std::move(statement)};
  }
  StatementHandle* kept = nullptr;
  statements_.insert(sql, std::move(statement), kept);  // an evicted statement is finalized here
  return {kept->get(), nullptr};
}

void SqliteConnection::bind(sqlite3_stmt* statement, std::span<const Value> params) {
  const auto expected = static_cast<std::size_t>(sqlite3_bind_parameter_count(statement));
  if (expected != params.size()) {
    throw DatabaseError(
        fmt::format("statement '{}' takes {} parameter(s), {} given", sqlite3_sql(statement), expected, params.size()));
  }
  for (std::size_t index = 0; index < params.size(); ++index) {
    const int position = static_cast<int>(index) + 1;
    const int code = std::visit(
        [&](const auto& value) {
          using Type = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<Type, Null>) {
            return sqlite3_bind_null(statement, position);
          } else if constexpr (std::is_same_v<Type, std::int64_t>) {
            return sqlite3_bind_int64(statement, position, value);
          } else if constexpr (std::is_same_v<Type, double>) {
            return sqlite3_bind_double(statement, position, value);
          } else {
            return sqlite3_bind_text64(statement, position, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          }
        },
        params[index]);
    if (code != SQLITE_OK) {
      fail(code, "cannot bind parameter");
    }
  }
}

ResultSet SqliteConnection::query(std::string_view sql, std::span<const Value> params) {
  const auto prepared_statement = prepared(sql);
  sqlite3_stmt* statement = prepared_statement.statement;
  bind(statement, params);
  const ChangeWatch watch(*this);
  ResultSet result;
  const int column_count = sqlite3_column_count(statement);
  for (int column = 0; column < column_count; ++column) {
    result.columns.emplace_back(sqlite3_column_name(statement, column));
  }
  while (true) {
    const int code = sqlite3_step(statement);
    if (code == SQLITE_DONE) {
      break;
    }
    if (code != SQLITE_ROW) {
      sqlite3_reset(statement);
      fail(code, "query failed");
    }
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(column_count));
    for (int column = 0; column < column_count; ++column) {
      values.push_back(column_value(statement, column));
    }
    result.rows.emplace_back(std::move(values));
  }
  // Reset now so the statement holds no read lock while it sits in the cache.
  sqlite3_reset(statement);
  return result;
}

std::int64_t SqliteConnection::execute(std::string_view sql, std::span<const Value> params) {
  const auto prepared_statement = prepared(sql);
  sqlite3_stmt* statement = prepared_statement.statement;
  bind(statement, params);
  const ChangeWatch watch(*this);
  int code = sqlite3_step(statement);
  while (code == SQLITE_ROW) {
    code = sqlite3_step(statement);
  }
  sqlite3_reset(statement);
  if (code != SQLITE_DONE) {
    fail(code, "statement failed");
  }
  return sqlite3_changes64(handle_);
}

void SqliteConnection::execute_script(std::string_view sql) {
  const std::string script(sql);
  const ChangeWatch watch(*this);
  char* error = nullptr;
  const int code = sqlite3_exec(handle_, script.c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    const std::string message = error != nullptr ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    broken_ = broken_ || !keeps_connection(code);
    throw_sqlite_error(code, fmt::format("script failed: {} ({})", message, path_));
  }
}

bool SqliteConnection::in_transaction() const {
  return sqlite3_get_autocommit(handle_) == 0;
}

void SqliteConnection::begin() {
  if (in_transaction()) {
    throw DatabaseError("a transaction is already open on this connection; nested transactions are not supported");
  }
  execute("BEGIN IMMEDIATE");
}

void SqliteConnection::commit() {
  if (!in_transaction()) {
    throw DatabaseError("commit without an open transaction");
  }
  execute("COMMIT");
}

void SqliteConnection::rollback() {
  if (in_transaction()) {
    execute("ROLLBACK");
  }
}

}  // namespace ocl::db
