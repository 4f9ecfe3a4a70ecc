#include "http/wire_format.hpp"

#include <gtest/gtest.h>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/serializer.hpp>

namespace ocl::http {
namespace {

/// What Beast's own serializer sends as the header of `response`.
std::string beast_head(Response response) {
  beast_http::response_serializer<beast_http::string_body> serializer{response};
  serializer.split(true);
  std::string head;
  boost::beast::error_code error;
  while (!serializer.is_header_done()) {
    serializer.next(error, [&](boost::beast::error_code&, const auto& buffers) {
      head += boost::beast::buffers_to_string(buffers);
      serializer.consume(boost::asio::buffer_size(buffers));
    });
    EXPECT_FALSE(error) << error.message();
  }
  return head;
}

std::string head_of(const Response& response) {
  std::string out = "left over from the previous answer";
  format_response_head(response, out);
  return out;
}

TEST(WireFormat, StatusLineFieldsAndBlankLine) {
  Response response{Status::ok, 11};
  response.set(HeaderField::content_type, "text/html; charset=utf-8");
  response.set(HeaderField::content_length, "5477");
  response.set("X-Custom", "a value");
  EXPECT_EQ(head_of(response),
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5477\r\n"
            "X-Custom: a value\r\n\r\n");
  EXPECT_EQ(head_of(response), beast_head(response));
}

TEST(WireFormat, MatchesBeastForEveryKindOfAnswer) {
  Response not_found{Status::not_found, 11};
  not_found.set(HeaderField::connection, "close");
  Response old_client{Status::moved_permanently, 10};
  old_client.set(HeaderField::location, "/lettings/");
  Response custom_reason{Status::service_unavailable, 11};
  custom_reason.reason("Try Later");
  custom_reason.set(HeaderField::retry_after, "30");
  Response unknown_status{static_cast<Status>(599), 11};
  Response no_fields{Status::no_content, 11};
  Response repeated{Status::ok, 11};
  repeated.insert(HeaderField::set_cookie, "a=1; Path=/");
  repeated.insert(HeaderField::set_cookie, "b=2; Path=/; HttpOnly");
  repeated.set(HeaderField::vary, "Cookie");
  for (const auto* response : {&not_found, &old_client, &custom_reason, &unknown_status, &no_fields, &repeated}) {
    EXPECT_EQ(head_of(*response), beast_head(*response));
  }
  EXPECT_EQ(head_of(old_client).substr(0, 30), "HTTP/1.0 301 Moved Permanently");
  EXPECT_EQ(head_of(custom_reason).substr(0, 23), "HTTP/1.1 503 Try Later\r");
}

}  // namespace
}  // namespace ocl::http
