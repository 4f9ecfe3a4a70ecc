/// The paginated lists through the real server, on the demo data plus rows made by `oc-lettings generate`.

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "page_helpers.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

/// The card links of a list page (`/lettings/<id>/` or `/profiles/<username>/`), in page order.
std::vector<std::string> card_links(const std::string& body) {
  static const std::regex link(R"re(<a class="stretched-link" href="([^"]+)">)re");
  std::vector<std::string> hrefs;
  for (std::sregex_iterator it(body.begin(), body.end(), link), end; it != end; ++it) {
    hrefs.push_back((*it)[1].str());
  }
  return hrefs;
}

std::vector<std::string> letting_links(int first, int last) {
  std::vector<std::string> hrefs;
  for (int id = first; id <= last; ++id) {
    hrefs.push_back("/lettings/" + std::to_string(id) + "/");
  }
  return hrefs;
}

/// Links to the generated users first..last (the demo data has six users, so generated ids start at 7).
std::vector<std::string> member_links(int first, int last) {
  std::vector<std::string> hrefs;
  for (int id = first; id <= last; ++id) {
    auto digits = std::to_string(id);
    hrefs.push_back("/profiles/member" + std::string(7 - digits.size(), '0') + digits + "/");
  }
  return hrefs;
}

std::vector<std::string> concat(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

class PaginationTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = std::make_unique<ServerProcess>(ServerConfig{.seed = Seed::demo});
    const auto generated = run_cli({"generate", "--lettings", "120", "--profiles", "120", "--batch", "50"},
                                   server->environment(), server->directory());
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    ASSERT_NE(generated.out.find("Generated 120 lettings (ids 7 to 126)"), std::string::npos) << generated.out;
    ASSERT_NE(generated.out.find("Generated 120 profiles (ids 5 to 124)"), std::string::npos) << generated.out;
  }
  static void TearDownTestSuite() { server.reset(); }

  /// GET that must answer 200 with an HTML page.
  static std::string page(const std::string& target) {
    const auto response = server->get(target);
    EXPECT_EQ(response.result_int(), 200U) << target;
    EXPECT_EQ(header(response, boost::beast::http::field::content_type), "text/html; charset=utf-8") << target;
    return response.body();
  }

  static inline std::unique_ptr<ServerProcess> server;
};

TEST_F(PaginationTest, LettingsComeFiftyAPageInPrimaryKeyOrder) {
  const auto first = page("/lettings/");
  EXPECT_EQ(card_links(first), letting_links(1, 50));
  EXPECT_NE(first.find(R"(<nav class="pager" aria-label="Lettings pages">)"), std::string::npos);
  EXPECT_NE(first.find(R"(href="/lettings/?page=2" rel="next")"), std::string::npos);
  EXPECT_EQ(first.find(R"(rel="prev")"), std::string::npos);
  EXPECT_EQ(page("/lettings/?page=1"), first);

  const auto second = page("/lettings/?page=2");
  EXPECT_EQ(card_links(second), letting_links(51, 100));
  EXPECT_NE(second.find(R"(href="/lettings/" rel="prev")"), std::string::npos);
  EXPECT_NE(second.find(R"(href="/lettings/?page=3" rel="next")"), std::string::npos);

  const auto third = page("/lettings/?page=3");
  EXPECT_EQ(card_links(third), letting_links(101, 126));
  EXPECT_NE(third.find(R"(href="/lettings/?page=2" rel="prev")"), std::string::npos);
  EXPECT_EQ(third.find(R"(rel="next")"), std::string::npos);
  EXPECT_NE(third.find("Page 3</span>"), std::string::npos);
}

TEST_F(PaginationTest, ProfilesComeFiftyAPageInProfileOrder) {
  const std::vector<std::string> demo{"/profiles/HeadlinesGazer/", "/profiles/DavWin/", "/profiles/AirWow/",
                                      "/profiles/4meRomance/"};
  EXPECT_EQ(card_links(page("/profiles/")), concat(demo, member_links(7, 52)));
  const auto second = page("/profiles/?page=2");
  EXPECT_EQ(card_links(second), member_links(53, 102));
  EXPECT_NE(second.find(R"(href="/profiles/" rel="prev")"), std::string::npos);
  EXPECT_NE(second.find(R"(href="/profiles/?page=3" rel="next")"), std::string::npos);
  const auto third = page("/profiles/?page=3");
  EXPECT_EQ(card_links(third), member_links(103, 126));
  EXPECT_EQ(third.find(R"(rel="next")"), std::string::npos);
}

TEST_F(PaginationTest, GeneratedRowsHaveWorkingDetailPages) {
  const auto letting = html_unescape(page("/lettings/126/"));
  EXPECT_NE(letting.find(" #126</h1>"), std::string::npos);
  EXPECT_NE(letting.find(">USA<"), std::string::npos);
  const auto profile = page("/profiles/member0000126/");
  EXPECT_NE(profile.find("<h1 class=\"page-title\">member0000126</h1>"), std::string::npos);
  EXPECT_NE(profile.find("@example.com"), std::string::npos);
}

TEST_F(PaginationTest, PagesThatAreNotNumbersOrPastTheEndAre404) {
  for (const std::string list : {"/lettings/", "/profiles/"}) {
    for (const std::string query : {"?page=4", "?page=abc", "?page=0", "?page=-1", "?page=", "?page=1.0",
                                    "?page=99999999999999999999", "?page=%3Cscript%3E"}) {
      const auto response = server->get(list + query);
      EXPECT_EQ(response.result_int(), 404U) << list + query;
      EXPECT_EQ(response.body().find("<script>"), std::string::npos) << list + query;
    }
  }
}

TEST_F(PaginationTest, GenerateRefusesBadArgumentsAndAnUnmigratedDatabase) {
  const auto bad = run_cli({"generate", "--lettings", "many"}, server->environment(), server->directory());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--lettings needs a whole number from 0 to 100000000, not 'many'"), std::string::npos)
      << bad.err;
  const auto missing = run_cli({"generate", "--profiles"}, server->environment(), server->directory());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--profiles needs a value"), std::string::npos) << missing.err;

  TempDir directory;
  const auto empty = run_cli({"generate", "--lettings", "1", "--profiles", "1"},
                             base_environment(directory.file("empty.sqlite3")), directory.path());
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("run `oc-lettings migrate` first"), std::string::npos) << empty.err;

  const auto help = run_cli({"generate", "--help"}, server->environment(), server->directory());
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("generate [--lettings N] [--profiles N] [--batch N]"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace ocl::integration
