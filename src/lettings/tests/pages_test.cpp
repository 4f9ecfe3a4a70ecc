/// The paginated lettings list and its repository, on generated rows, without a socket.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "app/tests/test_settings.hpp"
#include "cli/generate.hpp"
#include "db/migrations.hpp"
#include "db/tests/test_database.hpp"
#include "lettings/repository.hpp"
#include "lettings/views.hpp"

namespace ocl::lettings {
namespace {

/// The letting ids a list page links to, in page order.
std::vector<int> listed_ids(const std::string& body) {
  static const std::regex link(R"(<a class="stretched-link" href="/lettings/(\d+)/">)");
  std::vector<int> ids;
  for (std::sregex_iterator it(body.begin(), body.end(), link), end; it != end; ++it) {
    ids.push_back(std::stoi((*it)[1].str()));
  }
  return ids;
}

std::vector<int> range(int first, int last) {
  std::vector<int> values;
  for (int value = first; value <= last; ++value) {
    values.push_back(value);
  }
  return values;
}

/// Migrates the database at `path` and adds `count` generated lettings.
bool seed(const std::string& path, std::int64_t count) {
  db::SqliteConnection connection{path};
  db::migrate(connection);
  return cli::generate_lettings(connection, count, 1000).count == count;
}

class LettingPagesTest : public ::testing::Test {
 protected:
  explicit LettingPagesTest(std::int64_t lettings = 120) : seeded(seed(path, lettings)) {}

  http::Response get(std::string_view target) {
    http::Request request{http::Method::get, target, 11};
    request.set(http::HeaderField::host, "testserver");
    return application.handle(request, "127.0.0.1");
  }

  db::testing::TempDirectory directory;
  std::string path = directory.file("site.sqlite3");
  bool seeded;  // before the application, which opens the database
  config::Settings settings = app::testing::test_settings(path);
  app::Application application{settings};
};

TEST_F(LettingPagesTest, RepositoryReadsAWindowInPrimaryKeyOrder) {
  db::SqliteConnection connection{path};
  LettingRepository repository{connection};
  const auto first = repository.list(3, 0);
  ASSERT_EQ(first.size(), 3U);
  EXPECT_EQ(first[0].id, 1);
  EXPECT_EQ(first[2].id, 3);
  EXPECT_EQ(repository.list(51, 100).size(), 20U);
  EXPECT_EQ(repository.list(51, 100).front().id, 101);
  EXPECT_TRUE(repository.list(51, 150).empty());
}

TEST_F(LettingPagesTest, FirstPageShowsFiftyLettingsAndLinksTheNextPage) {
  for (const auto* target : {"/lettings/", "/lettings/?page=1", "/lettings/?page=+1", "/lettings/?page=%31"}) {
    const auto response = get(target);
    ASSERT_EQ(response.result(), http::Status::ok) << target;
    const auto& body = response.body();
    EXPECT_EQ(listed_ids(body), range(1, 50)) << target;
    EXPECT_NE(body.find(R"(<nav class="pager" aria-label="Lettings pages">)"), std::string::npos);
    EXPECT_NE(body.find(R"(<a class="page-link" href="/lettings/?page=2" rel="next">)"), std::string::npos);
    EXPECT_EQ(body.find(R"(rel="prev")"), std::string::npos);
    EXPECT_NE(body.find(R"(<li class="page-item active" aria-current="page"><span class="page-link">Page 1</span>)"),
              std::string::npos);
  }
}

TEST_F(LettingPagesTest, MiddleAndLastPagesLinkTheirNeighbours) {
  const auto second = get("/lettings/?page=2");
  ASSERT_EQ(second.result(), http::Status::ok);
  EXPECT_EQ(listed_ids(second.body()), range(51, 100));
  EXPECT_NE(second.body().find(R"(<a class="page-link" href="/lettings/" rel="prev">)"), std::string::npos);
  EXPECT_NE(second.body().find(R"(href="/lettings/?page=3" rel="next")"), std::string::npos);
  EXPECT_NE(second.body().find("Page 2</span>"), std::string::npos);

  const auto third = get("/lettings/?page=3");
  ASSERT_EQ(third.result(), http::Status::ok);
  EXPECT_EQ(listed_ids(third.body()), range(101, 120));
  EXPECT_NE(third.body().find(R"(href="/lettings/?page=2" rel="prev")"), std::string::npos);
  EXPECT_EQ(third.body().find(R"(rel="next")"), std::string::npos);
}

TEST_F(LettingPagesTest, InvalidOrMissingPagesAre404) {
  for (const auto* target : {"/lettings/?page=4", "/lettings/?page=abc", "/lettings/?page=0", "/lettings/?page=-1",
                             "/lettings/?page=", "/lettings/?page=1.5", "/lettings/?page=2&page=x",
                             "/lettings/?page=99999999999999999999999"}) {
    EXPECT_EQ(get(target).result(), http::Status::not_found) << target;
  }
}

class EmptyLettingListTest : public LettingPagesTest {
 protected:
  EmptyLettingListTest() : LettingPagesTest(0) {}
};

TEST_F(EmptyLettingListTest, PageOneOfAnEmptyListIsTheEmptyStateAndPageTwoIs404) {
  for (const auto* target : {"/lettings/", "/lettings/?page=1"}) {
    const auto response = get(target);
    ASSERT_EQ(response.result(), http::Status::ok) << target;
    EXPECT_NE(response.body().find("No lettings are available yet."), std::string::npos);
    EXPECT_EQ(response.body().find("Lettings pages"), std::string::npos);
  }
  EXPECT_EQ(get("/lettings/?page=2").result(), http::Status::not_found);
}

class FullSingleLettingPageTest : public LettingPagesTest {
 protected:
  FullSingleLettingPageTest() : LettingPagesTest(50) {}
};

TEST_F(FullSingleLettingPageTest, FiftyLettingsNeedNoNavigation) {
  const auto response = get("/lettings/");
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_EQ(listed_ids(response.body()), range(1, 50));
  EXPECT_EQ(response.body().find("Lettings pages"), std::string::npos);
  EXPECT_EQ(get("/lettings/?page=2").result(), http::Status::not_found);
}

TEST(LettingIndexData, NavigationOnlyWhenThereIsAnotherPage) {
  db::testing::TempDirectory directory;
  const auto settings = app::testing::test_settings(db::testing::copy_django_database(directory));
  const app::Application application{settings};
  site::Page<LettingSummary> page{.items = {{1, "One"}}, .number = 1};
  EXPECT_TRUE(index_data(page, application.router()).get("pagination")->is_false());
  page.has_next = true;
  const auto data = index_data(page, application.router());
  EXPECT_EQ(data.get("pagination")->get("next_url")->string_value(), "/lettings/?page=2");
  EXPECT_TRUE(data.get("lettings")->is_true());
  EXPECT_NE(data.get("cards")->string_value().find(R"(<a class="stretched-link" href="/lettings/1/">One</a>)"),
            std::string::npos);
  page.items = {{7, R"(<b>"T's" & co</b>)"}};
  EXPECT_NE(index_data(page, application.router())
                .get("cards")
                ->string_value()
                .find(R"(href="/lettings/7/">&lt;b&gt;&quot;T&apos;s&quot; &amp; co&lt;/b&gt;</a>)"),
            std::string::npos);
  page.items.clear();
  EXPECT_TRUE(index_data(page, application.router()).get("lettings")->is_false());
}

}  // namespace
}  // namespace ocl::lettings
