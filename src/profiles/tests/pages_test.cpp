/// The paginated profiles list and its repository, on generated rows, without a socket.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "app/tests/test_settings.hpp"
#include "cli/generate.hpp"
#include "db/migrations.hpp"
#include "db/tests/test_database.hpp"
#include "profiles/repository.hpp"
#include "profiles/views.hpp"

namespace ocl::profiles {
namespace {

/// The usernames a list page links to, in page order.
std::vector<std::string> listed_usernames(const std::string& body) {
  static const std::regex link(R"(<a class="stretched-link" href="/profiles/([^/"]+)/">)");
  std::vector<std::string> usernames;
  for (std::sregex_iterator it(body.begin(), body.end(), link), end; it != end; ++it) {
    usernames.push_back((*it)[1].str());
  }
  return usernames;
}

/// The generated usernames of users first..last (a fresh database: user ids start at 1).
std::vector<std::string> members(int first, int last) {
  std::vector<std::string> usernames;
  for (int id = first; id <= last; ++id) {
    usernames.push_back(cli::generated_username(id, 7));
  }
  return usernames;
}

/// Migrates the database at `path` and adds `count` generated users with profiles.
bool seed(const std::string& path, std::int64_t count) {
  db::SqliteConnection connection{path};
  db::migrate(connection);
  return cli::generate_profiles(connection, count, 1000).count == count;
}

class ProfilePagesTest : public ::testing::Test {
 protected:
  explicit ProfilePagesTest(std::int64_t profiles = 120) : seeded(seed(path, profiles)) {}

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

TEST_F(ProfilePagesTest, RepositoryReadsAWindowInProfileOrder) {
  db::SqliteConnection connection{path};
  ProfileRepository repository{connection};
  EXPECT_EQ(repository.list_usernames(2, 0), members(1, 2));
  EXPECT_EQ(repository.list_usernames(51, 100), members(101, 120));
  EXPECT_TRUE(repository.list_usernames(51, 120).empty());
  // Profile order, not user order: a user whose profile came later is listed later.
  connection.execute("UPDATE profiles_profile SET id = 1000 WHERE user_id = 1");
  EXPECT_EQ(repository.list_usernames(2, 0), members(2, 3));
  EXPECT_EQ(repository.list_usernames(51, 100).back(), "member0000001");
}

TEST_F(ProfilePagesTest, PagesShowFiftyProfilesAndLinkTheirNeighbours) {
  const auto first = get("/profiles/");
  ASSERT_EQ(first.result(), http::Status::ok);
  EXPECT_EQ(listed_usernames(first.body()), members(1, 50));
  EXPECT_NE(first.body().find(R"(<nav class="pager" aria-label="Profiles pages">)"), std::string::npos);
  EXPECT_NE(first.body().find(R"(<a class="page-link" href="/profiles/?page=2" rel="next">)"), std::string::npos);
  EXPECT_EQ(first.body().find(R"(rel="prev")"), std::string::npos);

  const auto second = get("/profiles/?page=2");
  ASSERT_EQ(second.result(), http::Status::ok);
  EXPECT_EQ(listed_usernames(second.body()), members(51, 100));
  EXPECT_NE(second.body().find(R"(<a class="page-link" href="/profiles/" rel="prev">)"), std::string::npos);
  EXPECT_NE(second.body().find(R"(href="/profiles/?page=3" rel="next")"), std::string::npos);

  const auto third = get("/profiles/?page=3");
  ASSERT_EQ(third.result(), http::Status::ok);
  EXPECT_EQ(listed_usernames(third.body()), members(101, 120));
  EXPECT_NE(third.body().find("Page 3</span>"), std::string::npos);
  EXPECT_EQ(third.body().find(R"(rel="next")"), std::string::npos);

  EXPECT_EQ(get("/profiles/member0000120/").result(), http::Status::ok);
}

TEST_F(ProfilePagesTest, InvalidOrMissingPagesAre404) {
  for (const auto* target : {"/profiles/?page=4", "/profiles/?page=abc", "/profiles/?page=0", "/profiles/?page=-1",
                             "/profiles/?page=", "/profiles/?page=%20", "/profiles/?page=1e1"}) {
    EXPECT_EQ(get(target).result(), http::Status::not_found) << target;
  }
}

class EmptyProfileListTest : public ProfilePagesTest {
 protected:
  EmptyProfileListTest() : ProfilePagesTest(0) {}
};

TEST_F(EmptyProfileListTest, PageOneOfAnEmptyListIsTheEmptyStateAndPageTwoIs404) {
  const auto response = get("/profiles/?page=1");
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_NE(response.body().find("No profiles are available yet."), std::string::npos);
  EXPECT_EQ(response.body().find("Profiles pages"), std::string::npos);
  EXPECT_EQ(get("/profiles/?page=2").result(), http::Status::not_found);
}

TEST(ProfileIndexData, EscapesUsernamesInTextAndLinks) {
  db::testing::TempDirectory directory;
  const auto settings = app::testing::test_settings(db::testing::copy_django_database(directory));
  const app::Application application{settings};
  const site::Page<std::string> page{.items = {"a b&<c>"}, .number = 2};
  const auto data = index_data(page, application.router());
  EXPECT_EQ(data.get("pagination")->get("previous_url")->string_value(), "/profiles/");
  EXPECT_EQ(data.get("pagination")->get("next_url"), nullptr);
  EXPECT_EQ(data.get("cards")->string_value(), R"(    <li>
      <article class="profile-card">
        <span class="avatar" aria-hidden="true">a b&amp;&lt;c&gt;</span>
        <h2 class="profile-card-title"><a class="stretched-link" href="/profiles/a%20b%26%3Cc%3E/">a b&amp;&lt;c&gt;</a></h2>
        <i class="bi bi-chevron-right profile-card-chevron" aria-hidden="true"></i>
      </article>
    </li>)");
}

}  // namespace
}  // namespace ocl::profiles
