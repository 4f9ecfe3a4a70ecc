#include "db/value.hpp"

#include <fmt/format.h>

namespace ocl::db {

std::int64_t Row::integer(std::size_t column) const {
  if (const auto* number = std::get_if<std::int64_t>(&values_.at(column))) {
    return *number;
  }
  throw DatabaseError(fmt::format("column {} is not an integer", column));
}

const std::string& Row::text(std::size_t column) const {
  if (const auto* string = std::get_if<std::string>(&values_.at(column))) {
    return *string;
  }
  throw DatabaseError(fmt::format("column {} is not text", column));
}

std::optional<std::string> Row::optional_text(std::size_t column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return text(column);
}

}  // namespace ocl::db
