#include "lettings/repository.hpp"

namespace ocl::lettings {

std::vector<LettingSummary> LettingRepository::list_all() {
  const auto result = connection_.query("SELECT id, title FROM lettings_letting ORDER BY id");
  std::vector<LettingSummary> lettings;
  lettings.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    lettings.push_back({row.integer(0), row.text(1)});
  }
  return lettings;
}

std::optional<LettingDetail> LettingRepository::find(std::int64_t id) {
  const auto result = connection_.query(
      "SELECT l.id, l.title, a.number, a.street, a.city, a.state, a.zip_code, a.country_iso_code "
      "FROM lettings_letting AS l JOIN lettings_address AS a ON a.id = l.address_id WHERE l.id = ?",
      {id});
  if (result.empty()) {
    return std::nullopt;
  }
  const auto& row = result.rows.front();
  return LettingDetail{row.integer(0), row.text(1), row.integer(2), row.text(3),
                       row.text(4),    row.text(5), row.integer(6), row.text(7)};
}

}  // namespace ocl::lettings
