#include "auth/passwords.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "auth/crypto.hpp"

namespace ocl::auth {
namespace {

constexpr std::string_view sha256_algorithm = "pbkdf2_sha256";
constexpr std::string_view sha1_algorithm = "pbkdf2_sha1";
constexpr std::size_t salt_length = 22;      // ceil(128 / log2(62)), Django's salt_entropy of 128 bits
constexpr int max_iterations = 100'000'000;  // refuse absurd counts rather than spin for minutes

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) {
      return parts;
    }
    start = end + 1;
  }
}

std::optional<int> parse_iterations(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0 || value > max_iterations) {
    return std::nullopt;
  }
  return value;
}

crypto::Digest digest_of(std::string_view algorithm) {
  return algorithm == sha1_algorithm ? crypto::Digest::sha1 : crypto::Digest::sha256;
}

std::string encode(std::string_view algorithm, std::string_view raw, std::string_view salt, int iterations) {
  const auto key = crypto::pbkdf2(digest_of(algorithm), raw, salt, iterations);
  return std::string(algorithm) + "$" + std::to_string(iterations) + "$" + std::string(salt) + "$" +
         crypto::base64_encode(key);
}

bool salt_is_weak(std::string_view salt) {
  return static_cast<double>(salt.size()) * std::log2(62.0) < 128.0;
}

}  // namespace

std::optional<DecodedHash> decode_hash(std::string_view encoded) {
  const auto parts = split(encoded, '$');
  if (parts.size() != 4 || (parts[0] != sha256_algorithm && parts[0] != sha1_algorithm) || parts[2].empty() ||
      parts[3].empty()) {
    return std::nullopt;
  }
  const auto iterations = parse_iterations(parts[1]);
  if (!iterations) {
    return std::nullopt;
  }
  return DecodedHash{std::string(parts[0]), *iterations, std::string(parts[2]), std::string(parts[3])};
}

bool check_password(std::string_view raw, std::string_view encoded) {
  const auto decoded = decode_hash(encoded);
  if (!decoded) {
    return false;
  }
  const auto recomputed = encode(decoded->algorithm, raw, decoded->salt, decoded->iterations);
  return crypto::constant_time_equals(recomputed, encoded);
}

bool is_password_usable(std::string_view encoded) {
  return !encoded.starts_with('!') && decode_hash(encoded).has_value();
}

bool must_update(std::string_view encoded) {
  const auto decoded = decode_hash(encoded);
  return decoded && (decoded->algorithm != sha256_algorithm || decoded->iterations < default_pbkdf2_iterations ||
                     salt_is_weak(decoded->salt));
}

std::string make_password(std::string_view raw) {
  return make_password(raw, crypto::random_string(salt_length), default_pbkdf2_iterations);
}

std::string make_password(std::string_view raw, std::string_view salt, int iterations) {
  return encode(sha256_algorithm, raw, salt, iterations);
}

std::string make_unusable_password() {
  return "!" + crypto::random_string(40);
}

void run_default_hasher(std::string_view raw) {
  static_cast<void>(make_password(raw));
}

}  // namespace ocl::auth
