/// The admin site against the real server on a copy of the shared Django database: change lists,
/// validation, the add/change/delete cycle with its log entries, permissions and database integrity.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "admin_session.hpp"
#include "page_helpers.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

using boost::beast::http::status;

FormFields address_fields(const std::string& number = "12") {
  return {{"number", number},    {"street", "Ocean Drive"},   {"city", "Laguna Beach"}, {"state", "CA"},
          {"zip_code", "92651"}, {"country_iso_code", "USA"}, {"_save", "Save"}};
}

FormFields with(FormFields fields, const std::string& name, const std::string& value) {
  for (auto& [key, old] : fields) {
    if (key == name) {
      old = value;
    }
  }
  return fields;
}

class AdminSiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(admin.logged_in()); }

  std::string count(const std::string& table) {
    return query_text(server->database_url(), "SELECT COUNT(*) FROM " + table);
  }
  std::string last_log(const std::string& column) {
    return query_text(server->database_url(), "SELECT " + column + " FROM django_admin_log ORDER BY id DESC LIMIT 1");
  }
  void expect_clean_database() { expect_consistent(server->database_url()); }

  static ServerProcess* server;
  AdminSession admin{*server, "admin", "Abc1234!"};
};

ServerProcess* AdminSiteTest::server = nullptr;

TEST_F(AdminSiteTest, AnonymousVisitorsAreSentToLogin) {
  const auto response = server->get("/admin/lettings/letting/");
  EXPECT_EQ(response.result(), status::found);
  EXPECT_TRUE(header(response, "Location").starts_with("/admin/login/?next="));
}

TEST_F(AdminSiteTest, IndexListsAppsInDjangosOrder) {
  const auto body = admin.get("/admin/").body();
  const auto auth = body.find("Authentication and Authorization");
  const auto groups = body.find(">Groups<");
  const auto users = body.find(">Users<");
  const auto lettings = body.find(">Lettings</a></caption>");
  const auto addresses = body.find(">Addresses<");
  const auto profiles = body.find(">Profiles</a></caption>");
  ASSERT_NE(profiles, std::string::npos);
  EXPECT_LT(auth, groups);
  EXPECT_LT(groups, users);
  EXPECT_LT(users, lettings);
  EXPECT_LT(lettings, addresses);
  EXPECT_LT(addresses, profiles);
  EXPECT_TRUE(contains(body, "Recent actions"));
  EXPECT_TRUE(contains(body, R"(href="/admin/lettings/letting/add/")"));
}

TEST_F(AdminSiteTest, ASearchOfManyWordsIsAnsweredNotFailed) {
  // One clause per word: past SQLite's expression depth (1,000) such a search used to fail with a 500.
  std::string repeated;
  std::string different;
  for (int word = 0; word < 1500; ++word) {
    repeated += "ab+";
    different += "w" + std::to_string(word) + "+";
  }
  const auto same_word = admin.get("/admin/lettings/letting/?q=" + repeated);
  EXPECT_EQ(same_word.result_int(), 200U) << "a repeated word counts once";
  EXPECT_TRUE(contains(same_word.body(), "0 lettings"));
  EXPECT_EQ(admin.get("/admin/lettings/letting/?q=" + different).result_int(), 400U);
  std::string thirty_two;
  for (int word = 0; word < 32; ++word) {
    thirty_two += "w" + std::to_string(word) + "+";
  }
  EXPECT_EQ(admin.get("/admin/lettings/letting/?q=" + thirty_two).result_int(), 200U);
}

TEST_F(AdminSiteTest, OnlyUsersHaveAPasswordLink) {
  EXPECT_FALSE(contains(admin.get("/admin/lettings/address/1/change/").body(), "/password/"));
  EXPECT_TRUE(contains(admin.get("/admin/auth/user/2/change/").body(), "/admin/auth/user/2/password/"));
}

