#include "lettings/repository.hpp"

namespace ocl::lettings {
namespace {

std::vector<LettingSummary> summaries(const db::ResultSet& result) {
  std::vector<LettingSummary> lettings;
  lettings.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    lettings.push_back({row.integer(0), row.text(1)});
  }
  return lettings;
}

}  // namespace

std::vector<LettingSummary> LettingRepository::list(std::int64_t limit, std::int64_t offset) {
  // The primary key is the table's rowid: the first pages read only their own rows.
  return summaries(
      connection_.query("SELECT id, title FROM lettings_letting ORDER BY id LIMIT ? OFFSET ?", {limit, offset}));
}

std::optional<Letting> LettingRepository::find(std::int64_t id) {
  const auto result = connection_.query(
      "SELECT l.id, l.title, a.number, a.street, a.city, a.state, a.zip_code, a.country_iso_code, a.id "
      "FROM lettings_letting AS l JOIN lettings_address AS a ON a.id = l.address_id WHERE l.id = ?",
      {id});
  if (result.empty()) {
    return std::nullopt;
  }
  const auto& row = result.rows.front();
  return Letting{.id = row.integer(0),
                 .title = row.text(1),
                 .address = Address{.id = row.integer(8),
                                    .number = row.integer(2),
                                    .street = row.text(3),
                                    .city = row.text(4),
                                    .state = row.text(5),
                                    .zip_code = row.integer(6),
                                    .country_iso_code = row.text(7)}};
}

}  // namespace ocl::lettings
