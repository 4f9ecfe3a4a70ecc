#include "app/application.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "app/tests/test_settings.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::app {
namespace {

/// The whole site as a pure function, on a copy of the Django database: no socket involved.
class ApplicationTest : public ::testing::Test {
 protected:
  static config::Settings make_settings(const std::string& database_path) {
    return app::testing::test_settings(database_path);
  }

  http::Response get(std::string_view target, http::Method method = http::Method::get) {
    http::Request request{method, target, 11};
    request.set(http::HeaderField::host, "testserver");
    return application.handle(request, "127.0.0.1");
  }

  db::testing::TempDirectory directory;
  config::Settings settings = make_settings(db::testing::copy_django_database(directory));
  Application application{settings};
};

TEST_F(ApplicationTest, HomePageLinksToBothLists) {
  const auto response = get("/");
  EXPECT_EQ(response.result(), http::Status::ok);
  EXPECT_EQ(response[http::HeaderField::content_type], "text/html; charset=utf-8");
  EXPECT_NE(response.body().find("Welcome to the new Holiday Homes"), std::string::npos);
  EXPECT_NE(response.body().find("href=\"/lettings/\""), std::string::npos);
  EXPECT_NE(response.body().find("href=\"/profiles/\""), std::string::npos);
}

TEST_F(ApplicationTest, LettingsListInPrimaryKeyOrder) {
  const auto body = get("/lettings/").body();
  const auto first = body.find("Joshua Tree Green Haus /w Hot Tub");
  const auto last = body.find("Underground Hygge");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(last, std::string::npos);
  EXPECT_LT(first, last);
  EXPECT_NE(body.find("/lettings/6/"), std::string::npos);
  EXPECT_NE(body.find("The Mushroom Dome Retreat &amp; LAND of Paradise Suite"), std::string::npos);
}

TEST_F(ApplicationTest, LettingPageShowsTheFullAddress) {
  const auto body = get("/lettings/1/").body();
  for (const auto* expected :
       {"Joshua Tree Green Haus /w Hot Tub", "7217", "Bedford Street", "Brunswick", "GA", "31525", "USA"}) {
    EXPECT_NE(body.find(expected), std::string::npos) << expected;
  }
}

TEST_F(ApplicationTest, ProfilePagesShowTheUser) {
  EXPECT_NE(get("/profiles/").body().find("/profiles/HeadlinesGazer/"), std::string::npos);
  const auto body = get("/profiles/AirWow/").body();
  for (const auto* expected : {"AirWow", "Ada", "Paul", "flocation.vam4@glendenningflowerdesign.com", "Budapest"}) {
    EXPECT_NE(body.find(expected), std::string::npos) << expected;
  }
}

TEST_F(ApplicationTest, UnknownObjectsAndPathsAre404Pages) {
  for (const auto* target :
       {"/lettings/0/", "/lettings/999/", "/lettings/-1/", "/lettings/abc/",
        "/lettings/123456789012345678901234567890/", "/profiles/nobody/", "/nowhere/", "/lettings/%zz/", "/%E2%82/"}) {
    const auto response = get(target);
    EXPECT_EQ(response.result(), http::Status::not_found) << target;
    EXPECT_NE(response.body().find("Page not found"), std::string::npos) << target;
  }
}

TEST_F(ApplicationTest, OldDjangoUrlsRedirectPermanently) {
  auto response = get("/lettings/lettings/3/");
  EXPECT_EQ(response.result(), http::Status::moved_permanently);
  EXPECT_EQ(response[http::HeaderField::location], "/lettings/3/");
  response = get("/profiles/profiles/AirWow/");
  EXPECT_EQ(response.result(), http::Status::moved_permanently);
  EXPECT_EQ(response[http::HeaderField::location], "/profiles/AirWow/");
}

TEST_F(ApplicationTest, AppendSlashKeepsTheQuery) {
  const auto response = get("/lettings?page=1");
  EXPECT_EQ(response.result(), http::Status::moved_permanently);
  EXPECT_EQ(response[http::HeaderField::location], "/lettings/?page=1");
}

TEST_F(ApplicationTest, HeadHasTheLengthOfGetButNoBody) {
  const auto full = get("/lettings/");
  const auto head = get("/lettings/", http::Method::head);
  EXPECT_EQ(head.result(), http::Status::ok);
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(head[http::HeaderField::content_length], std::to_string(full.body().size()));
}

TEST_F(ApplicationTest, OtherMethodsGet405WithAllow) {
  const auto response = get("/lettings/", http::Method::post);
  EXPECT_EQ(response.result(), http::Status::method_not_allowed);
  EXPECT_EQ(response[http::HeaderField::allow], "GET, HEAD, OPTIONS");
  EXPECT_EQ(get("/lettings/", http::Method::options).result(), http::Status::ok);
}

TEST_F(ApplicationTest, SentryDebugFailsIntoThe500PageWithoutInternals) {
  const auto response = get("/sentry-debug/");
  EXPECT_EQ(response.result(), http::Status::internal_server_error);
  EXPECT_NE(response.body().find("Server error"), std::string::npos);
  EXPECT_EQ(response.body().find("division by zero"), std::string::npos);
}

TEST_F(ApplicationTest, HealthAndReadiness) {
  EXPECT_EQ(get("/healthz").result(), http::Status::ok);
  EXPECT_EQ(get("/readyz").result(), http::Status::ok);
}

TEST_F(ApplicationTest, ReadinessFailsWithoutTheSchema) {
  const auto empty_settings = make_settings(directory.file("empty.sqlite3"));
  Application empty{empty_settings};
  http::Request request{http::Method::get, "/readyz", 11};
  request.set(http::HeaderField::host, "testserver");
  EXPECT_EQ(empty.handle(request, "127.0.0.1").result(), http::Status::service_unavailable);
}

TEST_F(ApplicationTest, StaticFilesAreAnsweredAtOnceWithTheLoadedBytes) {
  const auto copied = get("/static/css/site.css");
  http::Request request{http::Method::get, "/static/css/site.css", 11};
  request.set(http::HeaderField::host, "testserver");
  const auto shared = application.answer_at_once(request, "127.0.0.1");
  ASSERT_TRUE(shared);
  ASSERT_TRUE(shared->shared_body) << "on the I/O thread the file's bytes are sent where they were loaded";
  EXPECT_FALSE(copied.body().empty());
  EXPECT_EQ(shared->body(), copied.body()) << "handle() gives the same bytes in the body itself";
  EXPECT_EQ(shared->response[http::HeaderField::content_length], std::to_string(copied.body().size()));
  EXPECT_EQ(shared->response["X-Content-Type-Options"], "nosniff") << "the whole pipeline still runs";
}

TEST_F(ApplicationTest, StaticFilesAreServedAndOthersAreNot) {
  EXPECT_EQ(get("/static/css/site.css").result(), http::Status::ok);
  EXPECT_EQ(get("/static/../CMakeLists.txt").result(), http::Status::not_found);
  EXPECT_EQ(get("/static/%2e%2e/CMakeLists.txt").result(), http::Status::not_found);
}

TEST_F(ApplicationTest, OnlyStaticAndHealthRunOnIoThreadsAndPasswordPostsQueueApart) {
  // (Cached public pages are answered on the I/O thread too, through answer_at_once: see PageCacheTest.)
  EXPECT_EQ(application.lane(http::Request{http::Method::get, "/static/css/site.css", 11}), http::Lane::io);
  EXPECT_EQ(application.lane(http::Request{http::Method::get, "/healthz", 11}), http::Lane::io);
  EXPECT_EQ(application.lane(http::Request{http::Method::get, "/lettings/", 11}), http::Lane::worker);
  EXPECT_EQ(application.lane(http::Request{http::Method::get, "/readyz", 11}), http::Lane::worker);
  EXPECT_EQ(application.lane(http::Request{http::Method::get, "/admin/login/", 11}), http::Lane::worker);
  EXPECT_EQ(application.lane(http::Request{http::Method::post, "/admin/login/", 11}), http::Lane::slow);
  EXPECT_EQ(application.lane(http::Request{http::Method::post, "/admin/auth/user/add/", 11}), http::Lane::slow);
}

TEST_F(ApplicationTest, UnknownHostsGet400) {
  http::Request request{http::Method::get, "/", 11};
  request.set(http::HeaderField::host, "evil.example");
  EXPECT_EQ(application.handle(request, "127.0.0.1").result(), http::Status::bad_request);
}

/// The page cache, seen through the application: what is kept, what is not, and when it is dropped.
class PageCacheTest : public ApplicationTest {
 protected:
  std::optional<http::Answer> at_once(std::string_view target, std::string_view if_none_match = {},
                                      http::Method method = http::Method::get) {
    http::Request request{method, target, 11};
    request.set(http::HeaderField::host, "testserver");
    if (!if_none_match.empty()) {
      request.set(http::HeaderField::if_none_match, if_none_match);
    }
    return application.answer_at_once(request, "127.0.0.1");
  }
  void write(const std::string& sql) { application.database().lease()->execute(sql); }
};

TEST_F(PageCacheTest, PublicPagesAreAnsweredAtOnceAfterTheFirstRendering) {
  for (const auto* target : {"/", "/lettings/", "/lettings/1/", "/profiles/", "/profiles/AirWow/"}) {
    EXPECT_FALSE(at_once(target)) << target;
    const auto rendered = get(target);
    const auto cached = at_once(target);
    ASSERT_TRUE(cached) << target;
    EXPECT_EQ(cached->body(), rendered.body()) << target;
    EXPECT_EQ(cached->response[http::HeaderField::etag], rendered[http::HeaderField::etag]) << target;
    EXPECT_EQ(cached->response["Content-Security-Policy"], rendered["Content-Security-Policy"])
        << "the whole pipeline runs for cached pages: " << target;
  }
  EXPECT_EQ(application.page_cache().size(), 5U);
}

TEST_F(PageCacheTest, CachedPagesStillHonourTheHostCheckAndConditionalRequests) {
  const auto etag = std::string(get("/lettings/")[http::HeaderField::etag]);
  const auto not_modified = at_once("/lettings/", etag);
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->response.result(), http::Status::not_modified);
  EXPECT_FALSE(not_modified->shared_body) << "a 304 has no body";
  http::Request foreign{http::Method::get, "/lettings/", 11};
  foreign.set(http::HeaderField::host, "evil.example");
  const auto refused = application.answer_at_once(foreign, "127.0.0.1");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->response.result(), http::Status::bad_request);
}

