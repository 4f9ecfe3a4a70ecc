#pragma once
/// @file
/// @brief Page numbers for the public lists, as Django's Paginator reads and checks them.
///
/// The lists are ordered by primary key and read one page at a time with LIMIT/OFFSET. They
/// fetch one row more than a page holds instead of counting the table: whether there is a next
/// page is known from that extra row, so the first pages cost the same with six rows or millions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/errors.hpp"
#include "http/url.hpp"
#include "templates/engine.hpp"

namespace ocl::site {

/// @brief How many items a list page shows.
inline constexpr std::int64_t items_per_page = 50;

/// @brief The query parameter that selects a page (`?page=2`).
inline constexpr std::string_view page_param = "page";

/// @brief Reads a page number as Python's int() does for Django's Paginator.validate_number: ASCII
/// blanks around, an optional sign, digits (single underscores allowed between them). Returns
/// nullopt for anything else (empty, "abc", "1.0"), for numbers below 1 and for numbers so large
/// that no list could reach them: each of these is a 404.
std::optional<std::int64_t> parse_page_number(std::string_view text);

/// @brief The page a request asks for: its last `page` parameter (Django's QueryDict.get), page 1
/// without one; nullopt when the value is not a valid page number.
std::optional<std::int64_t> requested_page(const http::QueryParams& query);

/// @brief The rows to read for page `number`: `items_per_page + 1` rows from `offset()`.
struct PageWindow {
  std::int64_t number = 1;
  [[nodiscard]] std::int64_t limit() const { return items_per_page + 1; }
  [[nodiscard]] std::int64_t offset() const { return (number - 1) * items_per_page; }
};

/// @brief One page of a list.
template <typename Item>
struct Page {
  std::vector<Item> items;  ///< at most items_per_page
  std::int64_t number = 1;
  bool has_next = false;
  [[nodiscard]] bool has_previous() const { return number > 1; }
};

/// @brief Makes page `window.number` from the rows read for `window` (up to one more than a page
/// holds); nullopt when the page is past the end. Page 1 always exists, empty for an empty list,
/// as Django's allow_empty_first_page.
template <typename Item>
std::optional<Page<Item>> make_page(const PageWindow& window, std::vector<Item> rows) {
  if (rows.empty() && window.number > 1) {
    return std::nullopt;
  }
  Page<Item> page{.items = std::move(rows), .number = window.number};
  if (std::cmp_greater(page.items.size(), items_per_page)) {
    page.has_next = true;
    page.items.resize(static_cast<std::size_t>(items_per_page));
  }
  return page;
}

/// @brief The page of a list that the request's `?page=` asks for, read with `read_rows(limit, offset)`;
/// throws http::NotFound (as Django's paginator: 404) for a page number that is invalid or past the end.
template <typename ReadRows>
auto requested_page_of(const http::QueryParams& query, std::string_view list_name, ReadRows read_rows) {
  const auto number = requested_page(query);
  if (!number) {
    throw http::NotFound("invalid page number");
  }
  const PageWindow window{*number};
  auto page = make_page(window, read_rows(window.limit(), window.offset()));
  if (!page) {
    throw http::NotFound("no such page of " + std::string(list_name));
  }
  return std::move(*page);
}

/// @brief The link to page `number` of the list at `list_url`: the bare list URL for page 1.
std::string page_url(const std::string& list_url, std::int64_t number);

/// @brief The template data of the navigation between pages (`pagination`: page_number,
/// previous_url, next_url), or false when the list fits on one page.
templates::Data pagination_data(std::int64_t number, bool has_next, const std::string& list_url);

}  // namespace ocl::site
