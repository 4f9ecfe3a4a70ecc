#include "http/page_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace ocl::http {
namespace {

using namespace std::chrono_literals;

Response page(std::string body) {
  Response response{Status::ok, 11};
  response.set(HeaderField::content_type, "text/html; charset=utf-8");
  response.body() = std::move(body);
  return response;
}

Request request(Method method, std::string_view target) {
  return Request{method, target, 11};
}

TEST(PageCache, OnlyGetAndHeadHaveAKeyAndTheyShareIt) {
  EXPECT_EQ(PageCache::key_of(request(Method::get, "/lettings/?page=2")), "/lettings/?page=2");
  EXPECT_EQ(PageCache::key_of(request(Method::head, "/lettings/?page=2")), "/lettings/?page=2");
  EXPECT_FALSE(PageCache::key_of(request(Method::post, "/lettings/")));
  EXPECT_FALSE(PageCache::key_of(request(Method::options, "/lettings/")));
}

TEST(PageCache, KeepsAPageUntilInvalidated) {
  PageCache cache({});
  EXPECT_EQ(cache.find("/lettings/"), nullptr);
  cache.store("/lettings/", page("list"), cache.generation());
  const auto kept = cache.find("/lettings/");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->response.body(), "list");
  EXPECT_EQ(cache.size(), 1U);
  cache.invalidate();
  EXPECT_EQ(cache.find("/lettings/"), nullptr);
  EXPECT_EQ(cache.size(), 0U);
  EXPECT_EQ(cache.bytes(), 0U);
}

TEST(PageCache, APageRenderedBeforeAnInvalidationIsNotKept) {
  PageCache cache({});
  const auto before_write = cache.generation();
  cache.invalidate();  // a write committed while the page was being rendered
  cache.store("/lettings/", page("old data"), before_write);
  EXPECT_EQ(cache.find("/lettings/"), nullptr);
}

TEST(PageCache, PagesOlderThanMaxAgeAreNotServed) {
  PageCache cache({.max_age = 20ms});
  cache.store("/", page("home"), cache.generation());
  ASSERT_NE(cache.find("/"), nullptr);
  std::this_thread::sleep_for(40ms);
  EXPECT_EQ(cache.find("/"), nullptr);
}

TEST(PageCache, EvictsTheOldestPagesToStayWithinItsBudget) {
  PageCache cache({.max_bytes = 3000, .max_page_bytes = 2000});
  const std::string kilobyte(1000, 'x');
  for (const auto* key : {"/a", "/b", "/c", "/d"}) {
    cache.store(key, page(kilobyte), cache.generation());
  }
  EXPECT_EQ(cache.find("/a"), nullptr);
  EXPECT_EQ(cache.find("/b"), nullptr);
  EXPECT_NE(cache.find("/c"), nullptr);
  EXPECT_NE(cache.find("/d"), nullptr);
  EXPECT_LE(cache.bytes(), 3000U);
  cache.store("/huge", page(std::string(2500, 'y')), cache.generation());
  EXPECT_EQ(cache.find("/huge"), nullptr) << "larger than max_page_bytes";
}

TEST(PageCache, StoringAgainReplacesThePageAndItsSize) {
  PageCache cache({});
  cache.store("/", page("first"), cache.generation());
  const auto first_bytes = cache.bytes();
  cache.store("/", page("second, longer"), cache.generation());
  EXPECT_EQ(cache.find("/")->response.body(), "second, longer");
  EXPECT_EQ(cache.size(), 1U);
  EXPECT_EQ(cache.bytes(), first_bytes + 9);
}

TEST(PageCache, ZeroMaxAgeTurnsItOff) {
  PageCache cache({.max_age = 0ms});
  EXPECT_FALSE(cache.enabled());
  cache.store("/", page("home"), cache.generation());
  EXPECT_EQ(cache.find("/"), nullptr);
  EXPECT_EQ(cache.size(), 0U);
}

}  // namespace
}  // namespace ocl::http
