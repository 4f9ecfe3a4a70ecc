#include "auth/sessions.hpp"

#include <gtest/gtest.h>

#include "auth/signing.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::auth {
namespace {

using namespace std::chrono_literals;

constexpr auto secret_key = "unit-test-secret-key";
// Written by Django's SessionStore.encode with SECRET_KEY = secret_key at unix time 1795769994.
constexpr auto django_session =
    ".eJyrVopPLC3JiC8tTi2Kz0xRslIyVNJBFktKTM5OzQNJpGQl5qXn6yXn55UUZSbpgZToQWWL9XzzU1JznKBqUQzISCzOAOpOTEpWqgUAjnEncw:"
    "1xWroA:XCWjv4Hsv6R3T5F43MtY3a8ro8Qs6X85kfEUmJSVEkU";
constexpr std::int64_t django_time = 1795769994;

boost::json::object sample_data() {
  boost::json::object data;
  data["_auth_user_id"] = "1";
  data["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend";
  data["_auth_user_hash"] = "abc";
  return data;
}

TEST(SigningTest, EncodesExactlyAsDjango) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(django_time));
  EXPECT_EQ(encode_session(sample_data(), secret_key, now), django_session);
  EXPECT_EQ(base62_encode(django_time), "1xWroA");
  EXPECT_EQ(base62_encode(0), "0");
}

TEST(SigningTest, DecodesDjangoSessionsAndRefusesTampering) {
  EXPECT_EQ(decode_session(django_session, secret_key), sample_data());
  EXPECT_FALSE(decode_session(django_session, "another-secret").has_value());
  std::string tampered = django_session;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(decode_session(tampered, secret_key).has_value());
  EXPECT_FALSE(decode_session("", secret_key).has_value());
  EXPECT_FALSE(decode_session("abc:def", secret_key).has_value());
}

TEST(SigningTest, ShortValuesStayUncompressed) {
  boost::json::object data;
  data["a"] = "b";
  const auto signed_value = sign_object(data, secret_key, "salt", true, 1);
  EXPECT_FALSE(signed_value.starts_with('.'));
  EXPECT_EQ(unsign_object(signed_value, secret_key, "salt"), data);
  EXPECT_FALSE(unsign_object(signed_value, secret_key, "other-salt").has_value());
}

TEST(SessionAuthHashTest, MatchesDjangoGetSessionAuthHash) {
  EXPECT_EQ(
      session_auth_hash("pbkdf2_sha256$180000$p35UH2yYInHF$4LTphT2basUmvfLq+XHETVvKONZrWUsLfKu1K8/Hqdk=", secret_key),
      "f3c85e4ef3bae556145dcc8812899f735e5bd40a71d8a5d9440abf80a7a11903");
}

TEST(SessionStoreTest, CreatesLoadsExpiresAndDeletesRows) {
  db::testing::TempDirectory directory;
  db::SqliteConnection connection(db::testing::copy_django_database(directory));
  SessionStore store(connection, secret_key);
  const auto now = std::chrono::system_clock::now();
  const auto data = login_session_data(1, "hash", secret_key);
  const auto key = store.create(data, now);
  EXPECT_EQ(key.size(), 32U);
  EXPECT_TRUE(is_session_key(key));
  EXPECT_EQ(store.load(key, now + 1h), data);
  EXPECT_EQ(store.load(key, now + 13 * 24h), data);
  EXPECT_FALSE(store.load(key, now + 15 * 24h).has_value()) << "two weeks";
  EXPECT_FALSE(store.load("../../etc", now).has_value());

  const auto row = connection.query("SELECT expire_date FROM django_session WHERE session_key = ?", {key});
  EXPECT_EQ(row.rows.at(0).text(0), database_datetime(now + session_age));

  const auto before = db::testing::count_rows(connection, "django_session");
  EXPECT_EQ(store.clear_expired(now), before - 1) << "the shared database's sessions expired years ago";
  EXPECT_EQ(db::testing::count_rows(connection, "django_session"), 1);
  store.remove(key);
  EXPECT_EQ(db::testing::count_rows(connection, "django_session"), 0);
}

TEST(SessionStoreTest, DatabaseDatetimeIsDjangosFormat) {
  const auto time = std::chrono::system_clock::time_point(std::chrono::seconds(1592127716)) + 975174us;
  EXPECT_EQ(database_datetime(time), "2020-06-14 09:41:56.975174");
}

}  // namespace
}  // namespace ocl::auth
