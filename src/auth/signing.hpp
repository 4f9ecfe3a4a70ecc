#pragma once
/// @file
/// @brief Django's signing.dumps / signing.loads: signed, optionally compressed JSON objects.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace ocl::auth {

/// @brief Django's TimestampSigner + JSONSerializer: "[.]base64(json):base62(timestamp):signature", where the
/// signature is HMAC-SHA256 keyed by salted_hmac(salt + "signer", ..., secret). With `compress`, the JSON is
/// zlib-compressed when that makes it shorter (then the value starts with ".").
std::string sign_object(const boost::json::object& value, std::string_view secret, std::string_view salt, bool compress,
                        std::int64_t unix_time);

/// @brief Verifies and decodes what sign_object wrote (or Django did); nullopt for a bad signature or format.
std::optional<boost::json::object> unsign_object(std::string_view signed_value, std::string_view secret,
                                                 std::string_view salt);

/// @brief Django's base62 encoding of a non-negative integer (signing timestamps).
std::string base62_encode(std::int64_t value);

}  // namespace ocl::auth
