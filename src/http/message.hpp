#pragma once
/// @file
/// @brief The HTTP request and response types every layer shares (Boost.Beast messages).

#include <memory>
#include <string>
#include <string_view>

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

/// @brief A response whose body may be bytes kept elsewhere (a cached page), sent without a copy.
struct Answer {
  /// @brief With `shared_body` set: the headers only, Content-Length already giving the shared body's size.
  Response response;
  std::shared_ptr<const std::string> shared_body;

  /// @brief The body that is sent.
  [[nodiscard]] std::string_view body() const { return shared_body ? *shared_body : response.body(); }
};

}  // namespace ocl::http