TEST_F(AdminSiteTest, ChangeListsSearchFilterSortAndRejectBadParameters) {
  EXPECT_TRUE(contains(admin.get("/admin/lettings/letting/").body(), "6 lettings"));
  const auto search = admin.get("/admin/lettings/letting/?q=retreat").body();
  EXPECT_TRUE(contains(search, "2 lettings"));
  EXPECT_TRUE(contains(search, "Oceanview Retreat"));
  EXPECT_FALSE(contains(search, "Silo Studio"));
  EXPECT_TRUE(contains(admin.get("/admin/profiles/profile/?q=airw").body(), "1 profile"));
  EXPECT_TRUE(contains(admin.get("/admin/lettings/address/?q=%25").body(), "0 addresses"));
  const auto staff = admin.get("/admin/auth/user/?is_staff__exact=1").body();
  EXPECT_TRUE(contains(staff, ">admin<"));
  EXPECT_TRUE(contains(staff, ">LGD<"));
  EXPECT_FALSE(contains(staff, ">AirWow<"));
  const auto sorted = admin.get("/admin/auth/user/?o=-1").body();
  EXPECT_LT(sorted.find(">LGD<"), sorted.find(">AirWow<"));
  const auto bad = admin.get("/admin/auth/user/?o=99");
  EXPECT_EQ(bad.result(), status::found);
  EXPECT_EQ(header(bad, "Location"), "/admin/auth/user/?e=1");
  EXPECT_EQ(admin.get("/admin/lettings/letting/?p=2").result(), status::not_found);
}

TEST_F(AdminSiteTest, EveryAddressValidationErrorIsShownAndNothingWritten) {
  const auto before = count("lettings_address");
  const std::vector<std::tuple<std::string, std::string, std::string>> cases{
      {"number", "", "This field is required."},
      {"number", "abc", "Enter a whole number."},
      {"number", "-1", "Ensure this value is greater than or equal to 0."},
      {"number", "10000", "Ensure this value is less than or equal to 9999."},
      {"street", "", "This field is required."},
      {"street", std::string(65, 's'), "Ensure this value has at most 64 characters (it has 65)."},
      {"city", std::string(65, 'c'), "Ensure this value has at most 64 characters (it has 65)."},
      {"state", "C", "Ensure this value has at least 2 characters (it has 1)."},
      {"state", "CAL", "Ensure this value has at most 2 characters (it has 3)."},
      {"zip_code", "100000", "Ensure this value is less than or equal to 99999."},
      {"zip_code", "-5", "Ensure this value is greater than or equal to 0."},
      {"country_iso_code", "US", "Ensure this value has at least 3 characters (it has 2)."},
      {"country_iso_code", "USAA", "Ensure this value has at most 3 characters (it has 4)."},
  };
  for (const auto& [field, value, message] : cases) {
    const auto response = admin.post("/admin/lettings/address/add/", with(address_fields(), field, value));
    EXPECT_EQ(response.result(), status::ok) << field << "=" << value;
    const auto& body = response.body();
    EXPECT_TRUE(contains(body, "Please correct the error below.")) << field << "=" << value;
    EXPECT_TRUE(contains(body, "id=\"id_" + field + "_error\"><li>" + message + "</li>")) << field << "=" << value;
    const auto kept = field == "city" ? R"(value="Ocean Drive")" : R"(value="Laguna Beach")";
    EXPECT_TRUE(contains(body, kept)) << "input kept for " << field;
  }
  EXPECT_EQ(count("lettings_address"), before);
}

TEST_F(AdminSiteTest, LettingAndProfileValidation) {
  const auto lettings = count("lettings_letting");
  auto body = admin.post("/admin/lettings/letting/add/", {{"title", "Twin"}, {"address", "1"}}).body();
  EXPECT_TRUE(contains(body, "<li>Letting with this Address already exists.</li>"));
  EXPECT_TRUE(contains(body, R"(value="Twin")"));
  body = admin.post("/admin/lettings/letting/add/", {{"title", std::string(257, 't')}, {"address", "1"}}).body();
  EXPECT_TRUE(contains(body, "<li>Ensure this value has at most 256 characters (it has 257).</li>"));
  body = admin.post("/admin/lettings/letting/add/", {{"title", "Nowhere"}, {"address", "999"}}).body();
  EXPECT_TRUE(contains(body, "<li>Select a valid choice. That choice is not one of the available choices.</li>"));
  body = admin.post("/admin/lettings/letting/add/", {{"title", ""}, {"address", ""}}).body();
  EXPECT_TRUE(contains(body, "Please correct the errors below."));
  EXPECT_EQ(count("lettings_letting"), lettings);

  const auto profiles = count("profiles_profile");
  body = admin.post("/admin/profiles/profile/add/", {{"user", "3"}, {"favorite_city", "Rome"}}).body();
  EXPECT_TRUE(contains(body, "<li>Profile with this User already exists.</li>"));
  body = admin.post("/admin/profiles/profile/add/", {{"user", "1"}, {"favorite_city", std::string(65, 'r')}}).body();
  EXPECT_TRUE(contains(body, "<li>Ensure this value has at most 64 characters (it has 65).</li>"));
  EXPECT_EQ(count("profiles_profile"), profiles);
}

