#include "http/middleware.hpp"

#include <gtest/gtest.h>

#include "http/errors.hpp"
#include "http/responses.hpp"

namespace ocl::http {
namespace {

Response status_page(const Context& context, Status status, const std::string& event_id) {
  return text_response(context.request, status, "page " + std::to_string(static_cast<int>(status)) + " " + event_id);
}

class MiddlewareTest : public ::testing::Test {
 protected:
  Request request{Method::get, "/", 11};
  Context context{request, Target{"/", "/", ""}, {}, "127.0.0.1"};
  int reported = 0;
  Middleware errors = error_pages(status_page, [this](const Context&, std::exception_ptr) {
    ++reported;
    return std::string("evt");
  });
};

TEST_F(MiddlewareTest, ChainRunsOutermostFirst) {
  std::string trace;
  auto layer = [&trace](char name) -> Middleware {
    return [&trace, name](Context& c, const Handler& next) {
      trace += name;
      auto response = next(c);
      trace += static_cast<char>(std::toupper(name));
      return response;
    };
  };
  const auto pipeline = build_pipeline({layer('a'), layer('b')}, [&trace](Context& c) {
    trace += '*';
    return text_response(c.request, Status::ok, "");
  });
  (void)pipeline(context);
  EXPECT_EQ(trace, "ab*BA");
}

TEST_F(MiddlewareTest, HttpErrorsBecomeTheirPage) {
  const auto pipeline = build_pipeline({errors}, [](Context&) -> Response { throw NotFound(); });
  const auto response = pipeline(context);
  EXPECT_EQ(response.result(), Status::not_found);
  EXPECT_EQ(response.body(), "page 404 ");
  EXPECT_EQ(reported, 0);
}

TEST_F(MiddlewareTest, MethodNotAllowedCarriesAllow) {
  const auto pipeline = build_pipeline({errors}, [](Context&) -> Response { throw MethodNotAllowed("GET, HEAD"); });
  const auto response = pipeline(context);
  EXPECT_EQ(response.result(), Status::method_not_allowed);
  EXPECT_EQ(response[HeaderField::allow], "GET, HEAD");
}

TEST_F(MiddlewareTest, AnyOtherExceptionIsReportedAndHidden) {
  const auto pipeline =
      build_pipeline({errors}, [](Context&) -> Response { throw std::runtime_error("secret internals"); });
  const auto response = pipeline(context);
  EXPECT_EQ(response.result(), Status::internal_server_error);
  EXPECT_EQ(response.body(), "page 500 evt");
  EXPECT_EQ(reported, 1);
  const auto throws_int = build_pipeline({errors}, [](Context&) -> Response { throw 42; });
  EXPECT_EQ(throws_int(context).result(), Status::internal_server_error);
}

TEST_F(MiddlewareTest, DisallowedHostIsABadRequest) {
  const auto pipeline = build_pipeline({errors, allowed_hosts([](std::string_view host) { return host == "ok"; })},
                                       [](Context& c) { return text_response(c.request, Status::ok, "fine"); });
  request.set(HeaderField::host, "evil");
  EXPECT_EQ(pipeline(context).result(), Status::bad_request);
  request.set(HeaderField::host, "ok");
  EXPECT_EQ(pipeline(context).body(), "fine");
}

TEST_F(MiddlewareTest, SecurityHeadersAreAdded) {
  const auto pipeline =
      build_pipeline({security_headers()}, [](Context& c) { return text_response(c.request, Status::ok, ""); });
  const auto response = pipeline(context);
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_EQ(response["Referrer-Policy"], "same-origin");
  EXPECT_EQ(response["Cross-Origin-Opener-Policy"], "same-origin");
}

}  // namespace
}  // namespace ocl::http
