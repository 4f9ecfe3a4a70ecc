#pragma once
/// @file
/// @brief The cryptographic building blocks of Django-compatible authentication, on OpenSSL.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ocl::auth::crypto {

/// @brief The digests Django's password hashers and signers use.
enum class Digest { sha1, sha256 };

/// @brief Letters and digits: Django's RANDOM_STRING_CHARS, used for salts and CSRF secrets.
inline constexpr std::string_view alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// @brief PBKDF2-HMAC of `password` and `salt`; the key has the digest's size.
std::string pbkdf2(Digest digest, std::string_view password, std::string_view salt, int iterations);

/// @brief HMAC of `message` under `key`, as raw bytes.
std::string hmac(Digest digest, std::string_view key, std::string_view message);

/// @brief Django's salted_hmac with SHA-256: HMAC(key = SHA256(key_salt + secret), value), raw bytes.
std::string salted_hmac(std::string_view key_salt, std::string_view value, std::string_view secret);

/// @brief Compares two byte strings in time that depends only on their lengths (CRYPTO_memcmp).
bool constant_time_equals(std::string_view left, std::string_view right);

/// @brief Standard base64 with padding (Django's password hashes).
std::string base64_encode(std::string_view bytes);

/// @brief URL-safe base64 without padding (Django's signing).
std::string base64url_encode(std::string_view bytes);

/// @brief Decodes URL-safe base64 with or without padding; nullopt for any other character.
std::optional<std::string> base64url_decode(std::string_view text);

/// @brief Lower-case hexadecimal of `bytes`.
std::string to_hex(std::string_view bytes);

/// @brief `length` characters drawn uniformly from `alphabet` with OpenSSL's CSPRNG.
std::string random_string(std::size_t length, std::string_view alphabet = alphanumeric);

}  // namespace ocl::auth::crypto
