/// Error pages, redirects, methods, hosts, request limits and the headers every answer carries.

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server_process.hpp"

namespace ocl::integration {
namespace {

using boost::beast::http::field;

const std::vector<std::string> page_routes{"/", "/lettings/", "/lettings/1/", "/profiles/", "/profiles/AirWow/"};

class Conventions : public testing::Test {
 protected:
  static void SetUpTestSuite() { server = std::make_unique<ServerProcess>(); }
  static void TearDownTestSuite() { server.reset(); }

  static void expect_error_page(const HttpResponse& response, unsigned status, const std::string& target) {
    EXPECT_EQ(response.result_int(), status) << target;
    EXPECT_EQ(header(response, field::content_type), "text/html; charset=utf-8") << target;
    EXPECT_NE(response.body().find("<!doctype html>"), std::string::npos) << target;
    EXPECT_NE(response.body().find("/static/css/site.css"), std::string::npos) << target;  // the site's own layout
  }

  static void expect_security_headers(const HttpResponse& response, const std::string& what) {
    EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(header(response, "X-Frame-Options"), "DENY") << what;
    EXPECT_EQ(header(response, "Referrer-Policy"), "same-origin") << what;
  }

  static inline std::unique_ptr<ServerProcess> server;
};

TEST_F(Conventions, PagesAreUtf8Html) {
  for (const auto& target : page_routes) {
    const auto response = server->get(target);
    EXPECT_EQ(response.result_int(), 200U) << target;
    EXPECT_EQ(header(response, field::content_type), "text/html; charset=utf-8") << target;
  }
}

TEST_F(Conventions, EveryAnswerCarriesTheDate) {
  const std::regex imf_fixdate(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)");
  for (const auto* target : {"/", "/lettings/", "/lettings/", "/no-such-page/", "/static/css/site.css", "/healthz"}) {
    const auto date = header(server->get(target), boost::beast::http::field::date);
    EXPECT_TRUE(std::regex_match(date, imf_fixdate)) << target << ": '" << date << "'";
  }
  const auto refused =
      server->send_raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(20000, 'x') + "\r\n\r\n");
  EXPECT_NE(refused.find("\r\nDate: "), std::string::npos) << refused.substr(0, 200);
}

TEST_F(Conventions, UnknownPathsIdsAndUsernamesAnswerTheCustom404Page) {
  for (const std::string target :
       {"/nope/", "/lettings/0/", "/lettings/-1/", "/lettings/abc/", "/lettings/123456789012345678901234567890/",
        "/lettings/99/", "/lettings/1/extra/", "/profiles/nobody/", "/profiles/AirWow/extra/", "/lettings/%zz/",
        "/%E2%82/", "/profiles/%zz/", "/profiles/%E2%82/", "/lettings/%31/x", "/static/"}) {
    const auto response = server->get(target);
    expect_error_page(response, 404U, target);
    EXPECT_NE(response.body().find("Page not found"), std::string::npos) << target;
  }
}

TEST_F(Conventions, OldDjangoUrlsRedirectPermanentlyToTheCanonicalOnes) {
  const std::vector<std::pair<std::string, std::string>> moves{
      {"/lettings/lettings/1/", "/lettings/1/"},
      {"/lettings/lettings/6/", "/lettings/6/"},
      {"/profiles/profiles/AirWow/", "/profiles/AirWow/"},
      {"/profiles/profiles/4meRomance/", "/profiles/4meRomance/"},
  };
  for (const auto& [old_url, new_url] : moves) {
    const auto response = server->get(old_url);
    EXPECT_EQ(response.result_int(), 301U) << old_url;
    EXPECT_EQ(header(response, field::location), new_url) << old_url;
    EXPECT_EQ(server->get(new_url).result_int(), 200U) << new_url;
  }
}

TEST_F(Conventions, MissingTrailingSlashRedirectsAndKeepsTheQuery) {
  const std::vector<std::pair<std::string, std::string>> moves{
      {"/lettings", "/lettings/"},
      {"/profiles", "/profiles/"},
      {"/lettings/1", "/lettings/1/"},
      {"/profiles/AirWow", "/profiles/AirWow/"},
      {"/lettings?page=2&sort=title", "/lettings/?page=2&sort=title"},
      {"/profiles/DavWin?x=%20y", "/profiles/DavWin/?x=%20y"},
  };
  for (const auto& [target, location] : moves) {
    const auto response = server->get(target);
    EXPECT_EQ(response.result_int(), 301U) << target;
    EXPECT_EQ(header(response, field::location), location) << target;
  }
}

TEST_F(Conventions, NoSlashRedirectTowardsPagesThatDoNotExist) {
  EXPECT_EQ(server->get("/nope").result_int(), 404U);
  EXPECT_EQ(server->get("/lettings/abc").result_int(), 404U);
  const auto open_redirect = server->get("//evil.example");
  EXPECT_NE(open_redirect.result_int(), 301U);
  EXPECT_TRUE(header(open_redirect, field::location).empty());
}

TEST_F(Conventions, HeadMatchesGetWithAnEmptyBody) {
  auto targets = page_routes;
  targets.insert(targets.end(), {"/healthz", "/readyz", "/static/css/site.css", "/nope/", "/lettings"});
  for (const auto& target : targets) {
    const auto get = server->get(target);
    const auto head = server->head(target);
    EXPECT_EQ(head.result_int(), get.result_int()) << target;
    EXPECT_EQ(header(head, field::content_length), std::to_string(get.body().size())) << target;
    EXPECT_EQ(header(head, field::content_type), header(get, field::content_type)) << target;
    EXPECT_EQ(header(head, field::location), header(get, field::location)) << target;
    EXPECT_TRUE(head.body().empty()) << target;
  }
}

TEST_F(Conventions, HeadBodyIsReallyEmptyOnTheWire) {
  const auto raw = server->send_raw("HEAD /lettings/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  const auto end_of_headers = raw.find("\r\n\r\n");
  ASSERT_NE(end_of_headers, std::string::npos);
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 200")) << raw.substr(0, 40);
  EXPECT_EQ(raw.size(), end_of_headers + 4);
}

TEST_F(Conventions, OptionsListsTheAllowedMethods) {
  for (const auto& target : page_routes) {
    const auto response = server->request("OPTIONS", target);
    EXPECT_EQ(response.result_int(), 200U) << target;
    EXPECT_EQ(header(response, field::allow), "GET, HEAD, OPTIONS") << target;
  }
}

TEST_F(Conventions, OtherMethodsAnswer405WithAllow) {
  for (const auto& target : page_routes) {
    for (const auto* method : {"POST", "PUT", "PATCH", "DELETE"}) {
      const auto response = server->request(method, target, {}, method == std::string("POST") ? "a=1" : "");
      expect_error_page(response, 405U, std::string(method) + " " + target);
      EXPECT_EQ(header(response, field::allow), "GET, HEAD, OPTIONS") << method << " " << target;
    }
  }
}

TEST_F(Conventions, SentryDebugAnswersTheServerErrorPageWithoutInternals) {
  const auto response = server->get("/sentry-debug/");
  expect_error_page(response, 500U, "/sentry-debug/");
  EXPECT_NE(response.body().find("Server error"), std::string::npos);
  for (const auto* internal : {"division by zero", "domain_error", "Traceback", "std::", ".cpp"}) {
    EXPECT_EQ(response.body().find(internal), std::string::npos) << internal;
  }
  EXPECT_TRUE(server->wait_for_stderr("division by zero")) << "the error is logged for the operators";
  EXPECT_EQ(server->get("/").result_int(), 200U) << "the server keeps serving";
}

TEST_F(Conventions, SecurityHeadersOnSuccessfulAnswers) {
  for (const std::string target : {"/", "/lettings/1/", "/profiles/AirWow/", "/healthz", "/static/css/site.css"}) {
    expect_security_headers(server->get(target), target);
  }
}

TEST_F(Conventions, SecurityHeadersOnRedirects) {
  expect_security_headers(server->get("/lettings"), "append-slash redirect");
  expect_security_headers(server->get("/lettings/lettings/1/"), "legacy redirect");
}

TEST_F(Conventions, SecurityHeadersOnErrorPages) {
  expect_security_headers(server->get("/nope/"), "404");
  expect_security_headers(server->request("DELETE", "/"), "405");
  expect_security_headers(server->get("/sentry-debug/"), "500");
  expect_security_headers(server->get("/", {{"Host", "evil.example"}}), "400 disallowed host");
}

TEST_F(Conventions, DisallowedHostAnswers400) {
  for (const std::string host : {"evil.example", "127.0.0.1.evil.example", "localhost.evil.example"}) {
    const auto response = server->get("/", {{"Host", host}});
    expect_error_page(response, 400U, host);
    EXPECT_EQ(response.body().find("Welcome to the new Holiday Homes"), std::string::npos);
  }
  EXPECT_EQ(server->get("/", {{"Host", "localhost:8000"}}).result_int(), 200U);
  EXPECT_EQ(server->get("/", {{"Host", "LOCALHOST"}}).result_int(), 200U);
}

TEST_F(Conventions, MissingHostHeaderAnswers400) {
  const auto raw = server->send_raw("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 400")) << raw.substr(0, 40);
}

TEST_F(Conventions, MalformedRequestLinesAnswer400) {
  for (const std::string line :
       {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /lettings/ HTTP/9.9\r\n\r\n", "GET /lettings/ HTTX/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nNo colon here\r\n\r\n", "G\x01T / HTTP/1.1\r\n\r\n"}) {
    const auto raw = server->send_raw(line);
    EXPECT_TRUE(raw.starts_with("HTTP/1.1 400")) << line << " -> " << raw.substr(0, 40);
  }
}

TEST_F(Conventions, OversizedHeadersAnswer431) {
  const std::string big(17 * 1024, 'x');
  const auto raw = server->send_raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + big + "\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 431")) << raw.substr(0, 40);
}