TEST_F(AdminSiteTest, AddChangeAndDeleteALettingWithItsLogEntries) {
  auto response = admin.post("/admin/lettings/address/add/", with(address_fields("77"), "_save", "Save"));
  ASSERT_EQ(response.result(), status::found);
  const auto address = query_text(server->database_url(), "SELECT MAX(id) FROM lettings_address");
  EXPECT_EQ(last_log("change_message"), R"([{"added": {}}])");
  EXPECT_EQ(last_log("object_repr"), "77 Ocean Drive");

  response =
      admin.post("/admin/lettings/letting/add/", {{"title", "Surf Shack"}, {"address", address}, {"_continue", "1"}});
  ASSERT_EQ(response.result(), status::found);
  const auto letting = query_text(server->database_url(), "SELECT id FROM lettings_letting WHERE title = 'Surf Shack'");
  EXPECT_EQ(header(response, "Location"), "/admin/lettings/letting/" + letting + "/change/");
  const auto change_page = admin.get(header(response, "Location")).body();
  EXPECT_TRUE(contains(change_page, "was added successfully. You may edit it again below."));
  EXPECT_TRUE(contains(change_page, "href=\"/lettings/" + letting + "/\""));
  EXPECT_EQ(last_log("content_type_id"), "11");
  EXPECT_EQ(last_log("action_flag"), "1");

  response = admin.post("/admin/lettings/letting/" + letting + "/change/",
                        {{"title", "Surf Shack Deluxe"}, {"address", address}, {"_save", "Save"}});
  EXPECT_EQ(header(response, "Location"), "/admin/lettings/letting/");
  EXPECT_EQ(last_log("change_message"), R"([{"changed": {"fields": ["Title"]}}])");
  admin.post("/admin/lettings/letting/" + letting + "/change/", {{"title", "Surf Shack Deluxe"}, {"address", address}});
  EXPECT_EQ(last_log("change_message"), "[]");
  EXPECT_TRUE(contains(server->get("/lettings/").body(), "Surf Shack Deluxe"));

  const auto history = admin.get("/admin/lettings/letting/" + letting + "/history/").body();
  EXPECT_TRUE(contains(history, "Added."));
  EXPECT_TRUE(contains(history, "Changed Title."));
  EXPECT_TRUE(contains(history, "No fields changed."));

  const auto confirm = admin.get("/admin/lettings/address/" + address + "/delete/").body();
  EXPECT_TRUE(
      contains(confirm, "Letting: <a href=\"/admin/lettings/letting/" + letting + "/change/\">Surf Shack Deluxe</a>"));
  EXPECT_TRUE(contains(confirm, "<li>Lettings: 1</li>"));
  response = admin.post("/admin/lettings/address/" + address + "/delete/", {{"post", "yes"}});
  EXPECT_EQ(header(response, "Location"), "/admin/lettings/address/");
  EXPECT_EQ(query_text(server->database_url(), "SELECT COUNT(*) FROM lettings_letting WHERE id = " + letting), "0");
  EXPECT_EQ(last_log("action_flag"), "3");
  EXPECT_EQ(last_log("change_message"), "");
  EXPECT_EQ(last_log("object_repr"), "77 Ocean Drive");
  EXPECT_EQ(server->get("/lettings/" + letting + "/").result(), status::not_found);
  expect_clean_database();
}

