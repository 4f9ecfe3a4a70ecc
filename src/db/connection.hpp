#pragma once
/// @file
/// @brief The repository layer's only access to a database: prepared statements behind one interface.

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "db/value.hpp"

namespace ocl::db {

/// @brief Which SQL dialect a connection speaks, for the few statements that differ.
enum class Dialect { sqlite, postgresql };

/// @brief One open database connection. Not thread-safe: a connection is used by one thread at a time.
///
/// Every statement is prepared once per connection and cached by its text; parameters
/// are always bound, never spliced into SQL. Statements use `?` placeholders in every
/// dialect (a PostgreSQL backend rewrites them to `$n` once, when preparing).
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// @brief Runs a query and returns all its rows.
  virtual ResultSet query(std::string_view sql, std::span<const Value> params) = 0;
  /// @brief Runs a statement that returns no rows; returns the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, std::span<const Value> params) = 0;
  /// @brief Runs several ';'-separated statements without parameters (schema scripts).
  virtual void execute_script(std::string_view sql) = 0;
  /// @brief The dialect of this connection.
  [[nodiscard]] virtual Dialect dialect() const = 0;

  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  /// @brief False when the pool should close this connection instead of lending it again
  /// (after a fault that may have left it read-only or unusable).
  [[nodiscard]] virtual bool reusable() const { return true; }

  /// @brief True when a statement changed rows since the last call; resets the mark. The pool asks
  /// when a lease ends, after any commit, and tells its change listener (which drops cached pages).
  virtual bool take_changed() { return std::exchange(changed_, false); }

  /// @brief Convenience overloads taking an initializer list of parameters.
  ResultSet query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  std::int64_t execute(std::string_view sql, std::initializer_list<Value> params = {}) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }

 protected:
  /// @brief Backends call this when a statement inserted, updated or deleted rows.
  void mark_changed() { changed_ = true; }

 private:
  bool changed_ = false;
};

/// @brief Runs `work` in a transaction: committed if it returns, rolled back if it throws.
template <typename Work>
auto in_transaction(Connection& connection, Work&& work) -> decltype(work()) {
  connection.begin();
  try {
    if constexpr (std::is_void_v<decltype(work())>) {
      work();
      connection.commit();
    } else {
      auto result = work();
      connection.commit();
      return result;
    }
  } catch (...) {
    connection.rollback();
    throw;
  }
}

}  // namespace ocl::db
