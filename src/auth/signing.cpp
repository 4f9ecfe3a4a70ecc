#include "auth/signing.hpp"

#include <array>

#include <zlib.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/crypto.hpp"

namespace ocl::auth {
namespace {

constexpr char separator = ':';
constexpr std::size_t max_inflated_size = 1U << 20U;  // a session never comes close

std::string signature(std::string_view value, std::string_view secret, std::string_view salt) {
  return crypto::base64url_encode(crypto::salted_hmac(std::string(salt) + "signer", value, secret));
}

std::string deflate(std::string_view data) {
  auto capacity = compressBound(static_cast<uLong>(data.size()));
  std::string out(capacity, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &capacity, reinterpret_cast<const Bytef*>(data.data()),
                static_cast<uLong>(data.size()), Z_DEFAULT_COMPRESSION) != Z_OK) {
    return {};
  }
  out.resize(capacity);
  return out;
}

std::optional<std::string> inflate_bounded(std::string_view data) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) {
    return std::nullopt;
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  std::array<char, 4096> chunk{};
  int status = Z_OK;
  while (status == Z_OK && out.size() <= max_inflated_size) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - stream.avail_out);
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> decode_payload(std::string_view payload) {
  const bool compressed = payload.starts_with('.');
  auto bytes = crypto::base64url_decode(compressed ? payload.substr(1) : payload);
  if (!bytes || !compressed) {
    return bytes;
  }
  return inflate_bounded(*bytes);
}

}  // namespace

std::string base62_encode(std::int64_t value) {
  static constexpr std::string_view digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  if (value <= 0) {
    return "0";
  }
  std::string text;
  while (value > 0) {
    text.insert(text.begin(), digits[static_cast<std::size_t>(value % 62)]);
    value /= 62;
  }
  return text;
}

std::string sign_object(const boost::json::object& value, std::string_view secret, std::string_view salt, bool compress,
                        std::int64_t unix_time) {
  const auto json = boost::json::serialize(value);
  std::string payload = crypto::base64url_encode(json);
  if (compress) {
    const auto compressed = deflate(json);
    if (!compressed.empty() && compressed.size() < json.size() - 1) {
      payload = "." + crypto::base64url_encode(compressed);
    }
  }
  auto signed_part = payload + separator + base62_encode(unix_time);
  return signed_part + separator + signature(signed_part, secret, salt);
}

std::optional<boost::json::object> unsign_object(std::string_view signed_value, std::string_view secret,
                                                 std::string_view salt) {
  const auto last = signed_value.rfind(separator);
  if (last == std::string_view::npos) {
    return std::nullopt;
  }
  const auto value = signed_value.substr(0, last);
  if (!crypto::constant_time_equals(signed_value.substr(last + 1), signature(value, secret, salt))) {
    return std::nullopt;
  }
  const auto stamp = value.rfind(separator);
  if (stamp == std::string_view::npos) {
    return std::nullopt;
  }
  const auto json = decode_payload(value.substr(0, stamp));
  if (!json) {
    return std::nullopt;
  }
  boost::system::error_code error;
  auto parsed = boost::json::parse(*json, error);
  if (error || !parsed.is_object()) {
    return std::nullopt;
  }
  return std::move(parsed.as_object());
}

}  // namespace ocl::auth