/// A request with `fields` header fields besides Host, each a few bytes (well under the byte limit).
std::string request_with_fields(int fields) {
  std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int field = 0; field < fields; ++field) {
    request += "X-F" + std::to_string(field) + ": v\r\n";
  }
  return request + "Connection: close\r\n\r\n";
}

TEST_F(Conventions, MoreThanAHundredHeaderFieldsAnswer431AsGunicornDoes) {
  // 98 fields, Host and Connection: 100 in all, the most gunicorn's limit_request_fields allows.
  EXPECT_TRUE(server->send_raw(request_with_fields(98)).starts_with("HTTP/1.1 200")) << "100 fields";
  for (const int fields : {99, 2000}) {
    const auto raw = server->send_raw(request_with_fields(fields));
    EXPECT_TRUE(raw.starts_with("HTTP/1.1 431")) << fields << " fields -> " << raw.substr(0, 40);
  }
}

TEST(HeaderFieldLimit, IsConfigurable) {
  const ServerProcess server({.overrides = {{"LIMIT_REQUEST_FIELDS", "10"}}});
  EXPECT_TRUE(server.send_raw(request_with_fields(8)).starts_with("HTTP/1.1 200"));
  EXPECT_TRUE(server.send_raw(request_with_fields(9)).starts_with("HTTP/1.1 431"));
}

