#include <regex>

#include <gtest/gtest.h>

#include "app/application.hpp"
#include "app/tests/test_settings.hpp"
#include "auth/guard.hpp"
#include "auth/passwords.hpp"
#include "db/tests/test_database.hpp"
#include "http/responses.hpp"

namespace ocl::auth {
namespace {

/// The sign-in pages through the whole application, on a copy of the Django database: no socket involved.
class AdminAuthTest : public ::testing::Test {
 protected:
  static config::Settings make_settings(const std::string& database_path) {
    return app::testing::test_settings(database_path);
  }

  http::Response send(http::Method method, std::string_view target, const std::string& body = {}) {
    http::Request request{method, target, 11};
    request.set(http::HeaderField::host, "testserver");
    if (!cookies.empty()) request.set(http::HeaderField::cookie, cookie_header());
    if (method == http::Method::post) {
      request.set(http::HeaderField::content_type, "application/x-www-form-urlencoded");
      request.body() = body;
    }
    auto response = application.handle(request, "127.0.0.1");
    remember_cookies(response);
    return response;
  }

  void remember_cookies(const http::Response& response) {
    const auto [first, last] = response.equal_range(http::HeaderField::set_cookie);
    for (auto field = first; field != last; ++field) {
      const std::string value(field->value());
      const auto equals = value.find('=');
      const auto end = value.find(';');
      cookies[value.substr(0, equals)] = value.substr(equals + 1, end - equals - 1);
    }
  }

  std::string cookie_header() const {
    std::string header;
    for (const auto& [name, value] : cookies) {
      header.append(name).append("=").append(value).append("; ");
    }
    return header;
  }

  static std::string form_token(const std::string& body) {
    std::smatch match;
    const std::regex pattern(R"re(name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})")re");
    return std::regex_search(body, match, pattern) ? match[1].str() : std::string{};
  }

  http::Response log_in(const std::string& username, const std::string& password, const std::string& next = "") {
    const auto token = form_token(send(http::Method::get, "/admin/login/").body());
    return send(http::Method::post, "/admin/login/",
                "csrfmiddlewaretoken=" + token + "&username=" + username + "&password=" + password + "&next=" + next);
  }

  std::int64_t sessions() { return db::testing::count_rows(*connection, "django_session"); }

