#pragma once
/// @file
/// @brief The HTTP request and response types every layer shares (Boost.Beast messages).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace ocl::http {

namespace beast_http = boost::beast::http;

/// @brief An HTTP request with its whole body in memory.
using Request = beast_http::request<beast_http::string_body>;
/// @brief An HTTP response with its whole body in memory.
using Response = beast_http::response<beast_http::string_body>;
/// @brief HTTP status codes.
using Status = beast_http::status;
/// @brief HTTP methods.
using Method = beast_http::verb;
/// @brief Header names.
using HeaderField = beast_http::field;

}  // namespace ocl::http