TEST_F(AdminSiteTest, DeleteSelectedAsksThenDeletes) {
  admin.post("/admin/lettings/address/add/", address_fields("1"));
  const auto first = query_text(server->database_url(), "SELECT MAX(id) FROM lettings_address");
  admin.post("/admin/lettings/address/add/", address_fields("2"));
  const auto second = query_text(server->database_url(), "SELECT MAX(id) FROM lettings_address");
  const FormFields selection{{"action", "delete_selected"}, {"_selected_action", first}, {"_selected_action", second}};
  const auto confirm = admin.post("/admin/lettings/address/", selection);
  EXPECT_EQ(confirm.result(), status::ok);
  EXPECT_TRUE(contains(confirm.body(), "<li>Addresses: 2</li>"));
  EXPECT_EQ(query_text(server->database_url(),
                       "SELECT COUNT(*) FROM lettings_address WHERE id IN (" + first + "," + second + ")"),
            "2");
  auto confirmed = selection;
  confirmed.emplace_back("post", "yes");
  const auto done = admin.post("/admin/lettings/address/", confirmed);
  EXPECT_EQ(done.result(), status::found);
  EXPECT_EQ(query_text(server->database_url(),
                       "SELECT COUNT(*) FROM lettings_address WHERE id IN (" + first + "," + second + ")"),
            "0");
  EXPECT_TRUE(contains(admin.get("/admin/lettings/address/").body(), "Successfully deleted 2 addresses."));
  expect_clean_database();
}

TEST_F(AdminSiteTest, PostsWithoutTheCsrfTokenAreRefused) {
  const auto before = count("lettings_address");
  const auto response = admin.post("/admin/lettings/address/add/", address_fields(), false);
  EXPECT_EQ(response.result(), status::forbidden);
  EXPECT_EQ(count("lettings_address"), before);
}

TEST_F(AdminSiteTest, ViewOnlyStaffSeesLettingsReadOnlyAndNothingElse) {
  create_staff_user(server->database_url(), "viewer", "Viewer-pass-2024", {"view_letting"});
  AdminSession viewer(*server, "viewer", "Viewer-pass-2024");
  ASSERT_TRUE(viewer.logged_in());
  const auto index = viewer.get("/admin/").body();
  EXPECT_TRUE(contains(index, R"(href="/admin/lettings/letting/")"));
  EXPECT_FALSE(contains(index, "/admin/lettings/letting/add/"));
  EXPECT_FALSE(contains(index, "/admin/lettings/address/"));
  EXPECT_FALSE(contains(index, "/admin/auth/"));

  const auto list = viewer.get("/admin/lettings/letting/").body();
  EXPECT_TRUE(contains(list, "Select letting to view"));
  EXPECT_FALSE(contains(list, "_selected_action"));
  const auto change = viewer.get("/admin/lettings/letting/1/change/");
  EXPECT_EQ(change.result(), status::ok);
  EXPECT_TRUE(contains(change.body(), "View letting"));
  EXPECT_FALSE(contains(change.body(), "name=\"_save\""));
  EXPECT_EQ(viewer.get("/admin/lettings/letting/1/history/").result(), status::ok);

  const auto title = query_text(server->database_url(), "SELECT title FROM lettings_letting WHERE id = 1");
  EXPECT_EQ(viewer.post("/admin/lettings/letting/1/change/", {{"title", "Hijacked"}, {"address", "1"}}).result(),
            status::forbidden);
  EXPECT_EQ(query_text(server->database_url(), "SELECT title FROM lettings_letting WHERE id = 1"), title);
  EXPECT_EQ(viewer.get("/admin/lettings/letting/add/").result(), status::forbidden);
  EXPECT_EQ(viewer.get("/admin/lettings/letting/1/delete/").result(), status::forbidden);
  EXPECT_EQ(
      viewer.post("/admin/lettings/letting/", {{"action", "delete_selected"}, {"_selected_action", "1"}}).result(),
      status::forbidden);
  EXPECT_EQ(viewer.get("/admin/lettings/address/").result(), status::forbidden);
  EXPECT_EQ(viewer.get("/admin/auth/user/").result(), status::forbidden);
  EXPECT_EQ(viewer.get("/admin/profiles/profile/1/change/").result(), status::forbidden);
}

}  // namespace
}  // namespace ocl::integration
