#pragma once
/// @file
/// @brief The Date header's value (RFC 9110's IMF-fixdate), formatted once per second per thread.

#include <ctime>
#include <string>
#include <string_view>

namespace ocl::http {

/// @brief `time` as an IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::time_t time);

/// @brief The current time as an IMF-fixdate; formatted again only when the second changes, so a
/// busy thread pays one clock read per response. Valid until the calling thread's next call.
std::string_view current_http_date();

}  // namespace ocl::http
