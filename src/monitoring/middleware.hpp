#pragma once
/// @file
/// @brief Hooks the monitoring client into the middleware pipeline and the 500 page.

#include <string>
#include <vector>

#include "http/middleware.hpp"

namespace ocl::monitoring {

/// @brief A middleware with the name its span is given.
struct NamedMiddleware {
  std::string name;
  http::Middleware middleware;
};

/// @brief The pipeline's middlewares; when monitoring is on, preceded by the tracing middleware (a transaction
/// per request) and each wrapped in a `middleware.http` span. When off, the middlewares unchanged.
std::vector<http::Middleware> instrument(std::vector<NamedMiddleware> middlewares);

/// @brief When monitoring is on, a reporter that sends the exception as an error event, then runs `log`
/// (whose records become breadcrumbs only) and returns the event id; when off, `log` itself.
http::UnhandledErrorReporter reporter(http::UnhandledErrorReporter log);

}  // namespace ocl::monitoring
