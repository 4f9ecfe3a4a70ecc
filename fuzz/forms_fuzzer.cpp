// Form bodies posted to the admin by its signed-in superuser: urlencoded bodies as browsers send them
// (what every admin view decodes with http::parse_query and binds to a model form), and multipart or
// unlabelled bodies, which the site does not decode but must still answer sensibly.
//
// Input: byte 0 picks the endpoint, byte 1 the framing (see below), the rest is the body.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/site.hpp"
#include "http/url.hpp"

namespace {

// Every admin view that reads a POST body, except those that hash a password (sign-in, password
// changes, adding a user), whose PBKDF2 cost would stall the campaign.
constexpr std::array<std::string_view, 14> endpoints = {
    "/admin/lettings/address/add/",
    "/admin/lettings/address/1/change/",
    "/admin/lettings/letting/add/",
    "/admin/lettings/letting/2/change/",
    "/admin/profiles/profile/add/",
    "/admin/profiles/profile/2/change/",
    "/admin/auth/group/add/",
    "/admin/auth/user/3/change/",
    "/admin/lettings/letting/",
    "/admin/auth/user/",
    "/admin/lettings/address/4/delete/",
    "/admin/profiles/profile/1/delete/",
    "/admin/auth/user/5/delete/",
    "/admin/logout/",
};

constexpr std::array<std::string_view, 4> content_types = {
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    "multipart/form-data; boundary=----ocl",
    "",
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  ocl::fuzz::site();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  const auto endpoint = endpoints[data[0] % endpoints.size()];
  const auto framing = data[1];
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);

  // The decoder itself: whatever the bytes, every name and value it keeps is valid UTF-8 without NUL.
  for (const auto& [name, value] : ocl::http::parse_query(body)) {
    if (!ocl::http::is_valid_utf8(name) && !name.empty()) {
      ocl::fuzz::fail("parse_query kept a name that is not valid UTF-8");
    }
    if (!ocl::http::is_valid_utf8(value) && !value.empty()) {
      ocl::fuzz::fail("parse_query kept a value that is not valid UTF-8");
    }
  }

  // Framing: bits 0-1 the Content-Type, bit 2 the CSRF token (form field for urlencoded bodies, header
  // otherwise), bit 3 leaves out the session cookie (an anonymous post).
  const auto content_type = content_types[framing & 3U];
  const bool with_token = (framing & 4U) == 0;
  const bool signed_in = (framing & 8U) == 0;
  const bool urlencoded = content_type.starts_with("application/x-www-form-urlencoded");

  ocl::http::Request request{ocl::http::Method::post, endpoint, 11};
  request.set(ocl::http::HeaderField::host, "testserver");
  std::string cookie = "csrftoken=" + std::string(ocl::fuzz::csrf_secret);
  if (signed_in) {
    cookie += "; sessionid=" + std::string(ocl::fuzz::session_key);
  }
  request.set(ocl::http::HeaderField::cookie, cookie);
  if (!content_type.empty()) {
    request.set(ocl::http::HeaderField::content_type, content_type);
  }
  std::string text;
  if (with_token && urlencoded) {
    text = "csrfmiddlewaretoken=" + std::string(ocl::fuzz::csrf_secret) + "&";
  } else if (with_token) {
    request.set("X-CSRFToken", ocl::fuzz::csrf_secret);
  }
  text += body;
  request.body() = std::move(text);
  request.prepare_payload();

  const auto response = ocl::fuzz::site().handle(request);
  ocl::fuzz::check_response(request, response);
  return 0;
}
