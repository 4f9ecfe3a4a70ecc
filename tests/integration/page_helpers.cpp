#include "page_helpers.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <regex>
#include <utility>

namespace ocl::integration {

namespace {

std::optional<std::pair<std::string, std::size_t>> decode_entity(std::string_view text) {
  static const std::array<std::pair<std::string_view, std::string_view>, 5> named{
      {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}}};
  for (const auto& [entity, character] : named) {
    if (text.starts_with(entity)) {
      return std::pair{std::string(character), entity.size()};
    }
  }
  static const std::regex numeric{R"(^&#([xX]?)([0-9a-fA-F]{1,6});)"};
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_search(text.begin(), text.end(), match, numeric)) {
    return std::nullopt;
  }
  const auto code = std::stoul(match[2].str(), nullptr, match[1].length() > 0 ? 16 : 10);
  if (code >= 0x80) {
    return std::nullopt;  // only the ASCII escapes matter for these pages
  }
  return std::pair{std::string(1, static_cast<char>(code)), static_cast<std::size_t>(match.length(0))};
}

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::string html_unescape(std::string_view html) {
  std::string text;
  text.reserve(html.size());
  for (std::size_t index = 0; index < html.size();) {
    if (html[index] == '&') {
      if (const auto decoded = decode_entity(html.substr(index))) {
        text += decoded->first;
        index += decoded->second;
        continue;
      }
    }
    text += html[index++];
  }
  return text;
}

std::string percent_encode_all(std::string_view text) {
  static constexpr std::string_view digits = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 && byte < 0x80) {
      encoded += c;
    } else if (c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += digits[byte >> 4U];
      encoded += digits[byte & 0x0FU];
    }
  }
  return encoded;
}

std::string percent_decode(std::string_view text) {
  std::string decoded;
  for (std::size_t index = 0; index < text.size(); ++index) {
    if (text[index] == '%' && index + 2 < text.size() && is_hex(text[index + 1]) && is_hex(text[index + 2])) {
      decoded += static_cast<char>(std::stoi(std::string(text.substr(index + 1, 2)), nullptr, 16));
      index += 2;
    } else {
      decoded += text[index];
    }
  }
  return decoded;
}

std::vector<Link> links_under(std::string_view html, std::string_view prefix) {
  static const std::regex anchor{R"(<a\s[^>]*href="([^"]*)\"[^>]*>([^<]*)</a>)"};
  std::vector<Link> found;
  const std::string text{html};
  for (auto it = std::sregex_iterator(text.begin(), text.end(), anchor); it != std::sregex_iterator(); ++it) {
    auto href = (*it)[1].str();
    if (href.size() > prefix.size() && href.starts_with(prefix)) {
      found.push_back(Link{std::move(href), (*it)[2].str()});
    }
  }
  return found;
}

bool is_ascii(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace ocl::integration
