#include "auth/crypto.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace ocl::auth::crypto {
namespace {

const EVP_MD* evp_digest(Digest digest) {
  return digest == Digest::sha1 ? EVP_sha1() : EVP_sha256();
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

constexpr std::string_view base64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string encode_base64(std::string_view bytes, char plus, char slash, bool pad) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t index = 0; index < bytes.size(); index += 3) {
    const auto remaining = bytes.size() - index;
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index])) << 16U;
    if (remaining > 1) group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index + 1])) << 8U;
    if (remaining > 2) group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index + 2]));
    const std::size_t characters = remaining >= 3 ? 4 : remaining + 1;
    for (std::size_t position = 0; position < 4; ++position) {
      if (position < characters) {
        char letter = base64_alphabet[(group >> (18U - 6U * position)) & 0x3FU];
        letter = letter == '+' ? plus : (letter == '/' ? slash : letter);
        text.push_back(letter);
      } else if (pad) {
        text.push_back('=');
      }
    }
  }
  return text;
}

int urlsafe_value(char letter) {
  if (letter == '-') return 62;
  if (letter == '_') return 63;
  const auto found = base64_alphabet.find(letter);
  return found >= 62 ? -1 : static_cast<int>(found);  // also refuses "+", "/" and npos
}

}  // namespace

std::string pbkdf2(Digest digest, std::string_view password, std::string_view salt, int iterations) {
  const auto* md = evp_digest(digest);
  std::string key(static_cast<std::size_t>(EVP_MD_get_size(md)), '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), bytes_of(salt),
                        static_cast<int>(salt.size()), iterations, md, static_cast<int>(key.size()),
                        reinterpret_cast<unsigned char*>(key.data())) != 1) {
    throw std::runtime_error("PBKDF2 failed");
  }
  return key;
}

std::string hmac(Digest digest, std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  if (HMAC(evp_digest(digest), key.data(), static_cast<int>(key.size()), bytes_of(message), message.size(), out.data(),
           &length) == nullptr) {
    throw std::runtime_error("HMAC failed");
  }
  return {reinterpret_cast<const char*>(out.data()), length};
}

std::string salted_hmac(std::string_view key_salt, std::string_view value, std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> key{};
  unsigned int key_length = 0;
  const std::string material = std::string(key_salt) + std::string(secret);
  if (EVP_Digest(material.data(), material.size(), key.data(), &key_length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hmac(Digest::sha256, {reinterpret_cast<const char*>(key.data()), key_length}, value);
}

bool constant_time_equals(std::string_view left, std::string_view right) {
  return left.size() == right.size() && CRYPTO_memcmp(left.data(), right.data(), left.size()) == 0;
}

std::string base64_encode(std::string_view bytes) {
  return encode_base64(bytes, '+', '/', true);
}

std::string base64url_encode(std::string_view bytes) {
  return encode_base64(bytes, '-', '_', false);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
  }
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string bytes;
  std::uint32_t buffer = 0;
  unsigned bits = 0;
  for (const char letter : text) {
    const int value = urlsafe_value(letter);
    if (value < 0) {
      return std::nullopt;
    }
    buffer = (buffer << 6U) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xFFU));
    }
  }
  return bytes;
}

std::string to_hex(std::string_view bytes) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (const char byte : bytes) {
    const auto value = static_cast<unsigned char>(byte);
    text.push_back(digits[value >> 4U]);
    text.push_back(digits[value & 0x0FU]);
  }
  return text;
}

std::string random_string(std::size_t length, std::string_view alphabet) {
  // Rejection sampling keeps every character equally likely.
  const auto limit = static_cast<unsigned>(256 - 256 % alphabet.size());
  std::string text;
  text.reserve(length);
  std::vector<unsigned char> pool(length * 2 + 16);
  while (text.size() < length) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) {
      throw std::runtime_error("the random number generator failed");
    }
    for (const unsigned char byte : pool) {
      if (byte < limit && text.size() < length) {
        text.push_back(alphabet[byte % alphabet.size()]);
      }
    }
  }
  return text;
}

}  // namespace ocl::auth::crypto
