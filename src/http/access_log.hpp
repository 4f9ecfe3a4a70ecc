#pragma once
/// @file
/// @brief One structured (logfmt) access-log line per request, on the "access" logger.

#include <chrono>
#include <string>

#include "http/message.hpp"

namespace ocl::http {

/// @brief Logs method, path, status, size, duration, client and user agent of one exchange.
void log_access(const Request& request, const Answer& answer, const std::string& client,
                std::chrono::steady_clock::duration duration);

/// @brief Quotes a value for logfmt, escaping quotes, backslashes and control characters.
std::string logfmt_quote(std::string_view value, std::size_t max_length = 512);

}  // namespace ocl::http