  db::testing::TempDirectory directory;
  std::string database_path = db::testing::copy_django_database(directory);
  config::Settings settings = make_settings(database_path);
  app::Application application{settings};
  std::unique_ptr<db::SqliteConnection> connection = std::make_unique<db::SqliteConnection>(database_path);
  std::map<std::string, std::string> cookies;
};

TEST_F(AdminAuthTest, LoginPageHasAFormAndTheAdminHeaders) {
  const auto response = send(http::Method::get, "/admin/login/?next=/admin/lettings/");
  EXPECT_EQ(response.result(), http::Status::ok);
  EXPECT_EQ(form_token(response.body()).size(), 64U);
  EXPECT_NE(response.body().find(R"html(name="next" value="/admin/lettings/")html"), std::string::npos);
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_NE(response["Content-Security-Policy"].find("default-src 'self'"), std::string::npos);
  EXPECT_NE(response[http::HeaderField::cache_control].find("private"), std::string::npos);
  EXPECT_EQ(cookies.at("csrftoken").size(), 32U);
}

TEST_F(AdminAuthTest, TheAdminSignsInAndIsRedirectedToNext) {
  const auto before = sessions();
  const auto response = log_in("admin", "Abc1234!", "/admin/lettings/letting/");
  ASSERT_EQ(response.result(), http::Status::found) << response.body();
  EXPECT_EQ(response[http::HeaderField::location], "/admin/lettings/letting/");
  EXPECT_EQ(cookies.at("sessionid").size(), 32U);
  EXPECT_EQ(sessions(), before + 1);
  const auto row = connection->query("SELECT password, last_login FROM auth_user WHERE username = 'admin'");
  EXPECT_TRUE(row.rows.at(0).text(0).starts_with("pbkdf2_sha256$1200000$")) << "re-hashed as Django does";
  EXPECT_TRUE(check_password("Abc1234!", row.rows.at(0).text(0)));
  EXPECT_FALSE(row.rows.at(0).text(1).starts_with("2020-")) << "last_login updated";
  EXPECT_EQ(send(http::Method::get, "/admin/password_change/").result(), http::Status::ok);
}

TEST_F(AdminAuthTest, UnsafeNextFallsBackToTheIndex) {
  for (const auto* next : {"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"}) {
    cookies.clear();
    const auto response = log_in("admin", "Abc1234!", next);
    ASSERT_EQ(response.result(), http::Status::found) << next;
    EXPECT_EQ(response[http::HeaderField::location], "/admin/") << next;
  }
}

TEST_F(AdminAuthTest, WrongPasswordsAndNonStaffUsersStayOut) {
  const auto before = sessions();
  auto response = log_in("admin", "abc1234!");
  EXPECT_EQ(response.result(), http::Status::ok);
  EXPECT_NE(response.body().find("Please enter the correct username and password for a staff account."),
            std::string::npos);
  connection->execute("UPDATE auth_user SET password = ? WHERE username = 'AirWow'",
                      {make_password("Xq7!pLm2#z", "saltsaltsaltsaltsaltsa", 1000)});
  response = log_in("AirWow", "Xq7!pLm2#z");
  EXPECT_EQ(response.result(), http::Status::ok) << "not staff";
  EXPECT_EQ(sessions(), before);
}

TEST_F(AdminAuthTest, GuardRedirectsAnonymousVisitorsToTheLoginPage) {
  const auto response = send(http::Method::get, "/admin/password_change/?x=1");
  EXPECT_EQ(response.result(), http::Status::found);
  EXPECT_EQ(response[http::HeaderField::location], "/admin/login/?next=/admin/password_change/%3Fx%3D1");
}

TEST_F(AdminAuthTest, PostsWithoutAValidTokenAre403AndWriteNothing) {
  send(http::Method::get, "/admin/login/");
  const auto before = sessions();
  EXPECT_EQ(send(http::Method::post, "/admin/login/", "username=admin&password=Abc1234!").result(),
            http::Status::forbidden);
  EXPECT_EQ(send(http::Method::post, "/admin/login/",
                 "csrfmiddlewaretoken=" + std::string(64, 'a') + "&username=admin&password=Abc1234!")
                .result(),
            http::Status::forbidden);
  EXPECT_EQ(sessions(), before);
}

TEST_F(AdminAuthTest, PasswordChangeSignsOutOtherSessionsAndKeepsThisOne) {
  ASSERT_EQ(log_in("admin", "Abc1234!").result(), http::Status::found);
  const auto other_session = cookies.at("sessionid");
  cookies.erase("sessionid");
  ASSERT_EQ(log_in("admin", "Abc1234!").result(), http::Status::found);
  const auto form = send(http::Method::get, "/admin/password_change/");
  const auto token = form_token(form.body());
  auto response = send(http::Method::post, "/admin/password_change/",
                       "csrfmiddlewaretoken=" + token + "&old_password=wrong&new_password1=a&new_password2=b");
  EXPECT_EQ(response.result(), http::Status::ok);
  EXPECT_NE(response.body().find("Your old password was entered incorrectly."), std::string::npos);
  EXPECT_NE(response.body().find("The two password fields didn’t match."), std::string::npos);
  response =
      send(http::Method::post, "/admin/password_change/",
           "csrfmiddlewaretoken=" + token + "&old_password=Abc1234!&new_password1=password&new_password2=password");
  EXPECT_NE(response.body().find("This password is too common."), std::string::npos);
  response = send(http::Method::post, "/admin/password_change/",
                  "csrfmiddlewaretoken=" + token +
                      "&old_password=Abc1234!&new_password1=Harbour-Lights-42&new_password2=Harbour-Lights-42");
  ASSERT_EQ(response.result(), http::Status::found);
  EXPECT_EQ(response[http::HeaderField::location], "/admin/password_change/done/");
  EXPECT_EQ(send(http::Method::get, "/admin/password_change/done/").result(), http::Status::ok);
  cookies["sessionid"] = other_session;
  EXPECT_EQ(send(http::Method::get, "/admin/password_change/").result(), http::Status::found)
      << "the other session was signed out";
}

TEST_F(AdminAuthTest, LogoutIsPostOnlyAndDeletesTheSession) {
  ASSERT_EQ(log_in("admin", "Abc1234!").result(), http::Status::found);
  const auto key = cookies.at("sessionid");
  EXPECT_EQ(send(http::Method::get, "/admin/logout/").result(), http::Status::method_not_allowed);
  const auto token = form_token(send(http::Method::get, "/admin/password_change/").body());
  const auto response = send(http::Method::post, "/admin/logout/", "csrfmiddlewaretoken=" + token);
  EXPECT_EQ(response.result(), http::Status::ok);
  EXPECT_NE(response.body().find("Logged out"), std::string::npos);
  EXPECT_TRUE(connection->query("SELECT 1 FROM django_session WHERE session_key = ?", {key}).empty());
}

TEST_F(AdminAuthTest, RequireStaffGivesTheViewItsUserAndPermissions) {
  ASSERT_EQ(log_in("admin", "Abc1234!").result(), http::Status::found);
  db::testing::TempDirectory other;
  const app::Services services{settings, application.database(), templates::Engine{}, application.router(),
                               http::StaticFiles{std::string(OCL_SOURCE_DIR) + "/static"}};
  CurrentUser seen;
  const auto handler = require_staff(services, [&](http::Context& context, const AdminRequest& admin) {
    seen = admin.user;
    EXPECT_EQ(admin.csrf_token.size(), 64U);
    return http::text_response(context.request, http::Status::ok, "ok");
  });
  http::Request request{http::Method::get, "/admin/anything/", 11};
  request.set(http::HeaderField::host, "testserver");
  request.set(http::HeaderField::cookie, cookie_header());
  http::Context context{request, {"/admin/anything/", "/admin/anything/", {}}, {}, "127.0.0.1"};
  EXPECT_EQ(handler(context).result(), http::Status::ok);
  EXPECT_EQ(seen.username, "admin");
  EXPECT_TRUE(seen.is_superuser);
  EXPECT_TRUE(seen.has_perm("lettings", "change_letting"));
}

}  // namespace
}  // namespace ocl::auth
