#include "config/settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/version.hpp"
#include "monitoring/dsn.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX global

namespace ocl::config {
namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string text) {
  std::ranges::transform(text, text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string value_or(const Environment& environment, std::string_view name, const std::string& fallback) {
  const auto found = environment.find(name);
  return found == environment.end() ? fallback : found->second;
}

bool parse_bool(const std::string& variable, const std::string& raw) {
  const auto value = lower(trim(raw));
  if (value == "1" || value == "true" || value == "yes" || value == "on") {
    return true;
  }
  if (value.empty() || value == "0" || value == "false" || value == "no" || value == "off") {
    return false;
  }
  throw ConfigError(variable, "expected true or false, got '" + raw + "'");
}

std::uint16_t parse_port(const std::string& variable, const std::string& raw) {
  const auto value = trim(raw);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), port);
  if (error != std::errc{} || end != value.data() + value.size() || port == 0 || port > 65535) {
    throw ConfigError(variable, "expected a port number from 1 to 65535, got '" + raw + "'");
  }
  return static_cast<std::uint16_t>(port);
}

spdlog::level::level_enum parse_log_level(const std::string& variable, const std::string& raw) {
  const auto value = lower(trim(raw));
  // Python logging's names, as the Django site used them, plus spdlog's own.
  if (value == "debug") return spdlog::level::debug;
  if (value == "info") return spdlog::level::info;
  if (value == "warning" || value == "warn") return spdlog::level::warn;
  if (value == "error") return spdlog::level::err;
  if (value == "critical") return spdlog::level::critical;
  if (value == "trace") return spdlog::level::trace;
  if (value == "off") return spdlog::level::off;
  throw ConfigError(variable, "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got '" + raw + "'");
}

std::vector<std::string> parse_hosts(const std::string& raw) {
  std::vector<std::string> hosts;
  std::stringstream stream(raw);
  std::string item;
  while (std::getline(stream, item, ',')) {
    auto host = lower(trim(item));
    if (!host.empty()) {
      hosts.push_back(std::move(host));
    }
  }
  return hosts;
}

/// Strips the port from a Host header ("example.com:8000", "[::1]:8000").
std::string_view host_without_port(std::string_view host) {
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    return close == std::string_view::npos ? std::string_view{} : host.substr(0, close + 1);
  }
  const auto colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

double parse_rate(const std::string& variable, const std::string& raw) {
  const auto value = trim(raw);
  double rate = -1;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), rate);
  if (error != std::errc{} || end != value.data() + value.size() || rate < 0 || rate > 1) {
    throw ConfigError(variable, "expected a number from 0 to 1, got '" + raw + "'");
  }
  return rate;
}

/// SENTRY_SPOTLIGHT: "1"/"true" means the sidecar's default address, a URL means that URL.
std::string parse_spotlight(const std::string& raw) {
  auto value = trim(raw);
  if (value.starts_with("http://") || value.starts_with("https://")) {
    return value;
  }
  return parse_bool("SENTRY_SPOTLIGHT", value) ? "http://localhost:8969/stream" : "";
}

/// A whole number from `minimum` up; `unit` names what it counts in the error message.
std::int64_t parse_whole(const std::string& variable, const std::string& raw, std::int64_t minimum,
                         std::string_view unit) {
  const auto value = trim(raw);
  std::int64_t number = -1;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc{} || end != value.data() + value.size() || number < minimum) {
    throw ConfigError(variable, fmt::format("expected a whole number of {} from {}, got '{}'", unit, minimum, raw));
  }
  return number;
}

std::int64_t parse_seconds(const std::string& variable, const std::string& raw) {
  return parse_whole(variable, raw, 0, "seconds");
}

ConnectionLimits load_limits(const Environment& environment) {
  const ConnectionLimits defaults;
  const auto read = [&environment](const std::string& variable, std::int64_t fallback, std::string_view unit) {
    return parse_whole(variable, value_or(environment, variable, std::to_string(fallback)), 1, unit);
  };
  return {.request_timeout_seconds = read("REQUEST_TIMEOUT", defaults.request_timeout_seconds, "seconds"),
          .keep_alive_timeout_seconds = read("KEEP_ALIVE_TIMEOUT", defaults.keep_alive_timeout_seconds, "seconds"),
          .max_connections = read("MAX_CONNECTIONS", defaults.max_connections, "connections"),
          .max_header_fields = read("LIMIT_REQUEST_FIELDS", defaults.max_header_fields, "header fields")};
}

