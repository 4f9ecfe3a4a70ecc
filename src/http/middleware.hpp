#pragma once
/// @file
/// @brief The middleware chain and the generic middlewares (error pages, allowed hosts, headers).

#include <functional>
#include <string>
#include <vector>

#include "http/context.hpp"

namespace ocl::http {

/// @brief Chains `middlewares` (first = outermost) around `endpoint` into one Handler.
Handler build_pipeline(const std::vector<Middleware>& middlewares, Handler endpoint);

/// @brief Renders an error page for `status`; `event_id` is the monitoring reference, or empty.
using ErrorPageRenderer = std::function<Response(const Context&, Status, const std::string& event_id)>;

/// @brief Reports an unhandled exception (to the log, to monitoring); returns an event id or "".
using UnhandledErrorReporter = std::function<std::string(const Context&, std::exception_ptr)>;

/// @brief Turns HttpError into its page (with `Allow` for 405, `Retry-After` for ServiceUnavailable)
/// and any other exception into the 500 page,
/// so no exception and no internal detail ever reaches a visitor.
Middleware error_pages(ErrorPageRenderer render, UnhandledErrorReporter report);

/// @brief Answers 400 unless the Host header is allowed (Django's ALLOWED_HOSTS), except on the exact
/// paths in `exempt`: health checks come from the platform and the container itself, under whatever host.
Middleware allowed_hosts(std::function<bool(std::string_view)> is_allowed, std::vector<std::string> exempt = {});

/// @brief Tells whether a request reached the site over HTTPS.
using SecureRequestTest = std::function<bool(const Request&)>;

/// @brief Strict-Transport-Security for HTTPS responses (Django's SECURE_HSTS_* settings).
struct HstsPolicy {
  std::int64_t seconds = 0;  ///< 0 sends no header
  bool include_subdomains = false;
  bool preload = false;
};

/// @brief Adds the headers Django's SecurityMiddleware and XFrameOptionsMiddleware add, and
/// Strict-Transport-Security on HTTPS responses when the policy sets a max-age.
Middleware security_headers(HstsPolicy hsts = {}, SecureRequestTest is_secure = {});

/// @brief Redirects plain-HTTP requests to the same URL over HTTPS (Django's SECURE_SSL_REDIRECT),
/// except the exact paths in `exempt` (a platform's health checks come over plain HTTP).
Middleware ssl_redirect(SecureRequestTest is_secure, std::vector<std::string> exempt = {});

/// @brief A weak validator for a body: the same bytes give the same tag on every instance running this build.
std::string weak_etag(std::string_view body);

/// @brief Django's ConditionalGetMiddleware: a weak ETag on cacheable 200 answers to GET and HEAD,
/// and 304 Not Modified when the client's If-None-Match already names it.
Middleware conditional_get();

}  // namespace ocl::http
