/// Hostile values from tests/data/adversarial.json: every page shows them whole, escaped, and never as markup.

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "page_helpers.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

namespace json = boost::json;

/// The fixture's records of one model, by primary key.
std::map<std::int64_t, json::object> records_of(const json::array& fixture, std::string_view model) {
  std::map<std::int64_t, json::object> records;
  for (const auto& record : fixture) {
    if (record.at("model").as_string() == model) {
      records.emplace(record.at("pk").as_int64(), record.at("fields").as_object());
    }
  }
  return records;
}

std::string text_of(const json::object& fields, std::string_view name) {
  const auto& value = fields.at(name);
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

/// Raw markup characters must never reach the page unescaped.
bool has_markup(std::string_view value) {
  return value.find_first_of("<>\"") != std::string_view::npos;
}

class AdversarialPages : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = std::make_unique<ServerProcess>(ServerConfig{.seed = Seed::adversarial});
    fixture = json::parse(read_file(source_path("tests/data/adversarial.json"))).as_array();
  }
  static void TearDownTestSuite() { server.reset(); }

  static std::map<std::int64_t, json::object> lettings() { return records_of(fixture, "lettings.letting"); }
  static std::map<std::int64_t, json::object> addresses() { return records_of(fixture, "lettings.address"); }
  static std::map<std::int64_t, json::object> profiles() { return records_of(fixture, "profiles.profile"); }
  static std::map<std::int64_t, json::object> users() { return records_of(fixture, "auth.user"); }

  /// Checks that `value` reads back whole from the page and that its markup, if any, was escaped.
  static void expect_shown_escaped(const std::string& body, const std::string& value) {
    EXPECT_NE(html_unescape(body).find(value), std::string::npos) << "missing " << value;
    if (has_markup(value)) {
      EXPECT_EQ(body.find(value), std::string::npos) << "unescaped " << value;
    }
  }

  static inline std::unique_ptr<ServerProcess> server;
  static inline json::array fixture;
};

TEST_F(AdversarialPages, NoPageEverContainsARawScriptTag) {
  std::vector<std::string> targets{"/", "/lettings/", "/profiles/"};
  for (const auto& [id, fields] : lettings()) {
    targets.push_back("/lettings/" + std::to_string(id) + "/");
  }
  for (const auto& link : links_under(server->get("/profiles/").body(), "/profiles/")) {
    targets.push_back(link.href);
  }
  for (const auto& target : targets) {
    const auto response = server->get(target);
    EXPECT_EQ(response.result_int(), 200U) << target;
    EXPECT_EQ(response.body().find("<script>alert"), std::string::npos) << target;
    EXPECT_EQ(response.body().find("<img src=x"), std::string::npos) << target;
    EXPECT_EQ(response.body().find("<b>Main</b>"), std::string::npos) << target;
  }
}

