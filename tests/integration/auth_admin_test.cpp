// The admin's sign-in against the real server on a copy of the shared Django database.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "admin_session.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

namespace http = boost::beast::http;

/// A client that keeps cookies, as a browser does for one site.
class Browser {
 public:
  explicit Browser(const ServerProcess& server) : server_(server) {}

  HttpResponse get(const std::string& target) { return send("GET", target, {}); }

  HttpResponse post(const std::string& target, const std::string& body, HeaderList headers = {}) {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return send("POST", target, body, std::move(headers));
  }

  /// The masked CSRF token of the form on `target`.
  std::string form_token(const std::string& target) {
    std::smatch match;
    const auto body = get(target).body();
    static const std::regex pattern(R"re(name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})")re");
    return std::regex_search(body, match, pattern) ? match[1].str() : std::string{};
  }

  HttpResponse log_in(const std::string& username, const std::string& password) {
    const auto token = form_token("/admin/login/");
    return send(
        "POST", "/admin/login/",
        "csrfmiddlewaretoken=" + token + "&username=" + username + "&password=" + percent_encode(password) + "&next=",
        {{"Content-Type", "application/x-www-form-urlencoded"}}, sign_in_timeout);
  }

  std::map<std::string, std::string>& cookies() { return cookies_; }

  static std::string percent_encode(std::string_view text) {
    std::string encoded;
    for (const char c : text) {
      if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
        encoded += c;
      } else {
        char buffer[4];
        std::snprintf(buffer, sizeof buffer, "%%%02X", static_cast<unsigned char>(c));
        encoded += buffer;
      }
    }
    return encoded;
  }

 private:
  HttpResponse send(std::string_view method, const std::string& target, const std::string& body,
                    HeaderList headers = {}, std::chrono::milliseconds timeout = 30s) {
    std::string cookie;
    for (const auto& [name, value] : cookies_) cookie += name + "=" + value + "; ";
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    auto response = server_.request(method, target, headers, body, timeout);
    const auto [first, last] = response.equal_range(http::field::set_cookie);
    for (auto field = first; field != last; ++field) {
      const std::string value(field->value());
      const auto equals = value.find('=');
      cookies_[value.substr(0, equals)] = value.substr(equals + 1, value.find(';') - equals - 1);
    }
    return response;
  }

  const ServerProcess& server_;
  std::map<std::string, std::string> cookies_;
};

std::int64_t count(const std::string& database_url, const std::string& sql, const std::string& key = {}) {
  const auto database = open_test_database(database_url);
  const auto connection = database->lease();
  const auto result = key.empty() ? connection->query(sql) : connection->query(sql, {key});
  return result.rows.at(0).integer(0);
}

std::string admin_password_hash(const std::string& database_url, const std::string& username) {
  return open_test_database(database_url)
      ->lease()
      ->query("SELECT password FROM auth_user WHERE username = ?", {username})
      .rows.at(0)
      .text(0);
}

/// Recomputes a pbkdf2_sha256 hash with OpenSSL, as Django would to verify it.
bool verifies_with_openssl(const std::string& encoded, const std::string& password) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = encoded.find('$', start)) != std::string::npos; start = end + 1) {
    parts.push_back(encoded.substr(start, end - start));
  }
  parts.push_back(encoded.substr(start));
  if (parts.size() != 4 || parts[0] != "pbkdf2_sha256") return false;
  unsigned char key[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(parts[2].data()), static_cast<int>(parts[2].size()),
                    std::stoi(parts[1]), EVP_sha256(), sizeof key, key);
  unsigned char text[64] = {};
  const int length = EVP_EncodeBlock(text, key, sizeof key);
  return parts[3] == std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(length));
}

std::string set_cookie_for(const HttpResponse& response, std::string_view name) {
  const auto [first, last] = response.equal_range(http::field::set_cookie);
  for (auto field = first; field != last; ++field) {
    if (std::string_view(field->value()).starts_with(std::string(name) + "=")) return std::string(field->value());
  }
  return {};
}

TEST(AuthAdminTest, AdminLogsInWithASecureSessionCookieAndASessionRow) {
  ServerProcess server;
  Browser browser(server);
  const auto before = count(server.database_url(), "SELECT COUNT(*) FROM django_session");
  const auto response = browser.log_in("admin", "Abc1234!");
  ASSERT_EQ(response.result(), http::status::found) << response.body();
  EXPECT_EQ(header(response, http::field::location), "/admin/");
  const auto cookie = set_cookie_for(response, "sessionid");
  for (const auto* attribute : {"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=1209600", "Secure"}) {
    EXPECT_NE(cookie.find(attribute), std::string::npos) << cookie;
  }
  const auto key = browser.cookies().at("sessionid");
  EXPECT_EQ(count(server.database_url(), "SELECT COUNT(*) FROM django_session WHERE session_key = ?", key), 1);
  EXPECT_EQ(count(server.database_url(), "SELECT COUNT(*) FROM django_session"), before + 1);
  EXPECT_EQ(browser.get("/admin/password_change/").result(), http::status::ok);
}

