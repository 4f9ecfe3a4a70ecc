#pragma once
/// @file
/// @brief Parsing of DATABASE_URL values (`sqlite:///relative.sqlite3`, `sqlite:////abs.sqlite3`).

#include <stdexcept>
#include <string>
#include <string_view>

namespace ocl::db {

/// @brief A parsed DATABASE_URL.
struct DatabaseUrl {
  enum class Scheme { sqlite, postgresql };
  Scheme scheme = Scheme::sqlite;
  /// @brief For SQLite: the file path (relative to the working directory unless absolute).
  std::string path;
  /// @brief The URL as given, for connecting (PostgreSQL) and for messages (see redacted()).
  std::string original;

  /// @brief The URL with any password replaced by `***`, safe to log.
  [[nodiscard]] std::string redacted() const;
};

/// @brief Raised for a DATABASE_URL that cannot be used; the message says why.
class InvalidDatabaseUrl : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// @brief Parses a DATABASE_URL; throws InvalidDatabaseUrl.
DatabaseUrl parse_database_url(std::string_view url);

}  // namespace ocl::db
