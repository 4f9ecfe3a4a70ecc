#include "app/database_faults.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "app/application.hpp"
#include "app/tests/test_settings.hpp"
#include "db/tests/test_database.hpp"
#include "http/errors.hpp"
#include "http/middleware.hpp"
#include "http/responses.hpp"

namespace ocl::app {
namespace {

/// Sends everything logged through the default logger to a string while it lives.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_));
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  [[nodiscard]] std::string text() const { return lines_.str(); }

 private:
  std::ostringstream lines_;
  std::shared_ptr<spdlog::logger> previous_;
};

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::ranges::count(text, '\n'));
}

class DatabaseFaultsMiddlewareTest : public ::testing::Test {
 protected:
  http::Response run(http::Handler endpoint) {
    auto render = [](const http::Context& c, http::Status status, const std::string&) {
      return http::text_response(c.request, status, "page");
    };
    auto report = [this](const http::Context&, const std::exception_ptr&) {
      ++reported;
      return std::string{};
    };
    const auto pipeline =
        http::build_pipeline({http::error_pages(render, report), database_faults(7)}, std::move(endpoint));
    return pipeline(context);
  }

  http::Request request{http::Method::post, "/admin/lettings/address/add/", 11};
  http::Context context{
      request, http::Target{"/admin/lettings/address/add/", "/admin/lettings/address/add/", ""}, {}, "127.0.0.1"};
  int reported = 0;
};

TEST_F(DatabaseFaultsMiddlewareTest, AnUnavailableDatabaseIsA503WithRetryAfterAndOneLogLine) {
  const LogCapture log;
  const auto response = run([](http::Context&) -> http::Response {
    throw db::UnavailableError("statement failed: database or disk is full", "SQLITE_FULL");
  });
  EXPECT_EQ(response.result(), http::Status::service_unavailable);
  EXPECT_EQ(response[http::HeaderField::retry_after], "7");
  EXPECT_EQ(reported, 0);
  EXPECT_EQ(log.text(),
            "error Service Unavailable: POST /admin/lettings/address/add/: database unavailable (SQLITE_FULL): "
            "statement failed: database or disk is full\n");
}

TEST_F(DatabaseFaultsMiddlewareTest, ConstraintAndOtherDatabaseErrorsAreNotUnavailability) {
  const LogCapture log;
  EXPECT_EQ(run([](http::Context&) -> http::Response { throw db::ConstraintError("UNIQUE"); }).result(),
            http::Status::internal_server_error);
  EXPECT_EQ(run([](http::Context&) -> http::Response { throw db::DatabaseError("corrupt"); }).result(),
            http::Status::internal_server_error);
  EXPECT_EQ(reported, 2);
  EXPECT_EQ(log.text(), "");
}

/// The whole application on a copy of the Django database whose connections the test can break.
class ApplicationDatabaseFaultsTest : public ::testing::Test {
 protected:
  /// One connection at most, so a retired connection is visibly replaced by the next request.
  std::unique_ptr<db::Database> faulty_database() {
    auto factory = [this]() -> std::unique_ptr<db::Connection> {
      if (cannot_open) {
        throw db::UnavailableError("cannot open SQLite database: unable to open database file", "SQLITE_CANTOPEN");
      }
      auto connection = std::make_unique<db::SqliteConnection>(database_path);
      if (writes_refused) {
        connection->execute_script("PRAGMA query_only = ON;");
      }
      return connection;
    };
    return std::make_unique<db::Database>(settings.database, factory, 1);
  }

  http::Response send(http::Method method, std::string_view target, const std::string& body = {}) {
    http::Request request{method, target, 11};
    request.set(http::HeaderField::host, "testserver");
    if (!cookie.empty()) request.set(http::HeaderField::cookie, cookie);
    if (method == http::Method::post) {
      request.set(http::HeaderField::content_type, "application/x-www-form-urlencoded");
      request.body() = body;
    }
    return application.handle(request, "127.0.0.1");
  }

  /// Posts the sign-in form with a valid CSRF token.
  http::Response log_in() {
    const auto page = send(http::Method::get, "/admin/login/");
    const auto set_cookie = std::string(page[http::HeaderField::set_cookie]);
    cookie = set_cookie.substr(0, set_cookie.find(';'));
    const std::string marker = R"(name="csrfmiddlewaretoken" value=")";
    const auto start = page.body().find(marker) + marker.size();
    const auto token = page.body().substr(start, page.body().find('"', start) - start);
    return send(http::Method::post, "/admin/login/",
                "csrfmiddlewaretoken=" + token + "&username=admin&password=Abc1234!&next=/admin/");
  }

  db::testing::TempDirectory directory;
  std::string database_path = db::testing::copy_django_database(directory);
  config::Settings settings = testing::test_settings(database_path);
  std::atomic<bool> cannot_open = false;
  std::atomic<bool> writes_refused = false;
  Application application{settings, faulty_database()};
  std::string cookie;
};

TEST_F(ApplicationDatabaseFaultsTest, AnUnopenableDatabaseGetsTheServiceUnavailablePage) {
  const LogCapture log;
  cannot_open = true;
  const auto response = send(http::Method::get, "/lettings/");
  EXPECT_EQ(response.result(), http::Status::service_unavailable);
  EXPECT_EQ(response[http::HeaderField::retry_after], std::to_string(database_retry_after_seconds));
  EXPECT_EQ(response[http::HeaderField::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(response[http::HeaderField::cache_control], "no-store");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_NE(response.body().find("Service unavailable"), std::string::npos);
  EXPECT_NE(response.body().find("/static/css/site.css"), std::string::npos);
  EXPECT_EQ(response.body().find("unable to open"), std::string::npos);
  EXPECT_EQ(send(http::Method::get, "/healthz").result(), http::Status::ok);
  EXPECT_EQ(send(http::Method::get, "/readyz").result(), http::Status::service_unavailable);
  EXPECT_NE(log.text().find("Service Unavailable: GET /lettings/: database unavailable (SQLITE_CANTOPEN)"),
            std::string::npos);

  cannot_open = false;  // fixed: served again without a restart
  EXPECT_EQ(send(http::Method::get, "/lettings/").result(), http::Status::ok);
  EXPECT_EQ(send(http::Method::get, "/readyz").result(), http::Status::ok);
}

TEST_F(ApplicationDatabaseFaultsTest, ARefusedSessionWriteIs503WhileReadsStillWork) {
  writes_refused = true;
  EXPECT_EQ(send(http::Method::get, "/lettings/1/").result(), http::Status::ok);
  {
    const LogCapture log;
    const auto response = log_in();
    EXPECT_EQ(response.result(), http::Status::service_unavailable);
    EXPECT_EQ(response[http::HeaderField::retry_after], std::to_string(database_retry_after_seconds));
    EXPECT_EQ(line_count(log.text()), 1U) << log.text();
    EXPECT_NE(log.text().find("Service Unavailable: POST /admin/login/: database unavailable (SQLITE_READONLY)"),
              std::string::npos);
  }
  writes_refused = false;  // the refusing connection was retired: the next one writes
  const auto response = log_in();
  EXPECT_EQ(response.result(), http::Status::found);
  EXPECT_EQ(response[http::HeaderField::location], "/admin/");
}

}  // namespace
}  // namespace ocl::app
