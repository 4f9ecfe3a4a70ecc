#pragma once
/// @file
/// @brief The change list query: search, filters, column sorting and pagination, as Django's ChangeList.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "admin/model_admin.hpp"
#include "db/connection.hpp"
#include "http/url.hpp"

namespace ocl::admin {

/// @brief Django's change list query parameters.
inline constexpr std::string_view search_param = "q";
inline constexpr std::string_view page_param = "p";
inline constexpr std::string_view order_param = "o";

/// @brief The whole of `text` as a decimal integer, or nullopt ("12abc", "1 AND 1=1", "" and overflows).
std::optional<std::int64_t> parse_integer(std::string_view text);

/// @brief One active sort: a 0-based list_display column, ascending or not.
struct SortKey {
  std::size_t column = 0;
  bool ascending = true;
  friend bool operator==(const SortKey&, const SortKey&) = default;
};

/// @brief What the visitor asked of a change list.
struct ListParams {
  std::string search;                                 ///< ?q=
  std::vector<std::pair<std::string, bool>> filters;  ///< ?is_staff__exact=1 -> {"is_staff", true}
  std::vector<SortKey> sort;                          ///< ?o=2.-1 (1-based in the URL)
  std::int64_t page = 1;                              ///< ?p= (1-based)
};

/// @brief Reads the change list parameters; nullopt when one is malformed (Django answers "?e=1").
std::optional<ListParams> parse_list_params(const ModelAdmin& admin, const http::QueryParams& query);

/// @brief The query string for `params` (without '?'), for sort, page and filter links.
std::string list_query_string(const ListParams& params);

/// @brief Splits a search like Django's smart_split: whitespace-separated terms, "quoted phrases" kept whole.
std::vector<std::string> search_terms(std::string_view search);

/// @brief The most different words a change-list search may hold (more is answered 400).
inline constexpr std::size_t max_search_words = 32;

/// @brief Escapes '\\', '%' and '_' for LIKE ... ESCAPE '\\', and wraps the term in '%'.
std::string like_pattern(std::string_view term);

/// @brief One change list row: the primary key and the list_display values.
struct ListRow {
  std::int64_t pk = 0;
  std::vector<db::Value> cells;
};

/// @brief One page of a change list.
struct ChangeListPage {
  std::vector<ListRow> rows;
  std::int64_t result_count = 0;  ///< rows matching search and filters
  std::int64_t full_count = 0;    ///< rows in the table
  std::int64_t page = 1;
  std::int64_t page_count = 1;
};

/// @brief Runs the change list query; throws http::NotFound for a page past the end.
ChangeListPage load_change_list(db::Connection& connection, const ModelAdmin& admin, const ListParams& params);

/// @brief The display label of a list_display entry ("Zip code", "Address").
std::string column_label(const ModelAdmin& admin, std::string_view column);

}  // namespace ocl::admin
