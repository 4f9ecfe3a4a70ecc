#pragma once
/// @file
/// @brief String helpers shared by the parsers of header values, cookies and form input.

#include <string_view>

namespace ocl::http {

/// @brief `text` without its leading and trailing `blanks` (by default HTTP's optional whitespace).
constexpr std::string_view trim(std::string_view text, std::string_view blanks = " \t") {
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

}  // namespace ocl::http
