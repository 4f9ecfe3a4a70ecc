// DATABASE_URL values: parse_database_url and redacted(), the form every log line and message uses.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "db/database_url.hpp"
#include "fuzz/check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ocl::db::DatabaseUrl url;
  try {
    url = ocl::db::parse_database_url(text);
  } catch (const ocl::db::InvalidDatabaseUrl&) {
    return 0;
  }
  if (url.original != text) {
    ocl::fuzz::fail("the parsed URL does not keep the text it was given");
  }
  if (url.scheme == ocl::db::DatabaseUrl::Scheme::sqlite) {
    if (url.path.empty() || url.path == "/") {
      ocl::fuzz::fail("a SQLite URL without a file was accepted");
    }
    if (!text.ends_with(url.path)) {
      ocl::fuzz::fail("the SQLite path is not the end of the URL");
    }
  }
  const auto redacted = url.redacted();
  // Whenever the text is a URL with a password (as a URL parser reads it), the authority that follows
  // "scheme://" no longer holds it.
  if (const auto parsed = boost::urls::parse_uri(text);
      parsed && parsed->has_password() && !parsed->encoded_password().empty() && parsed->encoded_password() != "***") {
    const auto authority_start = text.find("://") + 3;
    const auto shown = std::string(text.substr(0, authority_start)) + std::string(parsed->encoded_userinfo()) + "@";
    if (redacted.starts_with(shown)) {
      ocl::fuzz::fail("redacted() shows the password");
    }
  }
  if (redacted.size() > text.size() + 3) {
    ocl::fuzz::fail("redacted() added more than the mask");
  }
  return 0;
}
