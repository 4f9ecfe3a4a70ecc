#include "monitoring/dsn.hpp"

#include <algorithm>
#include <cctype>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace ocl::monitoring {
namespace {

bool is_project_id(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::string Dsn::envelope_url() const {
  auto url = scheme + "://" + host;
  if (!port.empty()) {
    url += ":" + port;
  }
  return url + path + "/api/" + project_id + "/envelope/";
}

std::string Dsn::auth_header(std::string_view client) const {
  return "Sentry sentry_version=7, sentry_key=" + public_key + ", sentry_client=" + std::string(client);
}

Dsn parse_dsn(std::string_view text) {
  const auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) {
    throw InvalidDsn("not a URL: expected scheme://key@host/project_id");
  }
  const auto& url = *parsed;
  Dsn dsn;
  dsn.text = std::string(text);
  dsn.scheme = std::string(url.scheme());
  if (dsn.scheme != "http" && dsn.scheme != "https") {
    throw InvalidDsn("the scheme must be http or https");
  }
  dsn.public_key = std::string(url.encoded_user());
  if (dsn.public_key.empty()) {
    throw InvalidDsn("the public key (the part before '@') is missing");
  }
  // encoded_host() keeps the brackets of an IPv6 (or IPvFuture) address, which envelope_url() needs.
  dsn.host = std::string(url.encoded_host());
  if (dsn.host.empty()) {
    throw InvalidDsn("the host is missing");
  }
  dsn.port = std::string(url.port());
  std::string path(url.encoded_path());
  // After an authority the path is empty or starts with '/'. Boost.URL 1.81 also accepts a second '@'
  // ("https://key@host@other/1": host "host", path "@other/1"), and envelope_url() would then name "other".
  if (!path.empty() && path.front() != '/') {
    throw InvalidDsn("malformed host: expected scheme://key@host[:port]/project_id");
  }
  while (path.ends_with('/')) {
    path.pop_back();
  }
  const auto slash = path.rfind('/');
  dsn.project_id = slash == std::string::npos ? path : path.substr(slash + 1);
  if (!is_project_id(dsn.project_id)) {
    throw InvalidDsn("the project id (the last path segment) must be a number");
  }
  dsn.path = slash == std::string::npos ? std::string{} : path.substr(0, slash);
  return dsn;
}

}  // namespace ocl::monitoring
