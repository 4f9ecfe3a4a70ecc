#include "http/url.hpp"

#include <array>

namespace ocl::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

/// Length of the UTF-8 sequence a lead byte starts, or 0 if it cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool valid_continuation(std::string_view bytes) {
  const auto lead = static_cast<unsigned char>(bytes[0]);
  const auto second = static_cast<unsigned char>(bytes[1]);
  // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
  if (lead == 0xE0 && second < 0xA0) return false;
  if (lead == 0xED && second > 0x9F) return false;
  if (lead == 0xF0 && second < 0x90) return false;
  if (lead == 0xF4 && second > 0x8F) return false;
  for (const char byte : bytes.substr(1)) {
    if ((static_cast<unsigned char>(byte) & 0xC0U) != 0x80U) return false;
  }
  return true;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t index = 0;
  while (index < text.size()) {
    const auto lead = static_cast<unsigned char>(text[index]);
    const auto length = sequence_length(lead);
    if (length == 0 || lead == 0 || index + length > text.size()) {
      return false;
    }
    if (length > 1 && !valid_continuation(text.substr(index, length))) {
      return false;
    }
    index += length;
  }
  return true;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char c = text[index];
    if (c == '%') {
      if (index + 2 >= text.size()) {
        return std::nullopt;
      }
      const int high = hex_value(text[index + 1]);
      const int low = hex_value(text[index + 2]);
      if (high < 0 || low < 0) {
        return std::nullopt;
      }
      decoded.push_back(static_cast<char>(high * 16 + low));
      index += 2;
    } else if (c == '+' && plus_as_space) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(c);
    }
  }
  if (!is_valid_utf8(decoded)) {
    return std::nullopt;
  }
  return decoded;
}

std::string percent_encode_segment(std::string_view text) {
  static constexpr std::array<char, 16> digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string encoded;
  encoded.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_unreserved(byte) || c == '@' || c == '+') {
      encoded.push_back(c);
    } else {
      encoded.push_back('%');
      encoded.push_back(digits.at(byte >> 4U));
      encoded.push_back(digits.at(byte & 0x0FU));
    }
  }
  return encoded;
}

std::optional<Target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return std::nullopt;
  }
  Target parsed;
  const auto question = target.find('?');
  parsed.raw_path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    parsed.raw_query = std::string(target.substr(question + 1));
  }
  auto path = percent_decode(parsed.raw_path);
  if (!path) {
    return std::nullopt;
  }
  parsed.path = std::move(*path);
  return parsed;
}

QueryParams parse_query(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    const auto ampersand = query.find('&');
    const auto pair = query.substr(0, ampersand);
    query = ampersand == std::string_view::npos ? std::string_view{} : query.substr(ampersand + 1);
    if (pair.empty()) {
      continue;
    }
    const auto equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals), true);
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1), true);
    if (name && value) {
      params.emplace_back(std::move(*name), std::move(*value));
    }
  }
  return params;
}

std::optional<std::string_view> find_param(const QueryParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace ocl::http
