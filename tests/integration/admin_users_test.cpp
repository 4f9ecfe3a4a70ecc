/// Users and groups in the admin: adding a user with a password twice, setting a password, changing
/// flags and groups, groups with permissions, and deleting a user with their profile.

#include <string>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "admin_session.hpp"
#include "page_helpers.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

using boost::beast::http::status;

// Recomputes a stored "pbkdf2_sha256$iterations$salt$hash" as Django would when checking `password`.
bool django_would_accept(const std::string& encoded, const std::string& password) {
  const auto first = encoded.find('$');
  const auto second = encoded.find('$', first + 1);
  const auto third = encoded.find('$', second + 1);
  if (encoded.substr(0, first) != "pbkdf2_sha256" || third == std::string::npos) {
    return false;
  }
  const auto iterations = std::stoi(encoded.substr(first + 1, second - first - 1));
  const auto salt = encoded.substr(second + 1, third - second - 1);
  std::array<unsigned char, 32> key{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                    EVP_sha256(), static_cast<int>(key.size()), key.data());
  std::string expected(44, '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(expected.data()), key.data(), static_cast<int>(key.size()));
  return encoded.substr(third + 1) == expected;
}

class AdminUsersTest : public ::testing::Test {
 protected:
  std::string sql(const std::string& query) { return query_text(server.database_url(), query); }
  std::string last_log(const std::string& column) {
    return sql("SELECT " + column + " FROM django_admin_log ORDER BY id DESC LIMIT 1");
  }

  ServerProcess server;
  AdminSession admin{server, "admin", "Abc1234!"};
};

TEST_F(AdminUsersTest, AddUserValidatesUsernameAndPasswords) {
  ASSERT_TRUE(admin.logged_in());
  const auto users = sql("SELECT COUNT(*) FROM auth_user");
  auto body =
      admin.post("/admin/auth/user/add/", {{"username", "bad name!"}, {"password1", "x"}, {"password2", "y"}}).body();
  EXPECT_TRUE(contains(
      body, "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."));
  EXPECT_TRUE(contains(body, "The two password fields didn\u2019t match."));
  body = admin
             .post("/admin/auth/user/add/",
                   {{"username", "AirWow"}, {"password1", "Tide-pool-42"}, {"password2", "Tide-pool-42"}})
             .body();
  EXPECT_TRUE(contains(body, "A user with that username already exists."));
  body =
      admin
          .post("/admin/auth/user/add/", {{"username", "newbie"}, {"password1", "12345678"}, {"password2", "12345678"}})
          .body();
  EXPECT_TRUE(contains(body, "This password is entirely numeric."));
  body =
      admin.post("/admin/auth/user/add/", {{"username", std::string(151, 'u')}, {"password1", ""}, {"password2", ""}})
          .body();
  EXPECT_TRUE(contains(body, "Ensure this value has at most 150 characters (it has 151)."));
  EXPECT_TRUE(contains(body, "This field is required."));
  EXPECT_EQ(sql("SELECT COUNT(*) FROM auth_user"), users);
}

TEST_F(AdminUsersTest, AddChangeSetPasswordAndDeleteAUser) {
  ASSERT_TRUE(admin.logged_in());
  auto response = admin.post("/admin/auth/user/add/", {{"username", "harbour.master"},
                                                       {"password1", "Tide-pool-42"},
                                                       {"password2", "Tide-pool-42"},
                                                       {"_save", "Save"}});
  ASSERT_EQ(response.result(), status::found);
  const auto id = sql("SELECT id FROM auth_user WHERE username = 'harbour.master'");
  EXPECT_EQ(header(response, "Location"), "/admin/auth/user/" + id + "/change/");
  EXPECT_TRUE(django_would_accept(sql("SELECT password FROM auth_user WHERE id = " + id), "Tide-pool-42"));
  EXPECT_EQ(last_log("change_message"), R"([{"added": {}}])");

  response =
      admin.post("/admin/auth/group/add/", {{"name", "Harbour staff"}, {"permissions", "44"}, {"_save", "Save"}});
  ASSERT_EQ(response.result(), status::found);
  const auto group = sql("SELECT id FROM auth_group WHERE name = 'Harbour staff'");
  EXPECT_EQ(sql("SELECT COUNT(*) FROM auth_group_permissions WHERE group_id = " + group), "1");

  response = admin.post("/admin/auth/user/" + id + "/change/", {{"username", "harbour.master"},
                                                                {"first_name", "Hal"},
                                                                {"email", "hal@example.com"},
                                                                {"is_active", "on"},
                                                                {"is_staff", "on"},
                                                                {"groups", group}});
  ASSERT_EQ(response.result(), status::found);
  EXPECT_EQ(last_log("change_message"),
            R"([{"changed": {"fields": ["First name", "Email address", "Staff status", "Groups"]}}])");
  EXPECT_EQ(sql("SELECT is_staff FROM auth_user WHERE id = " + id), "1");

  response =
      admin.post("/admin/auth/user/" + id + "/password/", {{"password1", "Low-tide-77"}, {"password2", "Low-tide-77"}});
  ASSERT_EQ(response.result(), status::found);
  EXPECT_TRUE(django_would_accept(sql("SELECT password FROM auth_user WHERE id = " + id), "Low-tide-77"));
  EXPECT_EQ(last_log("change_message"), R"([{"changed": {"fields": ["password"]}}])");
  AdminSession harbour(server, "harbour.master", "Low-tide-77");
  EXPECT_TRUE(harbour.logged_in());
  EXPECT_EQ(harbour.get("/admin/lettings/letting/").result(), status::ok);

  admin.post("/admin/profiles/profile/add/", {{"user", id}, {"favorite_city", "Dana Point"}});
  const auto confirm = admin.get("/admin/auth/user/" + id + "/delete/").body();
  EXPECT_TRUE(contains(confirm, "<li>Profiles: 1</li>"));
  response = admin.post("/admin/auth/user/" + id + "/delete/", {{"post", "yes"}});
  EXPECT_EQ(response.result(), status::found);
  EXPECT_EQ(sql("SELECT COUNT(*) FROM profiles_profile WHERE user_id = " + id), "0");
  EXPECT_EQ(sql("SELECT COUNT(*) FROM auth_user_groups WHERE user_id = " + id), "0");
  expect_consistent(server.database_url());
}

}  // namespace
}  // namespace ocl::integration
