#pragma once
/// @file
/// @brief A signed-in admin browser for the integration tests: keeps cookies, sends the CSRF token
/// with every form, and reads the database the server writes to.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "server_process.hpp"

namespace ocl::integration {

/// @brief How long a sign-in may take: sign-ins queue for the slow lane's threads one hash after
/// another, and each hash takes seconds under the sanitizers.
inline constexpr std::chrono::milliseconds sign_in_timeout = std::chrono::minutes(2);

/// @brief Form fields in the order sent (repeated names allowed).
using FormFields = std::vector<std::pair<std::string, std::string>>;

/// @brief Where a client sends its requests: a port on 127.0.0.1 (a server's or a proxy's), from a loopback address.
struct Endpoint {
  std::uint16_t port;
  std::string source = "127.0.0.1";  ///< any 127.x.y.z: the client address a proxy in front reports
};

/// @brief One user's session with the admin of a running server.
class AdminSession {
 public:
  /// @brief Logs in through /admin/login/; check `logged_in()` afterwards.
  AdminSession(const ServerProcess& server, std::string username, std::string password);
  /// @brief Logs in through whatever listens at `endpoint` (a proxy in front of servers, say).
  AdminSession(Endpoint endpoint, const std::string& username, const std::string& password);

  [[nodiscard]] bool logged_in() const { return cookies_.contains("sessionid"); }
  /// @brief The status of the sign-in's answer: 302 when signed in, 200 when refused, 429 when throttled.
  [[nodiscard]] unsigned sign_in_status() const { return sign_in_status_; }
  /// @brief GET with the session's cookies.
  HttpResponse get(const std::string& target);
  /// @brief POST of an urlencoded form, with the CSRF token unless `with_token` is false.
  HttpResponse post(const std::string& target, const FormFields& fields, bool with_token = true);

 private:
  HttpResponse send(std::string_view method, const std::string& target, const std::string& body,
                    std::chrono::milliseconds timeout = 10s);
  void remember_cookies(const HttpResponse& response);
  std::string form_token(const std::string& target);

  Endpoint endpoint_;
  std::map<std::string, std::string> cookies_;
  unsigned sign_in_status_ = 0;
};

/// @brief The urlencoded form body of `fields`.
std::string form_body(const FormFields& fields);

/// @brief The value of the first hidden csrfmiddlewaretoken input in a page, or "".
std::string csrf_token_in(const std::string& html);

/// @brief Creates an active staff user with a known password and exactly the given permission codenames
/// ("view_letting") directly in the database; returns the user id.
std::int64_t create_staff_user(const std::string& database_url, const std::string& username,
                               const std::string& password, const std::vector<std::string>& codenames);

}  // namespace ocl::integration