PageCacheSettings load_page_cache(const Environment& environment) {
  const PageCacheSettings defaults;
  return {.max_age_ms = parse_whole("PAGE_CACHE_MAX_AGE_MS",
                                    value_or(environment, "PAGE_CACHE_MAX_AGE_MS", std::to_string(defaults.max_age_ms)),
                                    0, "milliseconds"),
          .max_megabytes = parse_whole(
              "PAGE_CACHE_MAX_MB", value_or(environment, "PAGE_CACHE_MAX_MB", std::to_string(defaults.max_megabytes)),
              1, "megabytes")};
}

/// Which proxies are believed about the client, under gunicorn's name, and the setting it replaces.
void load_proxy_settings(const Environment& environment, Settings& settings) {
  try {
    settings.forwarded_allow_ips =
        net::AddressRanges::parse(value_or(environment, "FORWARDED_ALLOW_IPS", std::string(net::loopback_addresses)));
  } catch (const std::invalid_argument& error) {
    throw ConfigError("FORWARDED_ALLOW_IPS", error.what());
  }
  if (environment.contains("TRUST_X_FORWARDED_PROTO")) {
    settings.trust_forwarded_proto = parse_bool("TRUST_X_FORWARDED_PROTO", environment.at("TRUST_X_FORWARDED_PROTO"));
    spdlog::warn(
        "TRUST_X_FORWARDED_PROTO is deprecated: set FORWARDED_ALLOW_IPS to the proxies' addresses "
        "(\"*\" on Render), whose X-Forwarded-For and X-Forwarded-Proto are then believed");
  }
  settings.sentry_debug_per_minute =
      parse_whole("SENTRY_DEBUG_PER_MINUTE", value_or(environment, "SENTRY_DEBUG_PER_MINUTE", "3"), 0, "events");
}

/// Django's SecurityMiddleware settings, under their Django names.
void load_https_settings(const Environment& environment, Settings& settings) {
  settings.hsts_seconds = parse_seconds("SECURE_HSTS_SECONDS", value_or(environment, "SECURE_HSTS_SECONDS", "0"));
  settings.hsts_include_subdomains =
      parse_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", value_or(environment, "SECURE_HSTS_INCLUDE_SUBDOMAINS", "false"));
  settings.hsts_preload = parse_bool("SECURE_HSTS_PRELOAD", value_or(environment, "SECURE_HSTS_PRELOAD", "false"));
  settings.ssl_redirect = parse_bool("SECURE_SSL_REDIRECT", value_or(environment, "SECURE_SSL_REDIRECT", "false"));
}

SentrySettings load_sentry(const Environment& environment) {
  SentrySettings sentry;
  // SENTRY_DNS is the Django site's spelling of the same variable.
  sentry.dsn = trim(value_or(environment, "SENTRY_DSN", value_or(environment, "SENTRY_DNS", "")));
  if (!sentry.dsn.empty()) {
    try {
      static_cast<void>(monitoring::parse_dsn(sentry.dsn));
    } catch (const monitoring::InvalidDsn& error) {
      throw ConfigError("SENTRY_DSN", error.what());
    }
  }
  sentry.environment = trim(value_or(environment, "SENTRY_ENVIRONMENT", sentry.environment));
  sentry.release = trim(value_or(environment, "SENTRY_RELEASE", "oc-lettings@" + std::string(version())));
  sentry.traces_sample_rate =
      parse_rate("SENTRY_TRACES_SAMPLE_RATE", value_or(environment, "SENTRY_TRACES_SAMPLE_RATE", "1.0"));
  sentry.profiles_sample_rate =
      parse_rate("SENTRY_PROFILES_SAMPLE_RATE", value_or(environment, "SENTRY_PROFILES_SAMPLE_RATE", "0"));
  sentry.send_default_pii =
      parse_bool("SENTRY_SEND_DEFAULT_PII", value_or(environment, "SENTRY_SEND_DEFAULT_PII", "false"));
  sentry.debug = parse_bool("SENTRY_DEBUG", value_or(environment, "SENTRY_DEBUG", "false"));
  sentry.spotlight = parse_spotlight(value_or(environment, "SENTRY_SPOTLIGHT", ""));
  return sentry;
}

}  // namespace

