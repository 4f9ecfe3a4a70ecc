#include "admin/deletion.hpp"

#include <gtest/gtest.h>

#include "admin/tests/admin_test_support.hpp"

namespace ocl::admin {
namespace {

class DeletionTest : public testing::SharedDatabaseTest {
 protected:
  std::int64_t letting_address(std::int64_t letting) {
    return connection.query("SELECT address_id FROM lettings_letting WHERE id = ?", {letting}).rows.at(0).integer(0);
  }
  void expect_clean() {
    EXPECT_TRUE(connection.query("PRAGMA foreign_key_check").empty());
    EXPECT_EQ(connection.query("PRAGMA integrity_check").rows.at(0).text(0), "ok");
  }
};

TEST_F(DeletionTest, AnAddressTakesItsLetting) {
  const auto address = letting_address(1);
  const auto plan = plan_deletion(connection, *find_admin("lettings.address"), {address}, testing::superuser());
  ASSERT_EQ(plan.objects.size(), 2U);
  EXPECT_EQ(plan.objects[0].depth, 0);
  EXPECT_EQ(plan.objects[1].depth, 1);
  EXPECT_EQ(plan.objects[1].model->model_name, "letting");
  EXPECT_EQ(plan.objects[1].change_url, "/admin/lettings/letting/1/change/");
  EXPECT_EQ(plan.summary, (std::vector<std::pair<std::string, std::int64_t>>{{"Addresses", 1}, {"Lettings", 1}}));
  EXPECT_TRUE(plan.perms_needed.empty());

  const auto addresses = count("lettings_address");
  db::in_transaction(connection, [&] { delete_cascade(connection, *find_admin("lettings.address")->model, address); });
  EXPECT_EQ(count("lettings_address"), addresses - 1);
  EXPECT_TRUE(connection.query("SELECT 1 FROM lettings_letting WHERE id = 1").empty());
  expect_clean();
}

TEST_F(DeletionTest, MissingDeletePermissionOnCascadedModelsIsReported) {
  const auto user = testing::staff_with({"lettings.delete_address", "lettings.view_letting"});
  const auto plan = plan_deletion(connection, *find_admin("lettings.address"), {letting_address(1)}, user);
  EXPECT_EQ(plan.perms_needed, std::vector<std::string>{"letting"});
  EXPECT_EQ(plan.objects[1].change_url, "");
}

TEST_F(DeletionTest, AUserTakesTheirProfileLogEntriesAndMemberships) {
  connection.execute("INSERT INTO auth_group (name) VALUES ('Team')");
  connection.execute("INSERT INTO auth_user_groups (user_id, group_id) VALUES (3, last_insert_rowid())");
  connection.execute("INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (3, 44)");
  const auto plan = plan_deletion(connection, *find_admin("auth.user"), {3}, testing::superuser());
  EXPECT_EQ(plan.objects.front().repr, "AirWow");
  EXPECT_EQ(plan.summary.at(0).first, "Users");
  EXPECT_EQ(plan.summary.at(1), (std::pair<std::string, std::int64_t>{"Profiles", 1}));
  db::in_transaction(connection, [&] { delete_cascade(connection, *find_admin("auth.user")->model, 3); });
  EXPECT_TRUE(connection.query("SELECT 1 FROM profiles_profile WHERE user_id = 3").empty());
  EXPECT_TRUE(connection.query("SELECT 1 FROM auth_user_groups WHERE user_id = 3").empty());
  EXPECT_EQ(count("auth_group"), 1);
  expect_clean();
}

TEST_F(DeletionTest, AGroupLeavesItsMembers) {
  connection.execute("INSERT INTO auth_group (name) VALUES ('Team')");
  const auto group = connection.query("SELECT id FROM auth_group WHERE name = 'Team'").rows.at(0).integer(0);
  connection.execute("INSERT INTO auth_user_groups (user_id, group_id) VALUES (3, ?)", {group});
  connection.execute("INSERT INTO auth_group_permissions (group_id, permission_id) VALUES (?, 44)", {group});
  db::in_transaction(connection, [&] { delete_cascade(connection, *find_admin("auth.group")->model, group); });
  EXPECT_EQ(count("auth_user_groups"), 0);
  EXPECT_EQ(count("auth_group_permissions"), 0);
  EXPECT_EQ(count("auth_user"), 6);
  expect_clean();
}

}  // namespace
}  // namespace ocl::admin
