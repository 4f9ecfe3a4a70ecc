#include "site/pagination.hpp"

#include <limits>

namespace ocl::site {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<std::int64_t> parse_page_number(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_blank(text.back())) {
    text.remove_suffix(1);
  }
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || !is_digit(text.front()) || !is_digit(text.back())) {
    return std::nullopt;
  }
  // Any page past this one lies beyond every list (and beyond the OFFSET arithmetic): 404 as well.
  constexpr std::int64_t last_reachable = std::numeric_limits<std::int64_t>::max() / items_per_page;
  std::int64_t value = 0;
  bool too_large = false;
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char c = text[index];
    if (c == '_') {
      if (!is_digit(text[index + 1]) || !is_digit(text[index - 1])) {  // never at either end: checked above
        return std::nullopt;
      }
      continue;
    }
    if (!is_digit(c)) {
      return std::nullopt;
    }
    if (!too_large) {
      value = value * 10 + (c - '0');
      too_large = value > last_reachable;
    }
  }
  if (negative || too_large || value < 1) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> requested_page(const http::QueryParams& query) {
  std::optional<std::string_view> last;
  for (const auto& [name, value] : query) {
    if (name == page_param) {
      last = value;
    }
  }
  return last ? parse_page_number(*last) : std::optional<std::int64_t>{1};
}

std::string page_url(const std::string& list_url, std::int64_t number) {
  if (number <= 1) {
    return list_url;
  }
  return list_url + "?" + std::string(page_param) + "=" + std::to_string(number);
}

templates::Data pagination_data(std::int64_t number, bool has_next, const std::string& list_url) {
  if (number <= 1 && !has_next) {
    return templates::Data{templates::Data::type::bool_false};
  }
  templates::Data data{templates::Data::type::object};
  data.set("page_number", std::to_string(number));
  if (number > 1) {
    data.set("previous_url", page_url(list_url, number - 1));
  }
  if (has_next) {
    data.set("next_url", page_url(list_url, number + 1));
  }
  return data;
}

}  // namespace ocl::site
