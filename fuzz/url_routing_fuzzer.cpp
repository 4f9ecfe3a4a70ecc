// Request targets and query strings: strict percent-decoding, UTF-8 validation, query parsing, the
// router's matching of every path and its reverse() of any username (the profiles URL).
//
// Input: byte 0 picks the method, the rest is a target or a path segment.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/site.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "http/url.hpp"

namespace {

constexpr std::array methods = {ocl::http::Method::get, ocl::http::Method::post,    ocl::http::Method::head,
                                ocl::http::Method::put, ocl::http::Method::delete_, ocl::http::Method::options};

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

void check_valid_text(std::string_view text, std::string_view what) {
  if (!text.empty() && !ocl::http::is_valid_utf8(text)) {
    ocl::fuzz::fail(what);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  ocl::fuzz::site();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  const auto method = methods[data[0] % methods.size()];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto& router = ocl::fuzz::site().application().router();

  if (const auto target = ocl::http::parse_target(text)) {
    if (!target->path.empty()) {
      if (target->path.front() != '/') {
        ocl::fuzz::fail("a decoded path does not start with '/'");
      }
      check_valid_text(target->path, "a decoded path is not valid UTF-8");
    }
    const auto match = router.match(method, target->path);
    if ((match.kind == ocl::http::RouteMatch::Kind::found) !=
        (match.route != nullptr && match.route->accepts(method))) {
      ocl::fuzz::fail("the router found a route that does not accept the method");
    }
    for (const auto& [name, value] : ocl::http::parse_query(target->raw_query)) {
      check_valid_text(name, "a query name is not valid UTF-8");
      check_valid_text(value, "a query value is not valid UTF-8");
    }
  }

  for (const bool plus_as_space : {false, true}) {
    if (const auto decoded = ocl::http::percent_decode(text, plus_as_space)) {
      check_valid_text(*decoded, "percent_decode returned text that is not valid UTF-8");
    }
  }

  if (!ocl::http::is_valid_utf8(text)) {
    return 0;
  }
  const auto encoded = ocl::http::percent_encode_segment(text);
  for (const char c : encoded) {
    // '@' and '+' may stay as they are in a path segment (as Django's reverse() leaves them).
    if (!is_unreserved(c) && c != '%' && c != '@' && c != '+') {
      ocl::fuzz::fail("percent_encode_segment left a character a path segment cannot hold");
    }
  }
  if (ocl::http::percent_decode(encoded) != std::string(text)) {
    ocl::fuzz::fail("percent_decode(percent_encode_segment(text)) != text");
  }
  // reverse() then routing gives the same profile back, whatever the username (the <str> converter
  // takes any non-empty segment without '/').
  if (!text.empty() && text.find('/') == std::string_view::npos) {
    const auto path = router.reverse("profiles:profile", {{"username", text}});
    const auto target = ocl::http::parse_target(path);
    if (!target) {
      ocl::fuzz::fail("a reversed URL does not parse");
    }
    const auto match = router.match(ocl::http::Method::get, target->path);
    if (match.kind != ocl::http::RouteMatch::Kind::found || match.route->name() != "profiles:profile" ||
        match.params.text("username") != text) {
      ocl::fuzz::fail("a reversed profile URL does not route back to the profile");
    }
  }
  return 0;
}
