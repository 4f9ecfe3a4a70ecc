#pragma once
/// @file
/// @brief The server's configuration, read from the environment and an optional `.env` file.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <spdlog/common.h>

#include "db/database_url.hpp"
#include "net/address_ranges.hpp"

namespace ocl::config {

/// @brief Raised for a missing or malformed setting; `variable()` names it.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string variable, const std::string& message)
      : std::runtime_error(variable + ": " + message), variable_(std::move(variable)) {}
  [[nodiscard]] const std::string& variable() const { return variable_; }

 private:
  std::string variable_;
};

/// @brief Error and performance monitoring (Sentry); off while `dsn` is empty.
struct SentrySettings {
  std::string dsn;  ///< SENTRY_DSN (or SENTRY_DNS), validated
  std::string environment = "production";
  std::string release;                ///< default "oc-lettings@<version>"
  double traces_sample_rate = 1.0;    ///< 0..1
  double profiles_sample_rate = 0.0;  ///< 0..1
  bool send_default_pii = false;
  bool debug = false;
  std::string spotlight;  ///< Spotlight sidecar URL, or empty
};

/// @brief How long and how many connections the server gives its clients.
struct ConnectionLimits {
  std::int64_t request_timeout_seconds = 30;     ///< REQUEST_TIMEOUT: to read one request from its first byte
  std::int64_t keep_alive_timeout_seconds = 15;  ///< KEEP_ALIVE_TIMEOUT: idle time allowed between requests
  std::int64_t max_connections = 1000;           ///< MAX_CONNECTIONS: open at once; more get a 503
  std::int64_t max_header_fields = 100;          ///< LIMIT_REQUEST_FIELDS: header fields per request; more get a 431
};

/// @brief What the page cache keeps, and for how long.
struct PageCacheSettings {
  std::int64_t max_age_ms = 1000;  ///< PAGE_CACHE_MAX_AGE_MS: longest a page is served after rendering; 0 = off
  std::int64_t max_megabytes = 8;  ///< PAGE_CACHE_MAX_MB: memory for kept pages
};

/// @brief Every setting the server reads, with its validated value.
struct Settings {
  std::string secret_key;
  bool debug = false;
  std::vector<std::string> allowed_hosts;  ///< lower-case; "*" allows any, ".example.com" a domain and its subdomains
  db::DatabaseUrl database;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  spdlog::level::level_enum log_level = spdlog::level::info;
  std::string static_root = "static";  ///< folder served at /static/
  SentrySettings sentry;               ///< SENTRY_* variables
  /// FORWARDED_ALLOW_IPS: the proxies whose X-Forwarded-For, Forwarded and X-Forwarded-Proto are believed.
  net::AddressRanges forwarded_allow_ips = net::AddressRanges::parse(net::loopback_addresses);
  bool trust_forwarded_proto = false;        ///< TRUST_X_FORWARDED_PROTO (deprecated): X-Forwarded-Proto from any peer
  std::int64_t sentry_debug_per_minute = 3;  ///< SENTRY_DEBUG_PER_MINUTE: /sentry-debug/ events per client a minute
  std::int64_t hsts_seconds = 0;             ///< SECURE_HSTS_SECONDS: Strict-Transport-Security max-age, 0 = off
  bool hsts_include_subdomains = false;      ///< SECURE_HSTS_INCLUDE_SUBDOMAINS
  bool hsts_preload = false;                 ///< SECURE_HSTS_PRELOAD
  bool ssl_redirect = false;                 ///< SECURE_SSL_REDIRECT: plain-HTTP requests get a 301 to https://
  ConnectionLimits limits;
  PageCacheSettings page_cache;

  /// @brief True when a Host header value (with or without port) is allowed.
  [[nodiscard]] bool host_allowed(std::string_view host_header) const;
};

/// @brief Environment variables as name -> value.
using Environment = std::map<std::string, std::string, std::less<>>;

/// @brief The process environment, overlaid on the `.env` file at `dotenv_path` if it exists
/// (real environment variables win, as with python-dotenv).
Environment read_environment(const std::string& dotenv_path = ".env");

/// @brief Parses the lines of a `.env` file (KEY=value, optional quotes, # comments).
Environment parse_dotenv(std::string_view text);

/// @brief Validates and converts the environment into Settings; throws ConfigError naming the variable.
Settings load_settings(const Environment& environment);

}  // namespace ocl::config
