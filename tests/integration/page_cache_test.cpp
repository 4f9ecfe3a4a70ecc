// The page cache from outside: a write through the admin is seen at once; a write made by another
// process (another instance, loaddata, plain SQL) is seen once PAGE_CACHE_MAX_AGE_MS has passed.

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "admin_session.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

bool shows(const ServerProcess& server, const std::string& target, const std::string& text) {
  return server.get(target).body().find(text) != std::string::npos;
}

TEST(PageCache, AnAdminWriteIsServedAtOnceEvenWithALongMaxAge) {
  const ServerProcess server{{.overrides = {{"PAGE_CACHE_MAX_AGE_MS", "600000"}}}};
  AdminSession admin(server, "admin", "Abc1234!");
  ASSERT_TRUE(admin.logged_in());
  ASSERT_TRUE(shows(server, "/lettings/1/", "Joshua Tree Green Haus"));
  ASSERT_TRUE(shows(server, "/lettings/", "Joshua Tree Green Haus"));  // both now cached
  const auto address = query_text(server.database_url(), "SELECT address_id FROM lettings_letting WHERE id = 1");
  const auto saved = admin.post("/admin/lettings/letting/1/change/",
                                {{"title", "Renamed Through The Admin"}, {"address", address}, {"_save", "Save"}});
  ASSERT_EQ(saved.result_int(), 302U);
  EXPECT_TRUE(shows(server, "/lettings/1/", "Renamed Through The Admin"));
  EXPECT_TRUE(shows(server, "/lettings/", "Renamed Through The Admin"));
}

TEST(PageCache, AWriteFromAnotherProcessIsServedOnceTheMaxAgeHasPassed) {
  constexpr auto max_age = 300ms;
  const ServerProcess server{{.overrides = {{"PAGE_CACHE_MAX_AGE_MS", std::to_string(max_age.count())}}}};
  ASSERT_TRUE(shows(server, "/profiles/AirWow/", "Budapest"));
  query_text(server.database_url(),
             "UPDATE profiles_profile SET favorite_city = 'Lisbon' WHERE id = "
             "(SELECT p.id FROM profiles_profile p JOIN auth_user u ON u.id = p.user_id "
             "WHERE u.username = 'AirWow')");
  std::this_thread::sleep_for(max_age + 50ms);  // the page was cached before the write, so now it is too old
  EXPECT_TRUE(shows(server, "/profiles/AirWow/", "Lisbon"));
}

TEST(PageCache, TurnedOffEveryRequestReadsTheDatabase) {
  const ServerProcess server{{.overrides = {{"PAGE_CACHE_MAX_AGE_MS", "0"}}}};
  ASSERT_TRUE(shows(server, "/profiles/AirWow/", "Budapest"));
  query_text(server.database_url(),
             "UPDATE profiles_profile SET favorite_city = 'Lisbon' WHERE id = "
             "(SELECT p.id FROM profiles_profile p JOIN auth_user u ON u.id = p.user_id "
             "WHERE u.username = 'AirWow')");
  EXPECT_TRUE(shows(server, "/profiles/AirWow/", "Lisbon"));
}

TEST(PageCache, ABadSettingIsAConfigurationError) {
  const TempDir directory;
  auto environment = base_environment(directory.file("db.sqlite3"));
  environment["PAGE_CACHE_MAX_AGE_MS"] = "soon";
  const auto result = run_cli({"serve", "--port", "0"}, environment, directory.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("PAGE_CACHE_MAX_AGE_MS"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ocl::integration
