// SENTRY_DSN values: parse_dsn, and the envelope URL and auth header the client derives from a DSN
// it accepted.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "fuzz/check.hpp"
#include "monitoring/dsn.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ocl::monitoring::Dsn dsn;
  try {
    dsn = ocl::monitoring::parse_dsn(text);
  } catch (const ocl::monitoring::InvalidDsn&) {
    return 0;
  }
  if (dsn.scheme != "http" && dsn.scheme != "https") {
    ocl::fuzz::fail("a DSN with another scheme was accepted");
  }
  if (dsn.public_key.empty() || dsn.host.empty() || dsn.project_id.empty()) {
    ocl::fuzz::fail("a DSN without key, host or project id was accepted");
  }
  // The envelope URL is what libcurl is given: it must be a URL naming the same host, port and project.
  const auto envelope = dsn.envelope_url();
  const auto parsed = boost::urls::parse_absolute_uri(envelope);
  if (!parsed) {
    ocl::fuzz::fail("the envelope URL of an accepted DSN is not a URL");
  }
  const auto original = boost::urls::parse_absolute_uri(text);
  if (parsed->encoded_host() != original->encoded_host() || parsed->port() != original->port()) {
    ocl::fuzz::fail("the envelope URL names another host or port than the DSN");
  }
  if (!parsed->encoded_path().ends_with("/api/" + dsn.project_id + "/envelope/")) {
    ocl::fuzz::fail("the envelope URL does not end with the project's envelope endpoint");
  }
  if (parsed->has_query() || parsed->has_fragment()) {
    ocl::fuzz::fail("the envelope URL carries a query or fragment");
  }
  // The auth header goes into an HTTP request as is: no line breaks or other control characters.
  for (const char c : dsn.auth_header("oc-lettings/0.1.0")) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      ocl::fuzz::fail("the X-Sentry-Auth header holds a control character");
    }
  }
  return 0;
}
