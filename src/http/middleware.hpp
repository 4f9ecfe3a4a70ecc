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

/// @brief Turns HttpError into its page and any other exception into the 500 page,
/// so no exception and no internal detail ever reaches a visitor.
Middleware error_pages(ErrorPageRenderer render, UnhandledErrorReporter report);

/// @brief Answers 400 unless the Host header is allowed (Django's ALLOWED_HOSTS).
Middleware allowed_hosts(std::function<bool(std::string_view)> is_allowed);

/// @brief Adds the headers Django's SecurityMiddleware and XFrameOptionsMiddleware add.
Middleware security_headers();

}  // namespace ocl::http
