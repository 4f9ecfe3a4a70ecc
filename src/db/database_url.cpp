#include "db/database_url.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace ocl::db {
namespace {

constexpr std::string_view scheme_separator = "://";

std::string lower_case(std::string_view text) {
  std::string result(text);
  std::ranges::transform(result, result.begin(),
                         [](unsigned char letter) { return static_cast<char>(std::tolower(letter)); });
  return result;
}

// Django's dj-database-url convention: three slashes then a relative path, four for an absolute one.
DatabaseUrl parse_sqlite(std::string_view url, std::string_view rest) {
  if (rest.empty() || rest.front() != '/') {
    throw InvalidDatabaseUrl(fmt::format(
        "DATABASE_URL '{}' has no file path: use sqlite:///relative.sqlite3 or sqlite:////absolute/path.sqlite3", url));
  }
  std::string path(rest.substr(1));
  if (path.empty() || path == "/") {
    throw InvalidDatabaseUrl(fmt::format("DATABASE_URL '{}' names no database file", url));
  }
  return DatabaseUrl{DatabaseUrl::Scheme::sqlite, std::move(path), std::string(url)};
}

DatabaseUrl parse_postgresql(std::string_view url, std::string_view rest) {
  if (rest.empty()) {
    throw InvalidDatabaseUrl(fmt::format("DATABASE_URL '{}' names no PostgreSQL server", url));
  }
  return DatabaseUrl{DatabaseUrl::Scheme::postgresql, {}, std::string(url)};
}

}  // namespace

std::string DatabaseUrl::redacted() const {
  const auto authority_start = original.find(scheme_separator);
  if (authority_start == std::string::npos) {
    return original;
  }
  const auto user_start = authority_start + scheme_separator.size();
  const auto authority_end = std::min(original.find('/', user_start), original.size());
  const auto at = original.rfind('@', authority_end);
  if (at == std::string::npos || at < user_start) {
    return original;
  }
  const auto colon = original.find(':', user_start);
  if (colon == std::string::npos || colon > at) {
    return original;
  }
  return original.substr(0, colon + 1) + "***" + original.substr(at);
}

DatabaseUrl parse_database_url(std::string_view url) {
  if (url.empty()) {
    throw InvalidDatabaseUrl("DATABASE_URL is empty: use sqlite:///path.sqlite3 or postgres://user:password@host/name");
  }
  const auto separator = url.find(scheme_separator);
  if (separator == std::string_view::npos || separator == 0) {
    throw InvalidDatabaseUrl(fmt::format(
        "DATABASE_URL '{}' is not a URL: use sqlite:///path.sqlite3 or postgres://user:password@host/name", url));
  }
  const auto scheme = lower_case(url.substr(0, separator));
  const auto rest = url.substr(separator + scheme_separator.size());
  if (scheme == "sqlite") {
    return parse_sqlite(url, rest);
  }
  if (scheme == "postgres" || scheme == "postgresql") {
    return parse_postgresql(url, rest);
  }
  // The URL may carry a password, so only its scheme is repeated.
  throw InvalidDatabaseUrl(fmt::format(
      "DATABASE_URL scheme '{}' is not supported: use sqlite:///path.sqlite3 or postgres://user:password@host/name",
      scheme));
}

}  // namespace ocl::db
