#pragma once
/// @file
/// @brief Reads lettings and their addresses for the public pages (prepared statements only).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "lettings/models.hpp"

namespace ocl::lettings {

/// @brief A letting as the list page shows it.
struct LettingSummary {
  std::int64_t id = 0;
  std::string title;
};

/// @brief Queries over lettings_letting and lettings_address, on a borrowed connection.
class LettingRepository {
 public:
  explicit LettingRepository(db::Connection& connection) : connection_(connection) {}

  /// @brief At most `limit` lettings in primary-key order, skipping the first `offset`.
  [[nodiscard]] std::vector<LettingSummary> list(std::int64_t limit, std::int64_t offset);
  /// @brief One letting with its address, or nullopt.
  [[nodiscard]] std::optional<Letting> find(std::int64_t id);

 private:
  db::Connection& connection_;
};

}  // namespace ocl::lettings
