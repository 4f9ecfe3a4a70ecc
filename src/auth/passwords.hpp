#pragma once
/// @file
/// @brief Django-compatible password hashes: PBKDF2 with SHA-256 (written and read) and SHA-1 (read).

#include <optional>
#include <string>
#include <string_view>

namespace ocl::auth {

/// @brief The iteration count new hashes get (Django 6.0's PBKDF2PasswordHasher default).
inline constexpr int default_pbkdf2_iterations = 1'200'000;

/// @brief The parts of an encoded hash "algorithm$iterations$salt$hash".
struct DecodedHash {
  std::string algorithm;  ///< "pbkdf2_sha256" or "pbkdf2_sha1"
  int iterations = 0;
  std::string salt;
  std::string hash;  ///< standard base64, as stored
};

/// @brief Splits an encoded PBKDF2 hash; nullopt for an unknown algorithm or a malformed value.
std::optional<DecodedHash> decode_hash(std::string_view encoded);

/// @brief Django's check_password: true when `raw` matches `encoded`; unusable or unknown hashes never match.
/// The comparison runs in constant time.
bool check_password(std::string_view raw, std::string_view encoded);

/// @brief False for Django's unusable passwords ("!" followed by random characters) and unknown formats.
bool is_password_usable(std::string_view encoded);

/// @brief True when a stored hash should be replaced after a successful sign-in: another algorithm than
/// pbkdf2_sha256, fewer iterations than the default, or a salt with less than 128 bits of entropy.
bool must_update(std::string_view encoded);

/// @brief A new pbkdf2_sha256 hash at the default iterations with a random 22-character salt.
std::string make_password(std::string_view raw);

/// @brief A pbkdf2_sha256 hash with the given salt and iterations (tests, interoperability).
std::string make_password(std::string_view raw, std::string_view salt, int iterations);

/// @brief Django's unusable password: "!" and 40 random characters.
std::string make_unusable_password();

/// @brief Spends the time of one default hash, so an unknown username is not told apart by timing.
void run_default_hasher(std::string_view raw);

}  // namespace ocl::auth
