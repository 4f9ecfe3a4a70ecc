#pragma once
/// @file
/// @brief Reading the Cookie header and writing Set-Cookie values.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace ocl::auth {

/// @brief The value of cookie `name` in the request's Cookie header(s); the last one wins, as in Django.
std::optional<std::string> find_cookie(const http::Request& request, std::string_view name);

/// @brief The attributes of a cookie the site sets.
struct CookieOptions {
  std::chrono::seconds max_age{0};
  bool http_only = false;
  bool secure = false;  ///< true unless DEBUG
};

/// @brief A Set-Cookie value: name=value; expires=...; [HttpOnly; ]Max-Age=...; Path=/; SameSite=Lax[; Secure].
std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options);

/// @brief A Set-Cookie value that deletes cookie `name` (expired, Max-Age=0).
std::string delete_cookie_value(std::string_view name, bool secure);

}  // namespace ocl::auth
