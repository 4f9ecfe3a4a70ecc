#include "auth/sessions.hpp"

#include <ctime>

#include <fmt/format.h>

#include "auth/crypto.hpp"
#include "auth/signing.hpp"

namespace ocl::auth {
namespace {

constexpr std::string_view session_salt = "django.contrib.sessions.SessionStore";
constexpr std::string_view auth_hash_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash";
constexpr std::string_view session_key_alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::size_t session_key_length = 32;

std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

std::string database_datetime(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time - seconds).count();
  const std::time_t stamp = std::chrono::system_clock::to_time_t(seconds);
  std::tm utc{};
  gmtime_r(&stamp, &utc);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, micros);
}

std::string new_session_key() {
  return crypto::random_string(session_key_length, session_key_alphabet);
}

bool is_session_key(std::string_view key) {
  return key.size() >= 8 && key.size() <= 40 && key.find_first_not_of(session_key_alphabet) == std::string_view::npos;
}

std::string encode_session(const boost::json::object& data, std::string_view secret_key,
                           std::chrono::system_clock::time_point now) {
  return sign_object(data, secret_key, session_salt, true, unix_seconds(now));
}

std::optional<boost::json::object> decode_session(std::string_view session_data, std::string_view secret_key) {
  return unsign_object(session_data, secret_key, session_salt);
}

std::string session_auth_hash(std::string_view password_hash, std::string_view secret_key) {
  return crypto::to_hex(crypto::salted_hmac(auth_hash_salt, password_hash, secret_key));
}

boost::json::object login_session_data(std::int64_t user_id, std::string_view password_hash,
                                       std::string_view secret_key) {
  boost::json::object data;
  data[session_user_id_key] = std::to_string(user_id);
  data[session_backend_key] = model_backend;
  data[session_hash_key] = session_auth_hash(password_hash, secret_key);
  return data;
}

std::optional<boost::json::object> SessionStore::load(std::string_view session_key,
                                                      std::chrono::system_clock::time_point now) {
  if (!is_session_key(session_key)) {
    return std::nullopt;
  }
  const auto result =
      connection_.query("SELECT session_data FROM django_session WHERE session_key = ? AND expire_date > ?",
                        {std::string(session_key), database_datetime(now)});
  if (result.empty()) {
    return std::nullopt;
  }
  return decode_session(result.rows.front().text(0), secret_key_);
}

std::string SessionStore::create(const boost::json::object& data, std::chrono::system_clock::time_point now) {
  // A collision among 36^32 keys is not expected; the primary key would refuse it anyway.
  auto key = new_session_key();
  connection_.execute("INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)",
                      {key, encode_session(data, secret_key_, now), database_datetime(now + session_age)});
  return key;
}

void SessionStore::update(std::string_view session_key, const boost::json::object& data,
                          std::chrono::system_clock::time_point now) {
  connection_.execute("UPDATE django_session SET session_data = ? WHERE session_key = ?",
                      {encode_session(data, secret_key_, now), std::string(session_key)});
}

void SessionStore::remove(std::string_view session_key) {
  connection_.execute("DELETE FROM django_session WHERE session_key = ?", {std::string(session_key)});
}

std::int64_t SessionStore::clear_expired(std::chrono::system_clock::time_point now) {
  return connection_.execute("DELETE FROM django_session WHERE expire_date < ?", {database_datetime(now)});
}

}  // namespace ocl::auth
