#include "auth/validators.hpp"
#include "http/text.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_set>

// The list of common passwords is compiled into the binary from auth/data/common-passwords.txt (found through the
// src/ include path). Edit that file and rebuild this one to change it.
asm(".section .rodata\n"
    ".balign 8\n"
    "ocl_common_passwords_begin:\n"
    ".incbin \"auth/data/common-passwords.txt\"\n"
    "ocl_common_passwords_end:\n"
    ".byte 0\n"
    ".previous\n");
extern "C" const char ocl_common_passwords_begin[];  // NOLINT: defined by the assembler block above
extern "C" const char ocl_common_passwords_end[];    // NOLINT: defined by the assembler block above

namespace ocl::auth {
namespace {

constexpr std::size_t min_length = 8;
constexpr double max_similarity = 0.7;

/// Decodes UTF-8 into code points (invalid bytes count as one character each), as Python sees a str.
std::u32string code_points(std::string_view text) {
  std::u32string points;
  for (std::size_t index = 0; index < text.size();) {
    const auto lead = static_cast<unsigned char>(text[index]);
    const std::size_t length = lead < 0x80            ? 1
                               : (lead >> 5U) == 0x6  ? 2
                               : (lead >> 4U) == 0xE  ? 3
                               : (lead >> 3U) == 0x1E ? 4
                                                      : 1;
    char32_t point = length == 1 ? lead : lead & (0x7FU >> length);
    for (std::size_t next = 1; next < length && index + next < text.size(); ++next) {
      point = (point << 6U) | (static_cast<unsigned char>(text[index + next]) & 0x3FU);
    }
    points.push_back(point);
    index += length;
  }
  return points;
}

char32_t lower(char32_t point) {
  return point >= U'A' && point <= U'Z' ? point - U'A' + U'a' : point;
}

std::u32string lower(std::u32string text) {
  std::ranges::transform(text, text.begin(), [](char32_t point) { return lower(point); });
  return text;
}

std::string lower_ascii(std::string_view text) {
  std::string result(text);
  std::ranges::transform(result, result.begin(),
                         [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return result;
}

/// Python's \w for our purposes: ASCII letters, digits, underscore, and every non-ASCII character.
bool is_word(char32_t point) {
  return (point >= U'a' && point <= U'z') || (point >= U'A' && point <= U'Z') || (point >= U'0' && point <= U'9') ||
         point == U'_' || point >= 0x80;
}

/// re.split(r"\W+", value) + [value]
std::vector<std::u32string> value_parts(const std::u32string& value) {
  std::vector<std::u32string> parts{{}};
  bool in_separator = false;
  for (const char32_t point : value) {
    if (is_word(point)) {
      if (in_separator) {
        parts.emplace_back();
        in_separator = false;
      }
      parts.back().push_back(point);
    } else {
      in_separator = true;
    }
  }
  if (in_separator) {
    parts.emplace_back();
  }
  parts.push_back(value);
  return parts;
}

/// Django's exceeds_maximum_length_ratio: a much shorter value cannot make the password similar.
bool exceeds_maximum_length_ratio(std::size_t password_length, std::size_t value_length) {
  const double length_bound_similarity = max_similarity / 2 * static_cast<double>(password_length);
  return password_length >= 10 * value_length && static_cast<double>(value_length) < length_bound_similarity;
}

bool too_similar(const std::u32string& password, std::string_view value) {
  if (value.empty()) {
    return false;
  }
  for (const auto& part : value_parts(lower(code_points(value)))) {
    if (!exceeds_maximum_length_ratio(password.size(), part.size()) && quick_ratio(password, part) >= max_similarity) {
      return true;
    }
  }
  return false;
}

const std::unordered_set<std::string>& common_passwords() {
  static const auto passwords = [] {
    std::unordered_set<std::string> set;
    std::string_view text(ocl_common_passwords_begin,
                          static_cast<std::size_t>(ocl_common_passwords_end - ocl_common_passwords_begin));
    while (!text.empty()) {
      const auto end = text.find('\n');
      const auto line = http::trim(text.substr(0, end), " \t\r\n");
      text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      if (!line.empty()) {
        set.insert(lower_ascii(line));
      }
    }
    return set;
  }();
  return passwords;
}

bool is_numeric(std::string_view password) {
  return !password.empty() && std::ranges::all_of(password, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

double quick_ratio(std::u32string_view left, std::u32string_view right) {
  const auto total = left.size() + right.size();
  if (total == 0) {
    return 1.0;
  }
  std::map<char32_t, std::size_t> available;
  for (const char32_t point : right) {
    ++available[point];
  }
  std::size_t matches = 0;
  for (const char32_t point : left) {
    auto found = available.find(point);
    if (found != available.end() && found->second > 0) {
      --found->second;
      ++matches;
    }
  }
  return 2.0 * static_cast<double>(matches) / static_cast<double>(total);
}

bool is_common_password(std::string_view password) {
  return common_passwords().contains(lower_ascii(http::trim(password, " \t\r\n")));
}

std::size_t common_password_count() {
  return common_passwords().size();
}

std::vector<std::string> validate_password(std::string_view password, const UserAttributes& user) {
  std::vector<std::string> errors;
  const auto lowered = lower(code_points(password));
  const std::pair<std::string_view, std::string_view> attributes[] = {{user.username, "username"},
                                                                      {user.first_name, "first name"},
                                                                      {user.last_name, "last name"},
                                                                      {user.email, "email address"}};
  for (const auto& [value, name] : attributes) {
    if (too_similar(lowered, value)) {
      errors.push_back("The password is too similar to the " + std::string(name) + ".");
      break;
    }
  }
  if (code_points(password).size() < min_length) {
    errors.emplace_back("This password is too short. It must contain at least 8 characters.");
  }
  if (is_common_password(password)) {
    errors.emplace_back("This password is too common.");
  }
  if (is_numeric(password)) {
    errors.emplace_back("This password is entirely numeric.");
  }
  return errors;
}

}  // namespace ocl::auth
