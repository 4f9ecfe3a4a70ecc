#include "admin/admin_log.hpp"

#include <gtest/gtest.h>

#include "admin/tests/admin_test_support.hpp"

namespace ocl::admin {
namespace {

TEST(ChangeMessageTest, MatchesDjangosJson) {
  EXPECT_EQ(added_message(), R"([{"added": {}}])");
  EXPECT_EQ(changed_message({"Title"}), R"([{"changed": {"fields": ["Title"]}}])");
  EXPECT_EQ(changed_message({"First name", "Last name", "Email address"}),
            R"([{"changed": {"fields": ["First name", "Last name", "Email address"]}}])");
  EXPECT_EQ(changed_message({}), "[]");
  EXPECT_EQ(json_string("caf\xc3\xa9 \"q\" \\ \n \xf0\x9f\x8f\xa0"), R"("caf\u00e9 \"q\" \\ \n \ud83c\udfe0")");
}

TEST(ChangeMessageTest, DescribesEntriesAsDjango) {
  LogEntry entry;
  entry.change_message = R"([{"changed": {"fields": ["First name", "Last name", "Email address"]}}])";
  EXPECT_EQ(describe_change(entry), "Changed First name, Last name and Email address.");
  entry.change_message = R"([{"added": {}}])";
  EXPECT_EQ(describe_change(entry), "Added.");
  entry.change_message = "[]";
  EXPECT_EQ(describe_change(entry), "No fields changed.");
  entry.change_message = "";
  entry.flag = ActionFlag::deletion;
  EXPECT_EQ(describe_change(entry), "Deleted.");
  entry.change_message = "Legacy text";
  EXPECT_EQ(describe_change(entry), "Legacy text");
}

TEST(ChangeMessageTest, UtcNowHasMicroseconds) {
  const auto now = utc_now();
  ASSERT_EQ(now.size(), 26U);
  EXPECT_EQ(now[10], ' ');
  EXPECT_EQ(now[19], '.');
}

class AdminLogTest : public testing::SharedDatabaseTest {};

TEST_F(AdminLogTest, WritesRowsWithTheModelsContentType) {
  const auto& admin = *find_admin("lettings.letting");
  write_log(connection, {1, &admin, 5, std::string(250, 'r'), ActionFlag::change, changed_message({"Title"})});
  const auto row = connection
                       .query(
                           "SELECT object_id, length(object_repr), action_flag, change_message, content_type_id, "
                           "user_id FROM django_admin_log ORDER BY id DESC LIMIT 1")
                       .rows.at(0);
  EXPECT_EQ(row.text(0), "5");
  EXPECT_EQ(row.integer(1), 200);
  EXPECT_EQ(row.integer(2), 2);
  EXPECT_EQ(row.text(3), R"([{"changed": {"fields": ["Title"]}}])");
  EXPECT_EQ(row.integer(4), 11);
  EXPECT_EQ(row.integer(5), 1);
  const auto history = object_history(connection, admin, 5);
  ASSERT_EQ(history.size(), 1U);
  EXPECT_EQ(history.front().username, "admin");
  EXPECT_EQ(describe_change(history.front()), "Changed Title.");
  EXPECT_EQ(recent_actions(connection, 1).front().object_id, "5");
}

TEST_F(AdminLogTest, CreatesAMissingContentType) {
  connection.execute("DELETE FROM auth_permission WHERE content_type_id = 12");
  connection.execute("DELETE FROM django_content_type WHERE id = 12");
  const auto id = content_type_id(connection, "profiles", "profile");
  EXPECT_GT(id, 12);
  EXPECT_EQ(content_type_id(connection, "profiles", "profile"), id);
}

TEST_F(AdminLogTest, ReadsTheSharedDatabasesHistory) {
  const auto history = object_history(connection, *find_admin("auth.user"), 3);
  ASSERT_GE(history.size(), 2U);
  EXPECT_EQ(describe_change(history.at(1)), "Changed First name, Last name and Email address.");
}

}  // namespace
}  // namespace ocl::admin
