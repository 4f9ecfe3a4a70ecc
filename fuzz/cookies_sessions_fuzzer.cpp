// Cookie headers and signed session data: find_cookie over one or more Cookie headers, the CSRF
// cookie and tokens, and Django's signed (optionally compressed) session JSON.
//
// Input: byte 0 picks the mode, the rest is
//   0: Cookie header values, one per line (the session cookie's value is then decoded),
//   1: stored session data (django_session.session_data) to decode,
//   2: a JSON object, signed then verified (round trip, wrong key, tampering).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/cookies.hpp"
#include "auth/crypto.hpp"
#include "auth/csrf.hpp"
#include "auth/sessions.hpp"
#include "auth/signing.hpp"
#include "fuzz/check.hpp"
#include "http/message.hpp"

namespace {

constexpr std::string_view secret_key = "fuzzing-secret-key";
constexpr std::string_view other_key = "another-secret-key";
constexpr std::int64_t signing_time = 1'700'000'000;

bool alphanumeric(std::string_view text) {
  return text.find_first_not_of(ocl::auth::crypto::alphanumeric) == std::string_view::npos;
}

/// Equal JSON, except that doubles may differ in their last digits: Boost.JSON 1.81 parses numbers with
/// an exponent imprecisely ("-3e49" reads as -2.9999999999999997e49), so text -> double -> text -> double
/// can move a value by a few units in the last place.
bool same(const boost::json::value& left, const boost::json::value& right) {
  if (left.is_double() && right.is_double()) {
    const double a = left.get_double();
    const double b = right.get_double();
    return a == b || std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
  }
  if (left.is_array() && right.is_array()) {
    const auto& a = left.get_array();
    const auto& b = right.get_array();
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same);
  }
  if (left.is_object() && right.is_object()) {
    const auto& a = left.get_object();
    const auto& b = right.get_object();
    return a.size() == b.size() && std::all_of(a.begin(), a.end(), [&](const auto& member) {
             const auto* other = b.if_contains(member.key());
             return other != nullptr && same(member.value(), *other);
           });
  }
  return left == right;
}

/// Boost.JSON 1.81 reads a number beyond a double's range (-3e419) as an infinity and writes that back
/// as `-Infinity`, which it then refuses to read: such data cannot round-trip through any of its own
/// texts. The site signs only data it made (strings, ids, dates), so the invariants skip these inputs.
bool has_non_finite(const boost::json::value& value) {
  if (value.is_double()) {
    return !std::isfinite(value.get_double());
  }
  if (value.is_array()) {
    return std::ranges::any_of(value.get_array(), has_non_finite);
  }
  if (value.is_object()) {
    return std::ranges::any_of(value.get_object(), [](const auto& member) { return has_non_finite(member.value()); });
  }
  return false;
}

bool same(const std::optional<boost::json::object>& left, const boost::json::object& right) {
  return left && same(boost::json::value(*left), boost::json::value(right));
}

/// A session that decodes must survive encoding again (as the server does when it saves a session).
void check_session(std::string_view stored) {
  const auto decoded = ocl::auth::decode_session(stored, secret_key);
  if (!decoded || has_non_finite(boost::json::value(*decoded))) {
    return;
  }
  const auto encoded = ocl::auth::encode_session(*decoded, secret_key, std::chrono::system_clock::now());
  if (!same(ocl::auth::decode_session(encoded, secret_key), *decoded)) {
    ocl::fuzz::fail("a decoded session does not survive encoding again");
  }
}

void cookies(std::string_view text) {
  ocl::http::Request request{ocl::http::Method::get, "/", 11};
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    request.insert(ocl::http::HeaderField::cookie, boost::beast::string_view(line.data(), line.size()));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  for (const auto name : {ocl::auth::session_cookie_name, ocl::auth::csrf_cookie_name}) {
    if (const auto value = ocl::auth::find_cookie(request, name)) {
      if (value->find(';') != std::string::npos) {
        ocl::fuzz::fail("a cookie value runs into the next cookie");
      }
    }
  }
  const auto csrf = ocl::auth::csrf_state(request);
  if (csrf.secret.size() != 32 || !alphanumeric(csrf.secret)) {
    ocl::fuzz::fail("the CSRF secret is not 32 letters and digits");
  }
  if (const auto token = ocl::auth::find_cookie(request, ocl::auth::csrf_cookie_name)) {
    if (const auto secret = ocl::auth::csrf_secret_from_token(*token);
        secret && (secret->size() != 32 || !alphanumeric(*secret))) {
      ocl::fuzz::fail("a token gave a secret that is not 32 letters and digits");
    }
  }
  if (const auto session = ocl::auth::find_cookie(request, ocl::auth::session_cookie_name)) {
    static_cast<void>(ocl::auth::is_session_key(*session));
    check_session(*session);
  }
}

void signing(std::string_view text) {
  boost::system::error_code error;
  const auto value = boost::json::parse(boost::json::string_view(text.data(), text.size()), error);
  if (error || !value.is_object() || has_non_finite(value)) {
    return;
  }
  const auto& object = value.as_object();
  for (const bool compress : {false, true}) {
    const auto signed_value = ocl::auth::sign_object(object, secret_key, "fuzz", compress, signing_time);
    if (!same(ocl::auth::unsign_object(signed_value, secret_key, "fuzz"), object)) {
      ocl::fuzz::fail("a signed object does not verify back to itself");
    }
    if (ocl::auth::unsign_object(signed_value, other_key, "fuzz") ||
        ocl::auth::unsign_object(signed_value, secret_key, "other")) {
      ocl::fuzz::fail("a signature verified with another key or salt");
    }
    // Any change to the payload part breaks the signature.
    auto tampered = signed_value;
    const auto position = text.size() % tampered.find(':');
    tampered[position] = tampered[position] == 'A' ? 'B' : 'A';
    if (ocl::auth::unsign_object(tampered, secret_key, "fuzz")) {
      ocl::fuzz::fail("a tampered value verified");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      cookies(text);
      break;
    case 1:
      check_session(text);
      break;
    default:
      signing(text);
      break;
  }
  return 0;
}
