#include "http/router.hpp"

#include <gtest/gtest.h>

#include "http/errors.hpp"

namespace ocl::http {
namespace {

Handler named(std::string name) {
  return [name = std::move(name)](Context&) {
    Response response{Status::ok, 11};
    response.body() = name;
    return response;
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add("index", "/", named("index"));
    router.add("lettings:index", "/lettings/", named("lettings"));
    router.add("lettings:letting", "/lettings/<int:letting_id>/", named("letting"));
    router.add("profiles:profile", "/profiles/<str:username>/", named("profile"));
    router.add("form", "/form/", named("form"), {Method::get, Method::post});
    router.add("static", "/static/<path:path>", named("static"));
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralAndTypedPatterns) {
  auto match = router.match(Method::get, "/lettings/42/");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(match.route->name(), "lettings:letting");
  EXPECT_EQ(match.params.integer("letting_id"), 42);
  EXPECT_EQ(router.match(Method::get, "/").route->name(), "index");
}

TEST_F(RouterTest, IntegerConverterRefusesSignsLettersAndOverflow) {
  EXPECT_EQ(router.match(Method::get, "/lettings/-1/").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match(Method::get, "/lettings/abc/").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match(Method::get, "/lettings/123456789012345678901234567890/").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match(Method::get, "/lettings/9223372036854775807/").kind, RouteMatch::Kind::found);
  EXPECT_EQ(router.match(Method::get, "/lettings/9223372036854775808/").kind, RouteMatch::Kind::not_found);
}

TEST_F(RouterTest, StringConverterTakesOneSegment) {
  auto match = router.match(Method::get, "/profiles/a+b@c-d.e_f/");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(match.params.text("username"), "a+b@c-d.e_f");
  EXPECT_EQ(router.match(Method::get, "/profiles/a/b/").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match(Method::get, "/profiles//").kind, RouteMatch::Kind::not_found);
}

TEST_F(RouterTest, PathConverterTakesTheRest) {
  auto match = router.match(Method::get, "/static/vendor/bootstrap/bootstrap.min.css");
  ASSERT_EQ(match.kind, RouteMatch::Kind::found);
  EXPECT_EQ(match.params.text("path"), "vendor/bootstrap/bootstrap.min.css");
  EXPECT_EQ(router.match(Method::get, "/static/").kind, RouteMatch::Kind::not_found);
}

TEST_F(RouterTest, AppendSlashOnlyWhenTheSlashedPathMatches) {
  EXPECT_EQ(router.match(Method::get, "/lettings").kind, RouteMatch::Kind::append_slash);
  EXPECT_EQ(router.match(Method::get, "/lettings/3").kind, RouteMatch::Kind::append_slash);
  EXPECT_EQ(router.match(Method::get, "/nowhere").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(router.match(Method::get, "").kind, RouteMatch::Kind::not_found);
}

TEST_F(RouterTest, HeadIsAcceptedWhereGetIsAndOtherMethodsGet405) {
  EXPECT_EQ(router.match(Method::head, "/lettings/").kind, RouteMatch::Kind::found);
  auto match = router.match(Method::post, "/lettings/");
  ASSERT_EQ(match.kind, RouteMatch::Kind::method_not_allowed);
  EXPECT_EQ(match.route->allow_header(), "GET, HEAD, OPTIONS");
  EXPECT_EQ(router.match(Method::post, "/form/").kind, RouteMatch::Kind::found);
}

TEST_F(RouterTest, ReverseBuildsEncodedPaths) {
  EXPECT_EQ(router.reverse("lettings:letting", {{"letting_id", "7"}}), "/lettings/7/");
  EXPECT_EQ(router.reverse("profiles:profile", {{"username", "josé garcía"}}), "/profiles/jos%C3%A9%20garc%C3%ADa/");
  EXPECT_EQ(router.reverse("index"), "/");
  EXPECT_THROW((void)router.reverse("nope"), std::out_of_range);
  EXPECT_THROW((void)router.reverse("lettings:letting", {{"letting_id", "x"}}), std::out_of_range);
  EXPECT_THROW((void)router.reverse("lettings:letting"), std::out_of_range);
}

TEST_F(RouterTest, RejectsBadPatternsAndDuplicateNames) {
  EXPECT_THROW(router.add("index", "/again/", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add("bad", "no-slash/", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add("bad2", "/<float:x>/", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add("bad3", "/<path:x>/tail/", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add("bad4", "/<int x>/", named("x")), std::invalid_argument);
}

TEST_F(RouterTest, EndpointRunsViewsAndThrowsHttpErrors) {
  const auto endpoint = router.endpoint();
  Request request{Method::get, "/lettings/5/", 11};
  Context found{request, *parse_target("/lettings/5/"), {}, "127.0.0.1"};
  EXPECT_EQ(endpoint(found).body(), "letting");
  EXPECT_EQ(found.route->pattern(), "/lettings/<int:letting_id>/");

  Context missing{request, *parse_target("/missing/"), {}, "127.0.0.1"};
  EXPECT_THROW(endpoint(missing), NotFound);

  Request post{Method::post, "/lettings/", 11};
  Context not_allowed{post, *parse_target("/lettings/"), {}, "127.0.0.1"};
  try {
    endpoint(not_allowed);
    FAIL() << "expected 405";
  } catch (const MethodNotAllowed& error) {
    EXPECT_EQ(error.allow(), "GET, HEAD, OPTIONS");
  }

  Request slash{Method::get, "/lettings?page=2", 11};
  Context redirect{slash, *parse_target("/lettings?page=2"), {}, "127.0.0.1"};
  const auto response = endpoint(redirect);
  EXPECT_EQ(response.result(), Status::moved_permanently);
  EXPECT_EQ(response[HeaderField::location], "/lettings/?page=2");

  Request open_redirect{Method::get, "//evil.example/lettings", 11};
  Context evil{open_redirect, *parse_target("//evil.example/lettings"), {}, "127.0.0.1"};
  EXPECT_THROW(endpoint(evil), NotFound);
}

}  // namespace
}  // namespace ocl::http
