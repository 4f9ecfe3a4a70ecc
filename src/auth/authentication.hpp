#pragma once
/// @file
/// @brief Who is signed in: the session cookie, its django_session row and the user it names.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "auth/guard.hpp"
#include "auth/models.hpp"
#include "config/settings.hpp"
#include "db/connection.hpp"
#include "http/context.hpp"

namespace ocl::auth {

/// @brief The path of the admin sign-in page.
inline constexpr std::string_view login_path = "/admin/login/";
/// @brief Where a successful sign-in goes when no usable `next` was given.
inline constexpr std::string_view admin_index_path = "/admin/";

/// @brief A request's signed-in user and the session that proves it.
struct SignedIn {
  CurrentUser user;
  std::string session_key;
  boost::json::object session;
};

/// @brief The user of the request's session, with their permissions; nullopt when anonymous. A session whose
/// password hash no longer matches the user's (the password changed) is deleted, as Django flushes it.
std::optional<SignedIn> signed_in_user(db::Connection& connection, const config::Settings& settings,
                                       const http::Request& request, std::chrono::system_clock::time_point now);

/// @brief The same, now, on a connection leased from the site's pool for the lookup only.
std::optional<SignedIn> signed_in_user(const app::Services& services, const http::Request& request);

/// @brief A CurrentUser for a user row, with their permissions.
CurrentUser current_user(db::Connection& connection, const User& user);

/// @brief Headers of every admin answer: Cache-Control (never cached), Vary and the csrftoken cookie.
void add_admin_headers(http::Response& response, const config::Settings& settings, std::string_view csrf_secret);

/// @brief The Set-Cookie value for a session key: two weeks, HttpOnly, SameSite=Lax, Secure unless DEBUG.
std::string session_cookie(std::string_view session_key, const config::Settings& settings);

/// @brief "/admin/login/?next=<the request's path and query, encoded>".
std::string login_url_for(const http::Context& context);

/// @brief Percent-encodes a query value, keeping "/" readable (Django's urlencode with safe="/").
std::string encode_query_value(std::string_view value);

/// @brief A local path made safe for a Location header: spaces, quotes and non-ASCII bytes percent-encoded.
std::string encode_location(std::string_view path);

/// @brief True when `next` is a path on this site: starts with one "/", no backslash or control characters.
bool is_safe_next(std::string_view next);

}  // namespace ocl::auth