TEST_F(Conventions, HeadersJustUnderTheLimitAreServed) {
  const auto response = server->get("/", {{"X-Large", std::string(15 * 1024, 'y')}});
  EXPECT_EQ(response.result_int(), 200U);
}

TEST_F(Conventions, OversizedBodyAnswers413) {
  const auto raw = server->send_raw(
      "POST /lettings/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 2097152\r\n\r\nabc");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 413")) << raw.substr(0, 40);
}

TEST_F(Conventions, BodyUnderTheLimitReachesTheMethodCheck) {
  const auto response = server->request("POST", "/lettings/", {}, std::string(512 * 1024, 'z'));
  EXPECT_EQ(response.result_int(), 405U);
}

TEST_F(Conventions, KeepAliveServesSeveralRequestsOnOneConnection) {
  RawConnection connection{server->port()};
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  ASSERT_TRUE(connection.send(request + request));
  std::string received;
  for (int round = 0; round < 50 && received.find("ok\n", received.find("ok\n") + 1) == std::string::npos; ++round) {
    received += connection.read_at_least(1);
  }
  EXPECT_EQ(received.find("HTTP/1.1 200"), 0U);
  EXPECT_NE(received.find("HTTP/1.1 200", 1), std::string::npos);
}

TEST_F(Conventions, HealthAndReadinessAnswerPlainly) {
  const auto health = server->get("/healthz");
  EXPECT_EQ(health.result_int(), 200U);
  EXPECT_EQ(header(health, field::cache_control), "no-store");
  const auto ready = server->get("/readyz");
  EXPECT_EQ(ready.result_int(), 200U);
  EXPECT_EQ(header(ready, field::cache_control), "no-store");
}

TEST(AllowedHosts, RenderExternalHostnameIsAllowed) {
  const ServerProcess server{ServerConfig{
      .overrides = {{"ALLOWED_HOSTS", "127.0.0.1"}, {"RENDER_EXTERNAL_HOSTNAME", "oc-lettings.onrender.com"}}}};
  EXPECT_EQ(server.get("/", {{"Host", "oc-lettings.onrender.com"}}).result_int(), 200U);
  EXPECT_EQ(server.get("/", {{"Host", "oc-lettings.onrender.com:443"}}).result_int(), 200U);
  EXPECT_EQ(server.get("/", {{"Host", "other.onrender.com"}}).result_int(), 400U);
  EXPECT_EQ(server.get("/", {{"Host", "localhost"}}).result_int(), 400U);
  EXPECT_EQ(server.get("/").result_int(), 200U);
}

TEST(AllowedHosts, LeadingDotAllowsTheDomainAndItsSubdomains) {
  const ServerProcess server{ServerConfig{.overrides = {{"ALLOWED_HOSTS", ".example.com"}}}};
  EXPECT_EQ(server.get("/", {{"Host", "example.com"}}).result_int(), 200U);
  EXPECT_EQ(server.get("/", {{"Host", "www.example.com"}}).result_int(), 200U);
  EXPECT_EQ(server.get("/", {{"Host", "badexample.com"}}).result_int(), 400U);
  EXPECT_EQ(server.get("/", {{"Host", "127.0.0.1"}}).result_int(), 400U);
}

}  // namespace
}  // namespace ocl::integration