bool Settings::host_allowed(std::string_view host_header) const {
  const auto host = lower(std::string(host_without_port(host_header)));
  if (host.empty()) {
    return false;
  }
  return std::ranges::any_of(allowed_hosts, [&](const std::string& pattern) {
    if (pattern == "*" || pattern == host) {
      return true;
    }
    // ".example.com" matches example.com and every subdomain, as in Django.
    return pattern.starts_with('.') && (host == std::string_view(pattern).substr(1) || host.ends_with(pattern));
  });
}

Environment parse_dotenv(std::string_view text) {
  Environment environment;
  std::stringstream stream{std::string(text)};
  std::string line;
  while (std::getline(stream, line)) {
    auto entry = trim(line);
    if (entry.empty() || entry.starts_with('#')) {
      continue;
    }
    if (entry.starts_with("export ")) {
      entry = trim(std::string_view(entry).substr(7));
    }
    const auto equals = entry.find('=');
    if (equals == std::string::npos) {
      continue;
    }
    auto key = trim(std::string_view(entry).substr(0, equals));
    auto value = trim(std::string_view(entry).substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    environment[key] = value;
  }
  return environment;
}

Environment read_environment(const std::string& dotenv_path) {
  Environment environment;
  if (std::ifstream file{dotenv_path}) {
    std::stringstream content;
    content << file.rdbuf();
    environment = parse_dotenv(content.str());
  }
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable{*entry};
    const auto equals = variable.find('=');
    if (equals != std::string_view::npos) {
      environment[std::string(variable.substr(0, equals))] = std::string(variable.substr(equals + 1));
    }
  }
  return environment;
}

Settings load_settings(const Environment& environment) {
  Settings settings;
  settings.debug = parse_bool("DEBUG", value_or(environment, "DEBUG", "false"));
  settings.secret_key = value_or(environment, "SECRET_KEY", "");
  if (settings.secret_key.empty()) {
    if (!settings.debug) {
      throw ConfigError("SECRET_KEY", "must be set when DEBUG is off");
    }
    settings.secret_key = "insecure-development-key-do-not-use-in-production";
  }
  settings.allowed_hosts = parse_hosts(value_or(environment, "ALLOWED_HOSTS", ""));
  if (const auto render_host = trim(value_or(environment, "RENDER_EXTERNAL_HOSTNAME", "")); !render_host.empty()) {
    settings.allowed_hosts.push_back(lower(render_host));
  }
  if (settings.allowed_hosts.empty() && settings.debug) {
    // Django's default when DEBUG is on and ALLOWED_HOSTS is empty.
    settings.allowed_hosts = {".localhost", "127.0.0.1", "[::1]"};
  }
  try {
    settings.database =
        db::parse_database_url(value_or(environment, "DATABASE_URL", "sqlite:///oc-lettings-site.sqlite3"));
  } catch (const db::InvalidDatabaseUrl& error) {
    throw ConfigError("DATABASE_URL", error.what());
  }
  settings.host = trim(value_or(environment, "HOST", settings.host));
  if (settings.host.empty()) {
    throw ConfigError("HOST", "must not be empty");
  }
  settings.port = parse_port("PORT", value_or(environment, "PORT", "8000"));
  settings.log_level = parse_log_level("LOG_LEVEL", value_or(environment, "LOG_LEVEL", "INFO"));
  settings.static_root = value_or(environment, "STATIC_ROOT", settings.static_root);
  load_proxy_settings(environment, settings);
  load_https_settings(environment, settings);
  settings.limits = load_limits(environment);
  settings.page_cache = load_page_cache(environment);
  settings.sentry = load_sentry(environment);
  return settings;
}

}  // namespace ocl::config