TEST(AuthAdminTest, WrongPasswordDoesNotLogIn) {
  ServerProcess server;
  Browser browser(server);
  const auto response = browser.log_in("admin", "Abc1234?");
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_NE(response.body().find("Please enter the correct username and password for a staff account."),
            std::string::npos);
  EXPECT_FALSE(browser.cookies().contains("sessionid"));
  EXPECT_EQ(browser.get("/admin/password_change/").result(), http::status::found);
}

TEST(AuthAdminTest, MissingOrWrongCsrfTokenIs403AndWritesNothing) {
  ServerProcess server;
  Browser browser(server);
  const auto token = browser.form_token("/admin/login/");
  const auto sessions = count(server.database_url(), "SELECT COUNT(*) FROM django_session");
  const auto hash = admin_password_hash(server.database_url(), "admin");
  const std::string credentials = "&username=admin&password=Abc1234%21";
  EXPECT_EQ(browser.post("/admin/login/", "x=1" + credentials).result(), http::status::forbidden);
  EXPECT_EQ(browser.post("/admin/login/", "csrfmiddlewaretoken=" + std::string(64, 'Z') + credentials).result(),
            http::status::forbidden);
  EXPECT_EQ(
      browser
          .post("/admin/login/", "csrfmiddlewaretoken=" + token + credentials, {{"Origin", "https://attacker.example"}})
          .result(),
      http::status::forbidden);
  browser.cookies().erase("csrftoken");
  const auto no_cookie = browser.post("/admin/login/", "csrfmiddlewaretoken=" + token + credentials);
  EXPECT_EQ(no_cookie.result(), http::status::forbidden);
  EXPECT_NE(no_cookie.body().find("Forbidden"), std::string::npos);
  EXPECT_EQ(count(server.database_url(), "SELECT COUNT(*) FROM django_session"), sessions);
  EXPECT_EQ(admin_password_hash(server.database_url(), "admin"), hash) << "no re-hash, no last_login";
}

TEST(AuthAdminTest, FiveFailuresLockThePairAndAreLogged) {
  ServerProcess server;
  Browser browser(server);
  for (int attempt = 0; attempt < 5; ++attempt) {
    EXPECT_EQ(browser.log_in("admin", "wrong-" + std::to_string(attempt)).result(), http::status::ok);
  }
  const auto refused = browser.log_in("admin", "Abc1234!");
  EXPECT_EQ(refused.result(), http::status::too_many_requests);
  EXPECT_NE(refused.body().find("Too many failed login attempts. Please try again in 15 minutes."), std::string::npos);
  EXPECT_FALSE(browser.cookies().contains("sessionid"));
  EXPECT_TRUE(server.wait_for_stderr(
      "sign-in locked for 15 minutes after repeated failures: username='admin' client=127.0.0.1"));
}

TEST(AuthAdminTest, SessionStillValidAfterARestart) {
  ServerProcess first;
  Browser browser(first);
  ASSERT_EQ(browser.log_in("admin", "Abc1234!").result(), http::status::found);
  const auto cookies = browser.cookies();
  ASSERT_EQ(first.terminate(), 0);

  ServerProcess second({.overrides = {{"DATABASE_URL", first.database_url()}}});
  Browser returning(second);
  returning.cookies() = cookies;
  EXPECT_EQ(returning.get("/admin/password_change/").result(), http::status::ok);
}

TEST(AuthAdminTest, LogoutDeletesTheSessionRow) {
  ServerProcess server;
  Browser browser(server);
  ASSERT_EQ(browser.log_in("admin", "Abc1234!").result(), http::status::found);
  const auto key = browser.cookies().at("sessionid");
  const auto token = browser.form_token("/admin/password_change/");
  const auto response = browser.post("/admin/logout/", "csrfmiddlewaretoken=" + token);
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_NE(response.body().find("Logged out"), std::string::npos);
  EXPECT_EQ(count(server.database_url(), "SELECT COUNT(*) FROM django_session WHERE session_key = ?", key), 0);
  EXPECT_EQ(browser.get("/admin/password_change/").result(), http::status::found);
}

