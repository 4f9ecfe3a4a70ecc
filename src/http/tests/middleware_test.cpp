#include "http/middleware.hpp"

#include <gtest/gtest.h>

#include "http/errors.hpp"
#include "http/forwarded.hpp"
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

TEST_F(MiddlewareTest, ServiceUnavailableCarriesRetryAfter) {
  const auto pipeline = build_pipeline({errors}, [](Context&) -> Response { throw ServiceUnavailable(30, "disk"); });
  const auto response = pipeline(context);
  EXPECT_EQ(response.result(), Status::service_unavailable);
  EXPECT_EQ(response[HeaderField::retry_after], "30");
  EXPECT_EQ(response.body(), "page 503 ");
  EXPECT_EQ(reported, 0);
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

TEST_F(MiddlewareTest, AnExemptPathIsAnsweredUnderAnyHostAndOthersAreStillRefused) {
  const auto pipeline =
      build_pipeline({errors, allowed_hosts([](std::string_view host) { return host == "ok"; }, {"/healthz"})},
                     [](Context& c) { return text_response(c.request, Status::ok, "fine"); });
  request.set(HeaderField::host, "127.0.0.1");
  Request health{Method::get, "/healthz", 11};
  health.set(HeaderField::host, "127.0.0.1");
  Context health_context{health, Target{"/healthz", "/healthz", ""}, {}, "127.0.0.1"};
  EXPECT_EQ(pipeline(health_context).body(), "fine");
  EXPECT_EQ(pipeline(context).result(), Status::bad_request);
  Request below{Method::get, "/healthz/x", 11};
  below.set(HeaderField::host, "127.0.0.1");
  Context below_context{below, Target{"/healthz/x", "/healthz/x", ""}, {}, "127.0.0.1"};
  EXPECT_EQ(pipeline(below_context).result(), Status::bad_request);
}

TEST_F(MiddlewareTest, SecurityHeadersAreAdded) {
  const auto pipeline =
      build_pipeline({security_headers()}, [](Context& c) { return text_response(c.request, Status::ok, ""); });
  const auto response = pipeline(context);
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_EQ(response["Referrer-Policy"], "same-origin");
  EXPECT_EQ(response["Cross-Origin-Opener-Policy"], "same-origin");
  EXPECT_NE(response["Content-Security-Policy"].find("default-src 'self'"), std::string::npos);
}

TEST_F(MiddlewareTest, AContentSecurityPolicySetByTheViewIsKept) {
  const auto pipeline = build_pipeline({security_headers()}, [](Context& c) {
    auto response = text_response(c.request, Status::ok, "");
    response.set("Content-Security-Policy", "default-src 'none'");
    return response;
  });
  EXPECT_EQ(pipeline(context)["Content-Security-Policy"], "default-src 'none'");
}

TEST_F(MiddlewareTest, ConditionalGetTagsAPageAndAnswers304WhenTheTagMatches) {
  const auto pipeline =
      build_pipeline({conditional_get()}, [](Context& c) { return text_response(c.request, Status::ok, "page v1"); });
  const auto first = pipeline(context);
  const auto etag = std::string(first[HeaderField::etag]);
  ASSERT_TRUE(etag.starts_with("W/\"")) << etag;
  EXPECT_EQ(first.body(), "page v1");

  request.set(HeaderField::if_none_match, etag);
  const auto again = pipeline(context);
  EXPECT_EQ(again.result(), Status::not_modified);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(again[HeaderField::etag], etag);

  request.set(HeaderField::if_none_match, "W/\"0000000000000000\"");
  EXPECT_EQ(pipeline(context).result(), Status::ok);
}

TEST_F(MiddlewareTest, ConditionalGetDiffersWithTheContent) {
  std::string body = "one";
  const auto pipeline =
      build_pipeline({conditional_get()}, [&body](Context& c) { return text_response(c.request, Status::ok, body); });
  const auto first = std::string(pipeline(context)[HeaderField::etag]);
  body = "two";
  request.set(HeaderField::if_none_match, first);
  const auto changed = pipeline(context);
  EXPECT_EQ(changed.result(), Status::ok);
  EXPECT_NE(changed[HeaderField::etag], first);
}

TEST_F(MiddlewareTest, ConditionalGetLeavesPrivateErrorAndPostAnswersAlone) {
  const auto with = [](auto adjust) {
    return build_pipeline({conditional_get()}, [adjust](Context& c) {
      auto response = text_response(c.request, Status::ok, "x");
      adjust(response);
      return response;
    });
  };
  EXPECT_TRUE(
      with([](Response& r) { r.set(HeaderField::cache_control, "no-store"); })(context)[HeaderField::etag].empty());
  EXPECT_TRUE(with([](Response& r) { r.set(HeaderField::set_cookie, "a=b"); })(context)[HeaderField::etag].empty());
  EXPECT_TRUE(with([](Response& r) { r.result(Status::not_found); })(context)[HeaderField::etag].empty());
  request.method(Method::post);
  EXPECT_TRUE(with([](Response&) {})(context)[HeaderField::etag].empty());
}

}  // namespace
}  // namespace ocl::http

namespace ocl::http {
namespace {

TEST(HttpsMiddleware, HstsOnlyOnSecureRequestsAndOnlyWhenConfigured) {
  const auto secure = [](const Request& request) { return is_https(request); };
  const auto ok = [](Context& c) { return text_response(c.request, Status::ok, ""); };
  Request request{Method::get, "/", 11};
  Context context{request, Target{"/", "/", ""}, {}, "127.0.0.1"};

  const auto with_hsts = build_pipeline({security_headers({31536000, true, true}, secure)}, ok);
  EXPECT_TRUE(with_hsts(context)[HeaderField::strict_transport_security].empty());
  request.set("X-Forwarded-Proto", "https");
  EXPECT_EQ(with_hsts(context)[HeaderField::strict_transport_security], "max-age=31536000; includeSubDomains; preload");

  const auto without_hsts = build_pipeline({security_headers({}, secure)}, ok);
  EXPECT_TRUE(without_hsts(context)[HeaderField::strict_transport_security].empty());
}

TEST(HttpsMiddleware, RedirectsPlainHttpExceptExemptPaths) {
  const auto secure = [](const Request& request) { return is_https(request); };
  const auto pipeline = build_pipeline({ssl_redirect(secure, {"/healthz"})},
                                       [](Context& c) { return text_response(c.request, Status::ok, "page"); });
  Request request{Method::get, "/lettings/?page=2", 11};
  request.set(HeaderField::host, "oc-lettings.example");
  Context context{request, Target{"/lettings/", "/lettings/", "page=2"}, {}, "127.0.0.1"};
  const auto redirect = pipeline(context);
  EXPECT_EQ(redirect.result(), Status::moved_permanently);
  EXPECT_EQ(redirect[HeaderField::location], "https://oc-lettings.example/lettings/?page=2");

  request.set("X-Forwarded-Proto", "https");  // as the session leaves it for a trusted proxy's HTTPS
  EXPECT_EQ(pipeline(context).body(), "page");

  Request health{Method::get, "/healthz", 11};
  Context health_context{health, Target{"/healthz", "/healthz", ""}, {}, "127.0.0.1"};
  EXPECT_EQ(pipeline(health_context).body(), "page");
}
}  // namespace
}  // namespace ocl::http
