#pragma once
/// @file
/// @brief Django database sessions: rows of django_session holding signed JSON, keyed by the sessionid cookie.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "db/connection.hpp"

namespace ocl::auth {

/// @brief The name of the session cookie (Django's SESSION_COOKIE_NAME).
inline constexpr std::string_view session_cookie_name = "sessionid";
/// @brief Two weeks, Django's SESSION_COOKIE_AGE.
inline constexpr std::chrono::seconds session_age{1209600};
/// @brief The session key that holds the signed-in user's id (a string, as Django stores it).
inline constexpr std::string_view session_user_id_key = "_auth_user_id";
/// @brief The session key that names the authentication backend.
inline constexpr std::string_view session_backend_key = "_auth_user_backend";
/// @brief The session key that holds get_session_auth_hash() of the user at sign-in.
inline constexpr std::string_view session_hash_key = "_auth_user_hash";
/// @brief Django's default authentication backend, written into every session.
inline constexpr std::string_view model_backend = "django.contrib.auth.backends.ModelBackend";

/// @brief A time as Django stores datetimes in SQLite: "YYYY-MM-DD HH:MM:SS.ffffff", UTC.
std::string database_datetime(std::chrono::system_clock::time_point time);

/// @brief A new random session key: 32 characters of [a-z0-9].
std::string new_session_key();

/// @brief True for a value that can be a session key (what Django writes: 8 to 40 of [a-z0-9]).
bool is_session_key(std::string_view key);

/// @brief Encodes session data as Django's SessionStore.encode (signed, compressed JSON).
std::string encode_session(const boost::json::object& data, std::string_view secret_key,
                           std::chrono::system_clock::time_point now);

/// @brief Decodes session data; nullopt when tampered with or signed with another key.
std::optional<boost::json::object> decode_session(std::string_view session_data, std::string_view secret_key);

/// @brief Django's get_session_auth_hash: hex salted HMAC-SHA256 of the password hash. Changing the password
/// changes it, which signs out every session created before.
std::string session_auth_hash(std::string_view password_hash, std::string_view secret_key);

/// @brief The session data Django's login() stores for a user.
boost::json::object login_session_data(std::int64_t user_id, std::string_view password_hash,
                                       std::string_view secret_key);

/// @brief Sessions in django_session, on one connection.
class SessionStore {
 public:
  SessionStore(db::Connection& connection, std::string_view secret_key)
      : connection_(connection), secret_key_(secret_key) {}

  /// @brief The data of an unexpired session, or nullopt (unknown, expired or tampered with).
  [[nodiscard]] std::optional<boost::json::object> load(std::string_view session_key,
                                                        std::chrono::system_clock::time_point now);
  /// @brief Stores `data` under a new key expiring two weeks from `now`; returns the key.
  std::string create(const boost::json::object& data, std::chrono::system_clock::time_point now);
  /// @brief Replaces the data of an existing session, keeping its expiry.
  void update(std::string_view session_key, const boost::json::object& data, std::chrono::system_clock::time_point now);
  /// @brief Deletes one session (logout).
  void remove(std::string_view session_key);
  /// @brief Deletes every expired session (clearsessions); returns how many.
  std::int64_t clear_expired(std::chrono::system_clock::time_point now);

 private:
  db::Connection& connection_;
  std::string secret_key_;
};

}  // namespace ocl::auth
