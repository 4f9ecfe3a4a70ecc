#pragma once
/// @file
/// @brief Sentry's DSN: where envelopes go and the key that authenticates them.

#include <stdexcept>
#include <string>
#include <string_view>

namespace ocl::monitoring {

/// @brief Raised for a DSN that cannot be used; the message says why.
class InvalidDsn : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// @brief A parsed `scheme://public_key@host[:port]/[path/]project_id` DSN.
struct Dsn {
  std::string text;        ///< the DSN as given
  std::string scheme;      ///< "http" or "https"
  std::string public_key;  ///< the user part
  std::string host;        ///< host name or address (IPv6 in brackets)
  std::string port;        ///< empty for the scheme's default
  std::string path;        ///< prefix before the project id, without trailing slash
  std::string project_id;  ///< the last path segment

  /// @brief The envelope endpoint: `scheme://host[:port]{path}/api/{project_id}/envelope/`.
  [[nodiscard]] std::string envelope_url() const;
  /// @brief The `X-Sentry-Auth` header value for a client named `client` (name/version).
  [[nodiscard]] std::string auth_header(std::string_view client) const;
};

/// @brief Parses a DSN; throws InvalidDsn for a wrong scheme, a missing key, host or project id.
Dsn parse_dsn(std::string_view text);

}  // namespace ocl::monitoring
