#include "admin/change_list.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "admin/query_builder.hpp"
#include "http/errors.hpp"

namespace ocl::admin {
namespace {

// "2.-1" -> columns 1 ascending then 0 descending; nullopt for anything malformed.
std::optional<std::vector<SortKey>> parse_sort(std::string_view text, std::size_t column_count) {
  std::vector<SortKey> keys;
  while (!text.empty()) {
    const auto dot = text.find('.');
    auto part = text.substr(0, dot);
    text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    const bool ascending = !part.starts_with('-');
    const auto index = parse_integer(ascending ? part : part.substr(1));
    if (!index || *index < 1 || static_cast<std::size_t>(*index) > column_count) {
      return std::nullopt;
    }
    const auto column = static_cast<std::size_t>(*index - 1);
    if (std::ranges::none_of(keys, [column](const SortKey& key) { return key.column == column; })) {
      keys.push_back({column, ascending});
    }
  }
  return keys;
}

bool apply_param(const ModelAdmin& admin, ListParams& params, const std::string& name, const std::string& value) {
  if (name == search_param) {
    params.search = value;
    return true;
  }
  if (name == page_param) {
    const auto page = parse_integer(value);
    params.page = page.value_or(0);
    return page && *page >= 1;
  }
  if (name == order_param) {
    auto sort = parse_sort(value, admin.list_display.size());
    params.sort = sort.value_or(std::vector<SortKey>{});
    return sort.has_value();
  }
  for (const auto& filter : admin.list_filter) {
    if (name == filter + "__exact" && (value == "0" || value == "1")) {
      params.filters.emplace_back(filter, value == "1");
      return true;
    }
  }
  return false;
}

struct Where {
  std::string text;
  std::vector<db::Value> values;
};

/// The search's words without repeats (a repeated word adds nothing); more than `max_search_words`
/// is refused: each word is one more clause, and SQLite refuses expressions over 1,000 deep.
std::vector<std::string> distinct_search_words(std::string_view search) {
  std::vector<std::string> words;
  for (auto& term : search_terms(search)) {
    if (std::ranges::find(words, term) == words.end()) {
      words.push_back(std::move(term));
    }
  }
  if (words.size() > max_search_words) {
    throw http::HttpError(http::Status::bad_request,
                          fmt::format("a search is limited to {} different words", max_search_words));
  }
  return words;
}

Where where_clause(QueryBuilder& builder, const ModelAdmin& admin, const ListParams& params, db::Dialect dialect) {
  Where where;
  const auto add = [&where](const std::string& condition) {
    where.text += where.text.empty() ? " WHERE " : " AND ";
    where.text += condition;
  };
  for (const auto& [field, value] : params.filters) {
    add(builder.expression(field) + " = ?");
    where.values.emplace_back(std::int64_t{value ? 1 : 0});
  }
  const auto like = dialect == db::Dialect::postgresql ? " ILIKE ? ESCAPE '\\'" : " LIKE ? ESCAPE '\\'";
  for (const auto& term : distinct_search_words(params.search)) {
    std::string any;
    for (const auto& field : admin.search_fields) {
      any += any.empty() ? "(" : " OR ";
      any += "CAST(" + builder.expression(field) + " AS TEXT)" + like;
      where.values.emplace_back(like_pattern(term));
    }
    if (!any.empty()) {
      add(any + ")");
    }
  }
  return where;
}

// Explicit sorts first, then the admin's (or model's) ordering, then the primary key for a stable order.
std::string order_clause(QueryBuilder& builder, const ModelAdmin& admin, const ListParams& params) {
  std::vector<std::string> terms;
  for (const auto& key : params.sort) {
    terms.push_back(builder.expression(admin.list_display.at(key.column)) + (key.ascending ? " ASC" : " DESC"));
  }
  auto defaults = admin.ordering.empty() ? admin.model->ordering : admin.ordering;
  if (defaults.empty()) {
    defaults = {"-" + admin.model->primary_key().name};
  }
  for (const auto& entry : defaults) {
    const bool descending = entry.starts_with('-');
    terms.push_back(builder.expression(descending ? entry.substr(1) : entry) + (descending ? " DESC" : " ASC"));
  }
  terms.push_back(builder.primary_key() + " DESC");
  std::string clause = " ORDER BY ";
  for (std::size_t index = 0; index < terms.size(); ++index) {
    clause += (index == 0 ? "" : ", ") + terms[index];
  }
  return clause;
}

std::int64_t count(db::Connection& connection, const std::string& sql, const std::vector<db::Value>& values) {
  return connection.query(sql, values).rows.at(0).integer(0);
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<ListParams> parse_list_params(const ModelAdmin& admin, const http::QueryParams& query) {
  ListParams params;
  for (const auto& [name, value] : query) {
    if (!apply_param(admin, params, name, value)) {
      return std::nullopt;
    }
  }
  return params;
}

std::string list_query_string(const ListParams& params) {
  std::vector<std::string> parts;
  for (const auto& [field, value] : params.filters) {
    parts.push_back(field + "__exact=" + (value ? "1" : "0"));
  }
  if (!params.sort.empty()) {
    std::string sort;
    for (const auto& key : params.sort) {
      sort += (sort.empty() ? "" : ".") + std::string(key.ascending ? "" : "-") + std::to_string(key.column + 1);
    }
    parts.push_back("o=" + sort);
  }
  if (params.page > 1) {
    parts.push_back("p=" + std::to_string(params.page));
  }
  if (!params.search.empty()) {
    parts.push_back("q=" + http::percent_encode_segment(params.search));
  }
  std::string text;
  for (const auto& part : parts) {
    text += (text.empty() ? "" : "&") + part;
  }
  return text;
}

std::vector<std::string> search_terms(std::string_view search) {
  std::vector<std::string> terms;
  std::string current;
  bool quoted = false;
  for (const char character : search) {
    if (character == '"') {
      quoted = !quoted;
    } else if (!quoted && (character == ' ' || character == '\t' || character == '\n' || character == '\r')) {
      if (!current.empty()) {
        terms.push_back(std::move(current));
        current.clear();
      }
    } else {
      current += character;
    }
  }
  if (!current.empty()) {
    terms.push_back(std::move(current));
  }
  return terms;
}

std::string like_pattern(std::string_view term) {
  std::string pattern = "%";
  for (const char character : term) {
    if (character == '\\' || character == '%' || character == '_') {
      pattern += '\\';
    }
    pattern += character;
  }
  return pattern + "%";
}

ChangeListPage load_change_list(db::Connection& connection, const ModelAdmin& admin, const ListParams& params) {
  QueryBuilder builder(*admin.model);
  std::string columns = builder.primary_key();
  for (const auto& column : admin.list_display) {
    columns += ", " + builder.expression(column);
  }
  const auto where = where_clause(builder, admin, params, connection.dialect());
  const auto order = order_clause(builder, admin, params);
  const auto from = builder.from_clause();

  ChangeListPage page;
  page.full_count = count(connection, "SELECT COUNT(*) FROM " + quote_identifier(admin.model->table), {});
  page.result_count = count(connection, "SELECT COUNT(*) " + from + where.text, where.values);
  page.page_count = std::max<std::int64_t>(1, (page.result_count + admin.list_per_page - 1) / admin.list_per_page);
  if (params.page > page.page_count) {
    throw http::NotFound("no such change list page");
  }
  page.page = params.page;
  auto values = where.values;
  values.emplace_back(admin.list_per_page);
  values.emplace_back((params.page - 1) * admin.list_per_page);
  const auto result =
      connection.query("SELECT " + columns + " " + from + where.text + order + " LIMIT ? OFFSET ?", values);
  for (const auto& row : result.rows) {
    ListRow list_row{row.integer(0), {}};
    list_row.cells.assign(row.values().begin() + 1, row.values().end());
    page.rows.push_back(std::move(list_row));
  }
  return page;
}

std::string column_label(const ModelAdmin& admin, std::string_view column) {
  const auto* field = admin.model->field(column.substr(0, column.find("__")));
  return field == nullptr ? capitalize_first(column) : capitalize_first(field->verbose_name);
}

}  // namespace ocl::admin
