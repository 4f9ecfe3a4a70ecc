#pragma once
/// @file
/// @brief `oc-lettings generate`: many valid lettings and profiles, for load tests of large lists.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "db/connection.hpp"

namespace ocl::cli {

/// @brief How many rows `generate` makes by default, at most, and per transaction.
inline constexpr std::int64_t default_generated_rows = 1'000'000;
inline constexpr std::int64_t max_generated_rows = 100'000'000;
inline constexpr std::int64_t default_generate_batch = 100'000;

/// @brief Raised when the data cannot be generated (no schema, usernames already taken).
class GenerateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// @brief Reads a row count: decimal digits only, at most `max`; nullopt otherwise.
std::optional<std::int64_t> parse_row_count(std::string_view text, std::int64_t max = max_generated_rows);

/// @brief The ids given to one generated table's new rows: first_id .. first_id + count - 1.
struct GeneratedRange {
  std::int64_t first_id = 0;
  std::int64_t count = 0;
  [[nodiscard]] std::int64_t last_id() const { return first_id + count - 1; }
};

/// @brief The username of the generated user with primary key `user_id`: "member" and the id,
/// zero-padded to `width` digits so that one run's usernames sort like their ids.
std::string generated_username(std::int64_t user_id, int width);

/// @brief Adds `count` addresses and one letting on each, after the existing rows, `batch` rows a
/// transaction. Titles, addresses and all other values are made up from the new row's id.
/// On SQLite, the connection keeps the bulk-load settings afterwards: a 256 MiB page cache and
/// synchronous=NORMAL. Throws GenerateError when the database has no schema.
GeneratedRange generate_lettings(db::Connection& connection, std::int64_t count, std::int64_t batch);

/// @brief Adds `count` users, each with a profile, after the existing rows, `batch` rows a transaction.
/// The users are active, neither staff nor superusers, and have Django's unusable password ("!" and
/// 40 random characters): nobody can sign in as them. Throws GenerateError when one of the new
/// usernames is already taken.
GeneratedRange generate_profiles(db::Connection& connection, std::int64_t count, std::int64_t batch);

}  // namespace ocl::cli
