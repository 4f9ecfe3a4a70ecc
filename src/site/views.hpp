#pragma once
/// @file
/// @brief The site-wide views: home page, health checks, static files, error pages, /sentry-debug/.

#include <string>

#include "app/services.hpp"
#include "http/context.hpp"

namespace ocl::site {

/// @brief GET / : the landing page.
http::Response home(const app::Services& services, http::Context& context);
/// @brief GET /healthz : 200 while the process runs.
http::Response healthz(const app::Services& services, http::Context& context);
/// @brief GET /readyz : 200 when the database answers and has its tables, 503 otherwise.
http::Response readyz(const app::Services& services, http::Context& context);
/// @brief `GET /static/<path>`: a file from STATIC_ROOT.
http::Response static_file(const app::Services& services, http::Context& context);
/// @brief GET /sentry-debug/ : logs at INFO and ERROR, then fails on purpose (monitoring check).
[[noreturn]] http::Response sentry_debug(const app::Services& services, http::Context& context);

/// @brief The error page for `status`; `event_id` is shown so a visitor can quote it.
http::Response error_page(const app::Services& services, const http::Context& context, http::Status status,
                          const std::string& event_id);

}  // namespace ocl::site
