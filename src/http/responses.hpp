#pragma once
/// @file
/// @brief Building the common kinds of response.

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace ocl::http {

/// @brief A `text/html; charset=utf-8` response.
Response html_response(const Request& request, Status status, std::string body);
/// @brief A `text/plain; charset=utf-8` response.
Response text_response(const Request& request, Status status, std::string body);
/// @brief A redirect: 301 when permanent (Django's permanent=True), 302 otherwise.
Response redirect_response(const Request& request, std::string_view location, bool permanent);

}  // namespace ocl::http