TEST_F(PageCacheTest, AnAnswerAtOnceSendsTheCachedBytesThemselves) {
  const auto rendered = get("/lettings/");
  const auto first = at_once("/lettings/");
  const auto second = at_once("/lettings/");
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(first->shared_body);
  EXPECT_EQ(first->shared_body, second->shared_body) << "both answers point at the one stored body";
  EXPECT_TRUE(first->response.body().empty()) << "the response itself holds the headers only";
  EXPECT_EQ(*first->shared_body, rendered.body());
  EXPECT_EQ(first->response[http::HeaderField::content_length], std::to_string(rendered.body().size()));

  const auto head = at_once("/lettings/", {}, http::Method::head);
  ASSERT_TRUE(head);
  EXPECT_FALSE(head->shared_body);
  EXPECT_TRUE(head->body().empty());
  EXPECT_EQ(head->response[http::HeaderField::content_length], std::to_string(rendered.body().size()));
}

TEST_F(PageCacheTest, AWriteThroughThePoolDropsEveryPageAtOnce) {
  get("/lettings/1/");
  get("/profiles/");
  ASSERT_TRUE(at_once("/lettings/1/"));
  write("UPDATE lettings_letting SET title = 'Freshly Renamed' WHERE id = 1");
  EXPECT_FALSE(at_once("/lettings/1/"));
  EXPECT_FALSE(at_once("/profiles/"));
  EXPECT_NE(get("/lettings/1/").body().find("Freshly Renamed"), std::string::npos);
  write("UPDATE lettings_letting SET title = title WHERE id = -1");  // changes no row
  EXPECT_TRUE(at_once("/lettings/1/")) << "a statement that changed nothing keeps the pages";
}

TEST_F(PageCacheTest, AdminErrorAndPostAnswersAreNeverKept) {
  get("/admin/login/");
  get("/lettings/999/");
  get("/lettings/?page=9");
  get("/readyz");
  get("/static/css/site.css");
  EXPECT_EQ(application.page_cache().size(), 0U);
  EXPECT_FALSE(at_once("/admin/login/"));
  http::Request post{http::Method::post, "/lettings/", 11};
  post.set(http::HeaderField::host, "testserver");
  EXPECT_FALSE(application.answer_at_once(post, "127.0.0.1"));
}

TEST(PageCacheSettings, ZeroMaxAgeTurnsTheCacheOff) {
  db::testing::TempDirectory directory;
  auto settings = testing::test_settings(db::testing::copy_django_database(directory));
  settings.page_cache.max_age_ms = 0;
  Application application{settings};
  http::Request request{http::Method::get, "/lettings/", 11};
  request.set(http::HeaderField::host, "testserver");
  application.handle(request, "127.0.0.1");
  EXPECT_FALSE(application.answer_at_once(request, "127.0.0.1"));
  EXPECT_EQ(application.page_cache().size(), 0U);
}

}  // namespace
}  // namespace ocl::app
