#pragma once
/// @file
/// @brief Values bound to and read from SQL statements, backend-neutral.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ocl::db {

/// @brief SQL NULL.
struct Null {
  friend bool operator==(Null, Null) = default;
};

/// @brief One SQL value: NULL, a 64-bit integer, a double or UTF-8 text.
using Value = std::variant<Null, std::int64_t, double, std::string>;

/// @brief Raised for every database failure; `what()` is safe to log, never shown to visitors.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// @brief Raised when a write breaks a UNIQUE, CHECK, NOT NULL or FOREIGN KEY constraint.
class ConstraintError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

/// @brief Raised when the database is busy, read-only, full or gone: the request may be retried later.
class UnavailableError : public DatabaseError {
 public:
  /// @brief `reason` names the fault for logs (e.g. "SQLITE_FULL"); `message` has the details.
  explicit UnavailableError(const std::string& message, std::string reason = "unavailable")
      : DatabaseError(message), reason_(std::move(reason)) {}
  /// @brief The fault's short name, as given when raised.
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

/// @brief One result row; columns are addressed by position, in SELECT order.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  [[nodiscard]] std::size_t size() const { return values_.size(); }
  [[nodiscard]] bool is_null(std::size_t column) const { return std::holds_alternative<Null>(values_.at(column)); }
  /// @brief The column as an integer; throws DatabaseError if it holds another type.
  [[nodiscard]] std::int64_t integer(std::size_t column) const;
  /// @brief The column as text; throws DatabaseError if it holds another type.
  [[nodiscard]] const std::string& text(std::size_t column) const;
  /// @brief The column as text, or nullopt for NULL.
  [[nodiscard]] std::optional<std::string> optional_text(std::size_t column) const;
  [[nodiscard]] const Value& value(std::size_t column) const { return values_.at(column); }
  [[nodiscard]] const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<Value> values_;
};

/// @brief The rows a query returned, with its column names.
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;

  [[nodiscard]] bool empty() const { return rows.empty(); }
};

}  // namespace ocl::db
