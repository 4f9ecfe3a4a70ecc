#include "auth/csrf.hpp"

#include "http/forwarded.hpp"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "auth/cookies.hpp"
#include "auth/crypto.hpp"
#include "http/errors.hpp"

namespace ocl::auth {
namespace {

constexpr std::size_t secret_length = 32;
constexpr std::size_t token_length = 64;
constexpr std::chrono::seconds csrf_cookie_age{31449600};  // Django's CSRF_COOKIE_AGE: 52 weeks
constexpr auto& chars = crypto::alphanumeric;

bool only_allowed_chars(std::string_view text) {
  return text.find_first_not_of(chars) == std::string_view::npos;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::ranges::transform(result, result.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

std::string unmask(std::string_view token) {
  const auto mask = token.substr(0, secret_length);
  const auto cipher = token.substr(secret_length);
  std::string secret;
  for (std::size_t index = 0; index < secret_length; ++index) {
    const auto shifted = chars.find(cipher[index]) + chars.size() - chars.find(mask[index]);
    secret.push_back(chars[shifted % chars.size()]);
  }
  return secret;
}

std::string header_text(const http::Request& request, std::string_view name) {
  const auto value = request[boost::beast::string_view(name.data(), name.size())];
  return {value.data(), value.size()};
}

bool is_form_body(const http::Request& request) {
  return lower(header_text(request, "Content-Type")).starts_with("application/x-www-form-urlencoded");
}

std::string request_token(const http::Request& request) {
  if (request.method() == http::Method::post && is_form_body(request)) {
    const auto form = http::parse_query(request.body());
    if (const auto value = http::find_param(form, csrf_field_name)) {
      return std::string(*value);
    }
  }
  return header_text(request, csrf_header_name);
}

/// "https://Host:port/path" -> "host:port"; empty when not an absolute URL of `scheme`.
std::string authority_of(std::string_view url, std::string_view scheme) {
  const auto prefix = std::string(scheme) + "://";
  if (!lower(url.substr(0, prefix.size())).starts_with(prefix)) {
    return {};
  }
  const auto rest = url.substr(prefix.size());
  return lower(rest.substr(0, rest.find_first_of("/?#")));
}

std::optional<std::string> origin_failure(const http::Request& request) {
  const auto origin = header_text(request, "Origin");
  const auto host = lower(header_text(request, "Host"));
  const auto sent = lower(origin);
  // Behind a TLS-terminating proxy that is not trusted the scheme is unknown; the host must match either way.
  const bool matches =
      !host.empty() && (sent == "https://" + host || (!http::is_https(request) && sent == "http://" + host));
  if (!matches) {
    return "Origin checking failed - " + origin + " does not match any trusted origins.";
  }
  return std::nullopt;
}

std::optional<std::string> referer_failure(const http::Request& request) {
  const auto referer = header_text(request, "Referer");
  if (referer.empty()) {
    return "Referer checking failed - no Referer.";
  }
  const auto host = lower(header_text(request, "Host"));
  if (authority_of(referer, "https") != host) {
    return "Referer checking failed - " + referer + " does not match any trusted origins.";
  }
  return std::nullopt;
}

std::optional<std::string> token_failure(const http::Request& request) {
  const auto state = csrf_state(request);
  if (!state.from_cookie) {
    return "CSRF cookie not set.";
  }
  const auto token = request_token(request);
  if (token.empty()) {
    return "CSRF token missing.";
  }
  const auto secret = csrf_secret_from_token(token);
  if (!secret) {
    return "CSRF token has incorrect length or invalid characters.";
  }
  if (!crypto::constant_time_equals(*secret, state.secret)) {
    return "CSRF token incorrect.";
  }
  return std::nullopt;
}

}  // namespace

std::string new_csrf_secret() {
  return crypto::random_string(secret_length);
}

std::string mask_csrf_secret(std::string_view secret) {
  const auto mask = crypto::random_string(secret_length);
  std::string cipher;
  for (std::size_t index = 0; index < secret_length; ++index) {
    cipher.push_back(chars[(chars.find(secret[index]) + chars.find(mask[index])) % chars.size()]);
  }
  return mask + cipher;
}

std::optional<std::string> csrf_secret_from_token(std::string_view token) {
  if (!only_allowed_chars(token)) {
    return std::nullopt;
  }
  if (token.size() == secret_length) {
    return std::string(token);
  }
  if (token.size() == token_length) {
    return unmask(token);
  }
  return std::nullopt;
}

CsrfState csrf_state(const http::Request& request) {
  if (const auto cookie = find_cookie(request, csrf_cookie_name)) {
    if (auto secret = csrf_secret_from_token(*cookie)) {
      return {std::move(*secret), true};
    }
  }
  return {new_csrf_secret(), false};
}

std::string csrf_cookie(std::string_view secret, const config::Settings& settings) {
  return set_cookie_value(csrf_cookie_name, secret, {.max_age = csrf_cookie_age, .secure = !settings.debug});
}

bool is_safe_method(http::Method method) {
  return method == http::Method::get || method == http::Method::head || method == http::Method::options ||
         method == http::Method::trace;
}

std::optional<std::string> csrf_failure(const http::Request& request) {
  if (is_safe_method(request.method())) {
    return std::nullopt;
  }
  if (request.count("Origin") != 0) {
    if (auto failure = origin_failure(request)) {
      return failure;
    }
  } else if (http::is_https(request)) {
    if (auto failure = referer_failure(request)) {
      return failure;
    }
  }
  return token_failure(request);
}

void enforce_csrf(const http::Context& context) {
  if (const auto failure = csrf_failure(context.request)) {
    spdlog::warn("Forbidden ({}): {}", *failure, context.target.path);
    throw http::HttpError(http::Status::forbidden, *failure);
  }
}

}  // namespace ocl::auth
