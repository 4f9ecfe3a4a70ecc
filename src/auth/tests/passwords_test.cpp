#include "auth/passwords.hpp"

#include <gtest/gtest.h>

#include "auth/crypto.hpp"
#include "auth/users.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::auth {
namespace {

// Hashes written by Django's own PBKDF2PasswordHasher and PBKDF2SHA1PasswordHasher.
constexpr auto django_sha256 = "pbkdf2_sha256$1000$saltsaltsaltsaltsaltsa$rrFqfY54t+CcYpzPEaBDNhjkhYBmcvjLfi7UsJc1TIs=";
constexpr auto django_sha1 = "pbkdf2_sha1$1000$sha1salt$q7l/gzvKet7bckV+BNKu2+LBkVw=";

TEST(PasswordsTest, VerifiesDjangoSha256AndSha1Hashes) {
  EXPECT_TRUE(check_password("correct horse", django_sha256));
  EXPECT_FALSE(check_password("correct horsE", django_sha256));
  EXPECT_TRUE(check_password("correct horse", django_sha1));
  EXPECT_FALSE(check_password("", django_sha1));
}

TEST(PasswordsTest, MakesTheSameHashAsDjangoForTheSameSalt) {
  EXPECT_EQ(make_password("correct horse", "saltsaltsaltsaltsaltsa", 1000), django_sha256);
}

// Django 6.0 hashes with hashlib.pbkdf2_hmac("sha256", password, salt, 1_200_000), base64-encoded; this
// digest is what Python's hashlib gives for these inputs.
TEST(PasswordsTest, MakesTheHashDjangoSixMakesAtItsDefaultIterations) {
  EXPECT_EQ(default_pbkdf2_iterations, 1'200'000);
  EXPECT_EQ(make_password("Abc1234!", "seasideSalt2026abcdefg", default_pbkdf2_iterations),
            "pbkdf2_sha256$1200000$seasideSalt2026abcdefg$3cx7LEjW3N6vSqaXj73FKCmtsDuqg/xg/VKzarMYTwo=");
}

TEST(PasswordsTest, VerifiesTheAdminOfTheSharedDatabase) {
  db::testing::TempDirectory directory;
  db::SqliteConnection connection(db::testing::copy_django_database(directory));
  const auto admin = find_user_by_username(connection, "admin");
  ASSERT_TRUE(admin.has_value());
  EXPECT_TRUE(admin->password.starts_with("pbkdf2_sha256$180000$"));
  EXPECT_TRUE(check_password("Abc1234!", admin->password));
  EXPECT_FALSE(check_password("abc1234!", admin->password));
  EXPECT_TRUE(must_update(admin->password));
  const auto other = find_user_by_username(connection, "LGD");
  ASSERT_TRUE(other.has_value());
  EXPECT_TRUE(other->password.starts_with("pbkdf2_sha256$720000$"));
  EXPECT_TRUE(must_update(other->password));
}

TEST(PasswordsTest, UnusableAndMalformedHashesNeverMatch) {
  const auto unusable = make_unusable_password();
  EXPECT_EQ(unusable.size(), 41U);
  EXPECT_FALSE(is_password_usable(unusable));
  EXPECT_FALSE(check_password("", unusable));
  EXPECT_FALSE(check_password(unusable, unusable));
  for (const auto* broken : {"", "!", "pbkdf2_sha256$abc$salt$hash", "pbkdf2_sha256$0$salt$hash", "md5$1$salt$hash",
                             "pbkdf2_sha256$1000$salt", "pbkdf2_sha256$1000$$hash", "pbkdf2_sha256$-5$salt$hash",
                             "pbkdf2_sha256$999999999999$salt$hash"}) {
    EXPECT_FALSE(check_password("x", broken)) << broken;
    EXPECT_FALSE(is_password_usable(broken)) << broken;
  }
}

TEST(PasswordsTest, NewHashesUseTheDefaultIterationsAndA22CharacterSalt) {
  const auto encoded = make_password("Tr0ub4dor&3");
  const auto decoded = decode_hash(encoded);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->algorithm, "pbkdf2_sha256");
  EXPECT_EQ(decoded->iterations, 1200000);
  EXPECT_EQ(decoded->salt.size(), 22U);
  EXPECT_EQ(decoded->salt.find_first_not_of(crypto::alphanumeric), std::string::npos);
  EXPECT_TRUE(check_password("Tr0ub4dor&3", encoded));
  EXPECT_FALSE(must_update(encoded));
  EXPECT_NE(make_password("same"), make_password("same")) << "salts are random";
}

TEST(PasswordsTest, MustUpdateOlderAlgorithmsFewerIterationsAndShortSalts) {
  EXPECT_TRUE(must_update(django_sha1));
  EXPECT_TRUE(must_update("pbkdf2_sha256$720000$ud8pVTYodZlZOTx4R5zGWe$x"));
  EXPECT_TRUE(must_update("pbkdf2_sha256$1000000$ud8pVTYodZlZOTx4R5zGWe$x"));
  EXPECT_TRUE(must_update("pbkdf2_sha256$1200000$short$x"));
  EXPECT_FALSE(must_update("pbkdf2_sha256$1200000$ud8pVTYodZlZOTx4R5zGWe$x"));
  EXPECT_FALSE(must_update("pbkdf2_sha256$1500000$ud8pVTYodZlZOTx4R5zGWe$x")) << "a stronger hash is kept";
  EXPECT_FALSE(must_update("!unusable"));
}

TEST(CryptoTest, ConstantTimeEqualsAndEncodings) {
  EXPECT_TRUE(crypto::constant_time_equals("abc", "abc"));
  EXPECT_FALSE(crypto::constant_time_equals("abc", "abd"));
  EXPECT_FALSE(crypto::constant_time_equals("abc", "abcd"));
  EXPECT_EQ(crypto::base64_encode("any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw==");
  EXPECT_EQ(crypto::base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(crypto::base64url_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(crypto::base64url_decode("YW55IGNhcm5hbCBwbGVhcw=="), std::string("any carnal pleas"));
  EXPECT_FALSE(crypto::base64url_decode("a+b/").has_value());
  EXPECT_EQ(crypto::to_hex("\x01\xab"), "01ab");
  EXPECT_EQ(crypto::random_string(40, "ab").find_first_not_of("ab"), std::string::npos);
}

}  // namespace
}  // namespace ocl::auth
