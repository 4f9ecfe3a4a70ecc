#include "auth/authentication.hpp"

#include <cctype>
#include <charconv>

#include "auth/cookies.hpp"
#include "auth/crypto.hpp"
#include "auth/csrf.hpp"
#include "auth/sessions.hpp"
#include "auth/users.hpp"

namespace ocl::auth {
namespace {

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

std::string string_field(const boost::json::object& session, std::string_view key) {
  const auto* value = session.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string{};
}

}  // namespace

std::optional<SignedIn> signed_in_user(const app::Services& services, const http::Request& request) {
  auto connection = services.database.lease();
  return signed_in_user(*connection, services.settings, request, std::chrono::system_clock::now());
}

CurrentUser current_user(db::Connection& connection, const User& user) {
  CurrentUser current;
  current.id = user.id;
  current.username = user.username;
  current.is_active = user.is_active;
  current.is_staff = user.is_staff;
  current.is_superuser = user.is_superuser;
  current.permissions = user_permissions(connection, user.id);
  return current;
}

std::optional<SignedIn> signed_in_user(db::Connection& connection, const config::Settings& settings,
                                       const http::Request& request, std::chrono::system_clock::time_point now) {
  const auto key = find_cookie(request, session_cookie_name);
  if (!key) {
    return std::nullopt;
  }
  SessionStore store(connection, settings.secret_key);
  auto session = store.load(*key, now);
  if (!session) {
    return std::nullopt;
  }
  const auto user_id = parse_id(string_field(*session, session_user_id_key));
  const auto user = user_id ? find_user(connection, *user_id) : std::nullopt;
  if (!user) {
    return std::nullopt;
  }
  const auto expected = session_auth_hash(user->password, settings.secret_key);
  if (!crypto::constant_time_equals(string_field(*session, session_hash_key), expected)) {
    store.remove(*key);
    return std::nullopt;
  }
  return SignedIn{current_user(connection, *user), *key, std::move(*session)};
}

void add_admin_headers(http::Response& response, const config::Settings& settings, std::string_view csrf_secret) {
  response.set(http::HeaderField::cache_control, "max-age=0, no-cache, no-store, must-revalidate, private");
  response.set(http::HeaderField::vary, "Cookie");
  response.insert(http::HeaderField::set_cookie, csrf_cookie(csrf_secret, settings));
}

std::string session_cookie(std::string_view session_key, const config::Settings& settings) {
  return set_cookie_value(session_cookie_name, session_key,
                          {.max_age = session_age, .http_only = true, .secure = !settings.debug});
}

std::string encode_query_value(std::string_view value) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string encoded;
  for (const char character : value) {
    const auto byte = static_cast<unsigned char>(character);
    if (std::isalnum(byte) != 0 || character == '-' || character == '.' || character == '_' || character == '~' ||
        character == '/') {
      encoded.push_back(character);
    } else {
      encoded += '%';
      encoded += hex[byte >> 4U];
      encoded += hex[byte & 0x0FU];
    }
  }
  return encoded;
}

std::string login_url_for(const http::Context& context) {
  auto full_path = context.target.raw_path;
  if (!context.target.raw_query.empty()) {
    full_path += "?" + context.target.raw_query;
  }
  return std::string(login_path) + "?next=" + encode_query_value(full_path);
}

std::string encode_location(std::string_view path) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string encoded;
  for (const char character : path) {
    const auto byte = static_cast<unsigned char>(character);
    if (byte <= 0x20 || byte >= 0x7F || character == '"' || character == '<' || character == '>') {
      encoded += '%';
      encoded += hex[byte >> 4U];
      encoded += hex[byte & 0x0FU];
    } else {
      encoded.push_back(character);
    }
  }
  return encoded;
}

bool is_safe_next(std::string_view next) {
  if (!next.starts_with('/') || next.starts_with("//") || next.starts_with("/\\")) {
    return false;
  }
  for (const char character : next) {
    const auto byte = static_cast<unsigned char>(character);
    if (byte < 0x20 || byte == 0x7F || character == '\\') {
      return false;
    }
  }
  return true;
}

}  // namespace ocl::auth
