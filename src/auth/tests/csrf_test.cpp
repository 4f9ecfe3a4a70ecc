#include "auth/csrf.hpp"

#include <gtest/gtest.h>

namespace ocl::auth {
namespace {

const std::string secret = "abcdefghijABCDEFGHIJ0123456789xy";

config::Settings settings() {
  config::Settings result;
  result.secret_key = "test";
  return result;
}

http::Request post(const std::string& body, const std::string& cookie_secret = secret) {
  http::Request request{http::Method::post, "/admin/login/", 11};
  request.set(http::HeaderField::host, "testserver");
  request.set(http::HeaderField::content_type, "application/x-www-form-urlencoded");
  if (!cookie_secret.empty()) {
    request.set(http::HeaderField::cookie, "other=1; csrftoken=" + cookie_secret);
  }
  request.body() = body;
  return request;
}

TEST(CsrfTest, UnmasksTokensAsDjango) {
  // Django's _unmask_cipher_token of this token.
  EXPECT_EQ(csrf_secret_from_token("abcdefghijABCDEFGHIJ0123456789xyZWVUTSRQPONMLKJIHGFEDCBAzyxwvuts"),
            "ZVTRPNLJHFnljhfdb975NLJHFDBzxv64");
  const auto masked = mask_csrf_secret(secret);
  EXPECT_EQ(masked.size(), 64U);
  EXPECT_EQ(csrf_secret_from_token(masked), secret);
  EXPECT_NE(mask_csrf_secret(secret), masked) << "each mask is random";
  EXPECT_EQ(csrf_secret_from_token(secret), secret);
  EXPECT_FALSE(csrf_secret_from_token("short").has_value());
  EXPECT_FALSE(csrf_secret_from_token(std::string(32, '-')).has_value());
}

TEST(CsrfTest, AcceptsAMaskedFormTokenOrHeaderMatchingTheCookie) {
  EXPECT_EQ(csrf_failure(post("csrfmiddlewaretoken=" + mask_csrf_secret(secret))), std::nullopt);
  auto with_header = post("");
  with_header.set("X-CSRFToken", mask_csrf_secret(secret));
  EXPECT_EQ(csrf_failure(with_header), std::nullopt);
}

TEST(CsrfTest, RefusesMissingOrWrongTokensAndCookies) {
  EXPECT_EQ(csrf_failure(post("username=a")), "CSRF token missing.");
  EXPECT_EQ(csrf_failure(post("csrfmiddlewaretoken=" + mask_csrf_secret(secret), "")), "CSRF cookie not set.");
  EXPECT_EQ(csrf_failure(post("csrfmiddlewaretoken=" + mask_csrf_secret(new_csrf_secret()))), "CSRF token incorrect.");
  EXPECT_TRUE(csrf_failure(post("csrfmiddlewaretoken=xyz")).has_value());
}

TEST(CsrfTest, ChecksOriginAndRefererForHttps) {
  const auto body = "csrfmiddlewaretoken=" + mask_csrf_secret(secret);
  auto request = post(body);
  request.set("Origin", "https://evil.example");
  EXPECT_TRUE(csrf_failure(request)->starts_with("Origin checking failed"));
  request.set("Origin", "http://testserver");
  EXPECT_EQ(csrf_failure(request), std::nullopt);

  auto secure = post(body);
  secure.set("X-Forwarded-Proto", "https");
  EXPECT_EQ(csrf_failure(secure), "Referer checking failed - no Referer.");
  secure.set(http::HeaderField::referer, "https://evil.example/admin/");
  EXPECT_TRUE(csrf_failure(secure)->starts_with("Referer checking failed"));
  secure.set(http::HeaderField::referer, "https://testserver/admin/login/");
  EXPECT_EQ(csrf_failure(secure), std::nullopt);
  secure.set("Origin", "http://testserver");
  EXPECT_TRUE(csrf_failure(secure).has_value()) << "over HTTPS the origin must be https";
}

TEST(CsrfTest, SafeMethodsPass) {
  http::Request request{http::Method::get, "/admin/", 11};
  EXPECT_EQ(csrf_failure(request), std::nullopt);
  EXPECT_TRUE(is_safe_method(http::Method::head));
  EXPECT_FALSE(is_safe_method(http::Method::delete_));
}

TEST(CsrfTest, CookieIsLaxReadableAndSecureUnlessDebug) {
  auto production = settings();
  const auto cookie = csrf_cookie(secret, production);
  EXPECT_TRUE(cookie.starts_with("csrftoken=" + secret + ";"));
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("; Secure"), std::string::npos);
  EXPECT_EQ(cookie.find("HttpOnly"), std::string::npos);
  production.debug = true;
  EXPECT_EQ(csrf_cookie(secret, production).find("Secure"), std::string::npos);
}

}  // namespace
}  // namespace ocl::auth
