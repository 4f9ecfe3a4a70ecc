#pragma once
/// @file
/// @brief Strict decoding of request targets: percent-encoding, UTF-8 and query strings.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ocl::http {

/// @brief A request target split into its decoded path and its raw query.
struct Target {
  std::string path;       ///< percent-decoded, valid UTF-8, starts with '/'; empty if undecodable
  std::string raw_path;   ///< as sent, for redirects that must keep the client's encoding
  std::string raw_query;  ///< after '?', without it; empty if none
};

/// @brief Decoded query parameters in the order sent (repeated names allowed).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// @brief Percent-decodes `text`; nullopt for broken escapes or a result that is not valid UTF-8.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space = false);

/// @brief Percent-encodes everything but RFC 3986 unreserved characters (for one path segment).
std::string percent_encode_segment(std::string_view text);

/// @brief True when `text` is well-formed UTF-8 without overlong forms, surrogates or NUL.
bool is_valid_utf8(std::string_view text);

/// @brief Parses an origin-form target ("/path?query"); nullopt if malformed or badly encoded.
std::optional<Target> parse_target(std::string_view target);

/// @brief Parses an application/x-www-form-urlencoded string; pairs that fail to decode are dropped.
QueryParams parse_query(std::string_view query);

/// @brief The first value of `name` in `params`, if any.
std::optional<std::string_view> find_param(const QueryParams& params, std::string_view name);

}  // namespace ocl::http