TEST(AuthAdminTest, PasswordsSetByTheServerVerifyWithPlainOpenSsl) {
  ServerProcess server;
  Browser browser(server);
  ASSERT_EQ(browser.log_in("admin", "Abc1234!").result(), http::status::found);
  const auto upgraded = admin_password_hash(server.database_url(), "admin");
  EXPECT_TRUE(upgraded.starts_with("pbkdf2_sha256$1200000$")) << upgraded;
  EXPECT_TRUE(verifies_with_openssl(upgraded, "Abc1234!"));

  const auto token = browser.form_token("/admin/password_change/");
  const auto changed = browser.post("/admin/password_change/", "csrfmiddlewaretoken=" + token +
                                                                   "&old_password=Abc1234%21"
                                                                   "&new_password1=Harbour-Lights-42"
                                                                   "&new_password2=Harbour-Lights-42");
  ASSERT_EQ(changed.result(), http::status::found) << changed.body();
  EXPECT_TRUE(verifies_with_openssl(admin_password_hash(server.database_url(), "admin"), "Harbour-Lights-42"));
  EXPECT_EQ(browser.get("/admin/password_change/done/").result(), http::status::ok);

  auto environment = server.environment();
  environment["DJANGO_SUPERUSER_PASSWORD"] = "Tide-Pool-2031";
  const auto created = run_cli({"createsuperuser", "--noinput", "--username", "operator", "--email", "op@example.com"},
                               environment, server.directory());
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(verifies_with_openssl(admin_password_hash(server.database_url(), "operator"), "Tide-Pool-2031"));
  Browser operator_browser(server);
  EXPECT_EQ(operator_browser.log_in("operator", "Tide-Pool-2031").result(), http::status::found);
}

TEST(AuthAdminTest, CliRefusesWeakPasswordsAndClearsExpiredSessions) {
  ServerProcess server;
  auto environment = server.environment();
  environment["DJANGO_SUPERUSER_PASSWORD"] = "12345678";
  const auto weak = run_cli({"createsuperuser", "--noinput", "--username", "weak", "--email", "w@example.com"},
                            environment, server.directory());
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_NE(weak.err.find("This password is entirely numeric."), std::string::npos) << weak.err;
  const auto usage = run_cli({"createsuperuser", "--noinput"}, environment, server.directory());
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("You must use --username with --noinput."), std::string::npos) << usage.err;

  Browser browser(server);
  ASSERT_EQ(browser.log_in("admin", "Abc1234!").result(), http::status::found);
  const auto cleared = run_cli({"clearsessions"}, server.environment(), server.directory());
  EXPECT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_EQ(count(server.database_url(), "SELECT COUNT(*) FROM django_session"), 1) << "only the live session is left";
}

TEST(AuthAdminTest, TwentyConcurrentLoginsDoNotStallPublicPages) {
  ServerProcess server;
  std::atomic<bool> done{false};
  std::atomic<int> signed_in{0};
  std::atomic<int> busy_answers{0};
  std::vector<std::thread> clients;
  for (int client = 0; client < 20; ++client) {
    clients.emplace_back([&] {
      Browser browser(server);
      const auto deadline = std::chrono::steady_clock::now() + 90s;
      while (std::chrono::steady_clock::now() < deadline) {
        http::status status{};
        try {
          status = browser.log_in("admin", "Abc1234!").result();
        } catch (const std::exception& error) {
          ADD_FAILURE() << "signing in: " << error.what();
          return;
        }
        if (status == http::status::found) {
          ++signed_in;
          return;
        }
        if (status != http::status::service_unavailable) {
          ADD_FAILURE() << "signing in answered " << static_cast<int>(status);
          return;
        }
        ++busy_answers;  // the server asked to come back: a person would press the button again
        std::this_thread::sleep_for(500ms);
      }
    });
  }
  std::vector<double> latencies;
  std::thread watcher([&] {
    while (!done) {
      const auto started = std::chrono::steady_clock::now();
      try {
        EXPECT_EQ(server.get("/lettings/").result(), http::status::ok);
      } catch (const std::exception& error) {
        ADD_FAILURE() << "/lettings/ during the sign-ins: " << error.what();
      }
      latencies.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      std::this_thread::sleep_for(20ms);
    }
  });
  for (auto& client : clients) client.join();
  done = true;
  watcher.join();

  ASSERT_FALSE(latencies.empty());
  std::ranges::sort(latencies);
  const auto p99 = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
  const auto p50 = latencies[latencies.size() / 2];
  std::printf(
      "[ /lettings/ during 20 concurrent logins ] samples=%zu p50=%.1f ms p99=%.1f ms max=%.1f ms; "
      "logins ok=%d, busy answers retried=%d\n",
      latencies.size(), p50 * 1000, p99 * 1000, latencies.back() * 1000, signed_in.load(), busy_answers.load());
  EXPECT_EQ(signed_in.load(), 20) << server.stderr_text();
  EXPECT_LT(p99, 2.0);
}

}  // namespace
}  // namespace ocl::integration
