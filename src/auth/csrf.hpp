#pragma once
/// @file
/// @brief Django's CSRF protection: a secret in the csrftoken cookie, masked tokens in forms, and
/// Origin/Referer checks.

#include <optional>
#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "http/context.hpp"

namespace ocl::auth {

/// @brief Django's CSRF_COOKIE_NAME.
inline constexpr std::string_view csrf_cookie_name = "csrftoken";
/// @brief The form field that carries the token.
inline constexpr std::string_view csrf_field_name = "csrfmiddlewaretoken";
/// @brief The header that carries the token for scripts (Django's CSRF_HEADER_NAME).
inline constexpr std::string_view csrf_header_name = "X-CSRFToken";

/// @brief A new 32-character secret.
std::string new_csrf_secret();

/// @brief A 64-character token: a random mask followed by the secret shifted by the mask (Django's
/// _mask_cipher_secret).
std::string mask_csrf_secret(std::string_view secret);

/// @brief The secret behind a token: 32 characters are the secret itself, 64 are unmasked; nullopt otherwise.
std::optional<std::string> csrf_secret_from_token(std::string_view token);

/// @brief The CSRF secret of a request: the cookie's when it holds a valid one, else a new one.
struct CsrfState {
  std::string secret;
  bool from_cookie = false;
};

/// @brief Reads the csrftoken cookie (or makes a new secret).
CsrfState csrf_state(const http::Request& request);

/// @brief The Set-Cookie value for the secret: a year, SameSite=Lax, readable by scripts, Secure unless DEBUG.
std::string csrf_cookie(std::string_view secret, const config::Settings& settings);

/// @brief True for GET, HEAD, OPTIONS and TRACE, which CSRF protection lets through.
bool is_safe_method(http::Method method);

/// @brief Why an unsafe request fails CSRF protection, or nullopt when it passes: the Origin (if sent) must be
/// this host; over HTTPS (as resolve_forwarding() left X-Forwarded-Proto) without Origin a same-host HTTPS Referer is
/// required; the token from the form field `csrfmiddlewaretoken` (urlencoded body) or the X-CSRFToken header must match
/// the cookie's secret.
std::optional<std::string> csrf_failure(const http::Request& request);

/// @brief Checks an unsafe request; logs and throws HttpError(403) on failure. Safe methods pass.
void enforce_csrf(const http::Context& context);

}  // namespace ocl::auth