TEST_F(AdversarialPages, ScriptTitleIsShownAsEscapedText) {
  const auto body = server->get("/lettings/1/").body();
  EXPECT_NE(body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(body.find("&lt;b&gt;Main&lt;/b&gt;"), std::string::npos);
}

TEST_F(AdversarialPages, EveryLettingPageShowsEveryValueEscaped) {
  const auto all_addresses = addresses();
  for (const auto& [id, fields] : lettings()) {
    SCOPED_TRACE("letting " + std::to_string(id));
    const auto response = server->get("/lettings/" + std::to_string(id) + "/");
    ASSERT_EQ(response.result_int(), 200U);
    const auto& address = all_addresses.at(fields.at("address").as_int64());
    expect_shown_escaped(response.body(), text_of(fields, "title"));
    expect_shown_escaped(response.body(), text_of(address, "number") + " " + text_of(address, "street"));
    for (const auto* name : {"city", "state", "zip_code", "country_iso_code"}) {
      expect_shown_escaped(response.body(), text_of(address, name));
    }
  }
}

TEST_F(AdversarialPages, EntityLookalikesAreEscapedAgainNotDecoded) {
  const auto body = server->get("/lettings/5/").body();
  EXPECT_NE(body.find("&amp;amp; &amp;lt;b&amp;gt;not bold&amp;lt;/b&amp;gt;"), std::string::npos);
  const auto address = server->get("/lettings/77/").body();
  EXPECT_NE(address.find("&amp;amp; Entity Lane"), std::string::npos);
  EXPECT_NE(address.find("&amp;lt;City&amp;gt;"), std::string::npos);
}

TEST_F(AdversarialPages, ZeroAndMaximalNumbersAreShown) {
  const auto zero = html_unescape(server->get("/lettings/1/").body());
  EXPECT_NE(zero.find("0 <b>Main</b> \"Street\""), std::string::npos);
  EXPECT_NE(zero.find("Zero, CA 0<"), std::string::npos);
  const auto maximal = html_unescape(server->get("/lettings/2/").body());
  EXPECT_NE(maximal.find("9999 Tab\tStreet\x01 \\ back"), std::string::npos);
  EXPECT_NE(maximal.find("Max, NY 99999"), std::string::npos);
}

TEST_F(AdversarialPages, LongestTitleIsShownWhole) {
  const auto title = text_of(lettings().at(1000), "title");
  ASSERT_GE(title.size(), 256U);
  const auto response = server->get("/lettings/1000/");
  ASSERT_EQ(response.result_int(), 200U);
  EXPECT_NE(response.body().find("<h1 class=\"page-title\">" + title + "</h1>"), std::string::npos);
  const auto index = links_under(server->get("/lettings/").body(), "/lettings/");
  ASSERT_FALSE(index.empty());
  EXPECT_EQ(index.back().text, title);
}

TEST_F(AdversarialPages, LettingsIndexFollowsPrimaryKeyOrderAcrossGaps) {
  const auto links = links_under(server->get("/lettings/").body(), "/lettings/");
  std::vector<std::string> expected;
  std::vector<std::string> expected_titles;
  for (const auto& [id, fields] : lettings()) {
    expected.push_back("/lettings/" + std::to_string(id) + "/");
    expected_titles.push_back(text_of(fields, "title"));
  }
  std::vector<std::string> shown;
  std::vector<std::string> shown_titles;
  for (const auto& link : links) {
    shown.push_back(link.href);
    shown_titles.push_back(html_unescape(link.text));
  }
  EXPECT_EQ(shown, expected);
  EXPECT_EQ(shown_titles, expected_titles);
}

TEST_F(AdversarialPages, IdsInTheGapsAnswer404) {
  const auto present = lettings();
  for (const int id : {2, 3, 4, 6, 8, 10, 76, 78, 999, 1001}) {
    const auto expected = present.contains(id) ? 200U : 404U;
    EXPECT_EQ(server->get("/lettings/" + std::to_string(id) + "/").result_int(), expected) << id;
  }
}

TEST_F(AdversarialPages, ProfilesIndexLinksEveryProfileWithAnAsciiUrl) {
  const auto all_users = users();
  std::vector<std::string> expected;
  for (const auto& [pk, fields] : profiles()) {
    expected.push_back(text_of(all_users.at(fields.at("user").as_int64()), "username"));
  }
  std::vector<std::string> shown;
  for (const auto& link : links_under(server->get("/profiles/").body(), "/profiles/")) {
    EXPECT_TRUE(is_ascii(link.href)) << link.href;
    const auto decoded = percent_decode(html_unescape(link.href));
    EXPECT_EQ(decoded, "/profiles/" + html_unescape(link.text) + "/");
    shown.push_back(html_unescape(link.text));
  }
  EXPECT_EQ(shown, expected);
}

TEST_F(AdversarialPages, EveryProfileIsReachableByItsLinkAndByFullPercentEncoding) {
  const auto all_users = users();
  const auto links = links_under(server->get("/profiles/").body(), "/profiles/");
  std::set<std::string> linked;
  for (const auto& link : links) {
    linked.insert(html_unescape(link.href));
  }
  for (const auto& [pk, fields] : profiles()) {
    const auto username = text_of(all_users.at(fields.at("user").as_int64()), "username");
    SCOPED_TRACE(username);
    const auto target = "/profiles/" + percent_encode_all(username) + "/";
    const auto response = server->get(target);
    ASSERT_EQ(response.result_int(), 200U) << target;
    expect_shown_escaped(response.body(), username);
    EXPECT_EQ(std::ranges::count_if(
                  linked, [&](const std::string& href) { return percent_decode(href) == percent_decode(target); }),
              1);
  }
}

TEST_F(AdversarialPages, EveryProfilePageShowsEveryValueEscaped) {
  const auto all_users = users();
  for (const auto& [pk, fields] : profiles()) {
    const auto& user = all_users.at(fields.at("user").as_int64());
    const auto username = text_of(user, "username");
    SCOPED_TRACE(username);
    const auto response = server->get("/profiles/" + percent_encode_all(username) + "/");
    ASSERT_EQ(response.result_int(), 200U);
    for (const auto* name : {"username", "first_name", "last_name", "email"}) {
      expect_shown_escaped(response.body(), text_of(user, name));
    }
    expect_shown_escaped(response.body(), text_of(fields, "favorite_city"));
  }
}

TEST_F(AdversarialPages, HostileEmailCannotBreakOutOfTheMailtoAttribute) {
  const auto body = server->get("/profiles/a+b@c-d.e/").body();
  EXPECT_EQ(body.find("\"><script>"), std::string::npos);
  EXPECT_NE(body.find("&quot;&gt;&lt;script&gt;alert("), std::string::npos);
}

TEST_F(AdversarialPages, PlusAndAtInUsernamesWorkLiterallyAndEncoded) {
  for (const auto* target : {"/profiles/a+b@c-d.e/", "/profiles/a%2Bb%40c-d.e/", "/profiles/a%2bb%40c-d.e/"}) {
    const auto response = server->get(target);
    EXPECT_EQ(response.result_int(), 200U) << target;
    EXPECT_NE(response.body().find("a+b@c-d.e"), std::string::npos) << target;
  }
}

TEST_F(AdversarialPages, NonAsciiUsernamesAreReachable) {
  for (const std::string username : {"josé.garcía", "名前_user"}) {
    const auto response = server->get("/profiles/" + percent_encode_all(username) + "/");
    ASSERT_EQ(response.result_int(), 200U) << username;
    EXPECT_NE(response.body().find("<h1 class=\"page-title\">" + username + "</h1>"), std::string::npos);
  }
  EXPECT_EQ(server->get("/profiles/" + percent_encode_all("josé.garcia") + "/").result_int(), 404U);
}

TEST_F(AdversarialPages, EmptyFavoriteCityShowsThePlaceholder) {
  const auto response = server->get("/profiles/" + percent_encode_all("josé.garcía") + "/");
  ASSERT_EQ(response.result_int(), 200U);
  const auto body = response.body();
  const auto city = body.find("<dt>Favorite city</dt>");
  ASSERT_NE(city, std::string::npos);
  EXPECT_NE(body.find("<dd><span class=\"text-body-secondary\">—</span></dd>", city), std::string::npos);
}

TEST_F(AdversarialPages, UserWithoutProfileAnswers404) {
  EXPECT_EQ(server->get("/profiles/" + percent_encode_all("_-.+@") + "/").result_int(), 404U);
}

}  // namespace
}  // namespace ocl::integration
