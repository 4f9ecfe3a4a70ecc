#pragma once
/// @file
/// @brief Feeds the server's log records (the default spdlog logger) into the monitoring client.

#include <memory>

#include <spdlog/sinks/sink.h>

namespace ocl::monitoring {

/// @brief A sink that turns each record at INFO or above into a breadcrumb and an event.
std::shared_ptr<spdlog::sinks::sink> make_log_sink();

/// @brief While true on this thread, log records become breadcrumbs only (e.g. the log line of an
/// exception that is already reported as its own event).
bool& log_breadcrumbs_only() noexcept;

}  // namespace ocl::monitoring
