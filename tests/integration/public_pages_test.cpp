/// The public pages, value by value, on the Django database copy and on a fresh database loaded from the demo fixture.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "page_helpers.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

struct ExpectedLetting {
  int id;
  std::string title;
  std::string number;
  std::string street;
  std::string city;
  std::string state;
  std::string zip_code;
  std::string country;
};

struct ExpectedProfile {
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string favorite_city;
};

// What the Django site showed for its database, in primary-key order.
const std::vector<ExpectedLetting> lettings{
    {1, "Joshua Tree Green Haus /w Hot Tub", "7217", "Bedford Street", "Brunswick", "GA", "31525", "USA"},
    {2, "Oceanview Retreat", "4", "Military Street", "Willoughby", "OH", "44094", "USA"},
    {3, "'Silo Studio' Cottage", "340", "Wintergreen Avenue", "Newport News", "VA", "23601", "USA"},
    {4, "Pirates of the Caribbean Getaway", "9230", "E. Joy Ridge Street", "Marquette", "MI", "49855", "USA"},
    {5, "The Mushroom Dome Retreat & LAND of Paradise Suite", "9606", "Harvard Street", "Aliquippa", "PA", "15001",
     "USA"},
    {6, "Underground Hygge", "588", "Argyle Avenue", "East Meadow", "NY", "11554", "USA"},
};

const std::vector<ExpectedProfile> profiles{
    {"HeadlinesGazer", "Jamie", "Lal", "jssssss33@acee9.live", "Buenos Aires"},
    {"DavWin", "Cassandra", "Grahm", "5houssam.kessaiso@facpidif.ml", "Barcelona"},
    {"AirWow", "Ada", "Paul", "flocation.vam4@glendenningflowerdesign.com", "Budapest"},
    {"4meRomance", "John", "Rodriguez", "coemperor@famemma.net", "Berlin"},
};

struct SharedDatabaseCopy {
  static constexpr Seed seed = Seed::shared_copy;
};
struct FreshDemoDatabase {
  static constexpr Seed seed = Seed::demo;
};

template <typename Source>
class PublicPages : public testing::Test {
 protected:
  static void SetUpTestSuite() { server = std::make_unique<ServerProcess>(ServerConfig{.seed = Source::seed}); }
  static void TearDownTestSuite() { server.reset(); }

  /// GET that must answer 200 with an HTML page; returns the body as the browser would read its text.
  static std::string page_text(const std::string& target) {
    const auto response = server->get(target);
    EXPECT_EQ(response.result_int(), 200U) << target;
    EXPECT_EQ(header(response, boost::beast::http::field::content_type), "text/html; charset=utf-8") << target;
    return html_unescape(response.body());
  }

  static inline std::unique_ptr<ServerProcess> server;
};

using Sources = testing::Types<SharedDatabaseCopy, FreshDemoDatabase>;
TYPED_TEST_SUITE(PublicPages, Sources);

TYPED_TEST(PublicPages, HomePageWelcomesAndLinksBothSections) {
  const auto response = this->server->get("/");
  ASSERT_EQ(response.result_int(), 200U);
  EXPECT_NE(response.body().find("Welcome to the new Holiday Homes"), std::string::npos);
  EXPECT_NE(response.body().find("href=\"/lettings/\""), std::string::npos);
  EXPECT_NE(response.body().find("href=\"/profiles/\""), std::string::npos);
}

TYPED_TEST(PublicPages, LettingsIndexListsEveryTitleInOrderWithItsLink) {
  const auto response = this->server->get("/lettings/");
  ASSERT_EQ(response.result_int(), 200U);
  const auto links = links_under(response.body(), "/lettings/");
  ASSERT_EQ(links.size(), lettings.size());
  for (std::size_t index = 0; index < lettings.size(); ++index) {
    EXPECT_EQ(links[index].href, "/lettings/" + std::to_string(lettings[index].id) + "/");
    EXPECT_EQ(html_unescape(links[index].text), lettings[index].title);
  }
}

TYPED_TEST(PublicPages, EveryLettingPageShowsItsTitleAndFullAddress) {
  for (const auto& letting : lettings) {
    SCOPED_TRACE(letting.title);
    const auto text = this->page_text("/lettings/" + std::to_string(letting.id) + "/");
    for (const auto& value : {letting.title, letting.number + " " + letting.street, letting.city, letting.state,
                              letting.zip_code, letting.country}) {
      EXPECT_NE(text.find(value), std::string::npos) << "missing " << value;
    }
  }
}

TYPED_TEST(PublicPages, FirstLettingShowsTheDjangoSiteValues) {
  const auto text = this->page_text("/lettings/1/");
  EXPECT_NE(text.find("<h1 class=\"page-title\">Joshua Tree Green Haus /w Hot Tub</h1>"), std::string::npos);
  EXPECT_NE(text.find("7217 Bedford Street"), std::string::npos);
  EXPECT_NE(text.find("Brunswick, GA 31525"), std::string::npos);
  EXPECT_NE(text.find(">USA<"), std::string::npos);
}

TYPED_TEST(PublicPages, ProfilesIndexListsUsernamesInProfileOrderWithTheirLinks) {
  const auto response = this->server->get("/profiles/");
  ASSERT_EQ(response.result_int(), 200U);
  const auto links = links_under(response.body(), "/profiles/");
  ASSERT_EQ(links.size(), profiles.size());
  for (std::size_t index = 0; index < profiles.size(); ++index) {
    EXPECT_EQ(links[index].href, "/profiles/" + profiles[index].username + "/");
    EXPECT_EQ(html_unescape(links[index].text), profiles[index].username);
  }
}

TYPED_TEST(PublicPages, EveryProfilePageShowsTheUserDetails) {
  for (const auto& profile : profiles) {
    SCOPED_TRACE(profile.username);
    const auto text = this->page_text("/profiles/" + profile.username + "/");
    for (const auto& value :
         {profile.username, profile.first_name, profile.last_name, profile.email, profile.favorite_city}) {
      EXPECT_NE(text.find(value), std::string::npos) << "missing " << value;
    }
    EXPECT_NE(text.find("href=\"mailto:" + profile.email + "\""), std::string::npos);
  }
}

TYPED_TEST(PublicPages, AirWowProfileShowsAdaPaulFromBudapest) {
  const auto text = this->page_text("/profiles/AirWow/");
  EXPECT_NE(text.find("<h1 class=\"page-title\">AirWow</h1>"), std::string::npos);
  EXPECT_NE(text.find("<dd>Ada</dd>"), std::string::npos);
  EXPECT_NE(text.find("<dd>Paul</dd>"), std::string::npos);
  EXPECT_NE(text.find("flocation.vam4@glendenningflowerdesign.com"), std::string::npos);
  EXPECT_NE(text.find("Budapest"), std::string::npos);
}

TYPED_TEST(PublicPages, UsersWithoutProfileAndMissingLettingsAnswer404) {
  EXPECT_EQ(this->server->get("/profiles/admin/").result_int(), 404U);  // a user, but no profile
  EXPECT_EQ(this->server->get("/lettings/7/").result_int(), 404U);
  EXPECT_EQ(this->server->get("/profiles/airwow/").result_int(), 404U);  // usernames are case-sensitive
}

TYPED_TEST(PublicPages, ReadinessReportsTheMigratedDatabase) {
  const auto response = this->server->get("/readyz");
  EXPECT_EQ(response.result_int(), 200U);
  EXPECT_EQ(this->server->get("/healthz").result_int(), 200U);
}

}  // namespace
}  // namespace ocl::integration
