#pragma once
/// @file
/// @brief The whole site for the fuzz targets: the real Application on an in-memory SQLite database
/// holding the demo fixture, with every input's writes rolled back so each input sees the same data.

#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "app/application.hpp"
#include "auth/sessions.hpp"
#include "auth/users.hpp"
#include "config/settings.hpp"
#include "db/database.hpp"
#include "db/fixtures.hpp"
#include "db/migrations.hpp"
#include "db/sqlite_connection.hpp"
#include "db/value.hpp"
#include "fuzz/check.hpp"
#include "http/url.hpp"

namespace ocl::fuzz {

/// @brief The session key of the signed-in superuser ("admin", pk 1 in fixtures/demo.json); seeds use it.
inline constexpr std::string_view session_key = "fuzzsessionkey0000000000000000001";
/// @brief The CSRF secret of the csrftoken cookie; a 32-character token equal to it passes the check.
inline constexpr std::string_view csrf_secret = "FuzzCsrfSecretFuzzCsrfSecret0001";
/// @brief The SECRET_KEY of the fuzzed site.
inline constexpr std::string_view secret_key = "fuzzing-secret-key";

/// @brief The text of a file in the repository.
inline std::string read_source_file(std::string_view relative) {
  std::ifstream file(std::string(OCL_SOURCE_DIR) + "/" + std::string(relative), std::ios::binary);
  if (!file) {
    fail("cannot read a repository file the fuzz target needs");
  }
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

/// @brief A connection whose transactions are savepoints inside one outer transaction that `reset()` rolls
/// back: the product's own BEGIN/COMMIT work as usual, yet nothing an input writes outlives it.
class SandboxConnection final : public db::Connection {
 public:
  explicit SandboxConnection(std::unique_ptr<db::Connection> inner) : inner_(std::move(inner)) {}

  using Connection::execute;
  using Connection::query;

  db::ResultSet query(std::string_view sql, std::span<const db::Value> params) override {
    return inner_->query(sql, params);
  }
  std::int64_t execute(std::string_view sql, std::span<const db::Value> params) override {
    return inner_->execute(sql, params);
  }
  void execute_script(std::string_view sql) override { inner_->execute_script(sql); }
  [[nodiscard]] db::Dialect dialect() const override { return inner_->dialect(); }
  // The writes happen on the inner connection: without this, the site never learns of them and its
  // page cache would answer an input with the page rendered for an earlier one.
  bool take_changed() override { return inner_->take_changed(); }

  // Same contract as SqliteConnection: no nesting, commit needs an open transaction, rollback may be a no-op.
  void begin() override {
    if (depth_ > 0) {
      throw db::DatabaseError(
          "a transaction is already open on this connection; nested transactions are not supported");
    }
    inner_->execute("SAVEPOINT ocl_fuzz");
    ++depth_;
  }
  void commit() override {
    if (depth_ == 0) {
      throw db::DatabaseError("commit without an open transaction");
    }
    inner_->execute("RELEASE ocl_fuzz");
    --depth_;
  }
  void rollback() override {
    if (depth_ > 0) {
      inner_->execute("ROLLBACK TO ocl_fuzz");
      inner_->execute("RELEASE ocl_fuzz");
      --depth_;
    }
  }

  /// @brief Opens the outer transaction (before an input runs).
  void start() {
    inner_->execute("BEGIN");
    depth_ = 0;
  }
  /// @brief Undoes everything since start().
  void reset() {
    inner_->execute("ROLLBACK");
    depth_ = 0;
  }

 private:
  std::unique_ptr<db::Connection> inner_;
  int depth_ = 0;
};

/// @brief A new in-memory database with the schema and the demo fixture loaded.
inline std::unique_ptr<db::Connection> demo_database() {
  auto connection = std::make_unique<db::SqliteConnection>(":memory:");
  db::migrate(*connection);
  db::load(*connection, read_source_file("fixtures/demo.json"));
  return connection;
}

/// @brief Inserts the superuser's session under the fixed `session_key`.
inline void sign_in_superuser(db::Connection& connection) {
  const auto user = auth::find_user(connection, 1);
  if (!user || !user->is_superuser) {
    fail("fixtures/demo.json no longer has superuser 1");
  }
  const auto now = std::chrono::system_clock::now();
  // Valid for a year, so a long campaign never sees the session expire.
  connection.execute(
      "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)",
      {std::string(session_key),
       auth::encode_session(auth::login_session_data(user->id, user->password, secret_key), secret_key, now),
       auth::database_datetime(now + std::chrono::hours(24 * 366))});
}

/// @brief The site: settings, one sandboxed connection (pool of one), and the Application on it.
class Site {
 public:
  Site()
      : settings_(config::load_settings({{"SECRET_KEY", std::string(secret_key)},
                                         {"ALLOWED_HOSTS", "testserver,localhost"},
                                         {"DATABASE_URL", "sqlite:///fuzz.sqlite3"},
                                         {"STATIC_ROOT", std::string(OCL_SOURCE_DIR) + "/static"}})) {
    auto factory = [] {
      auto connection = demo_database();
      sign_in_superuser(*connection);
      return std::make_unique<SandboxConnection>(std::move(connection));
    };
    auto database = std::make_unique<db::Database>(settings_.database, factory, 1);
    application_ = std::make_unique<app::Application>(settings_, std::move(database));
  }

  app::Application& application() { return *application_; }

  /// @brief Runs one request with its writes rolled back afterwards.
  http::Response handle(const http::Request& request) {
    return *handle(request, [](SandboxConnection&) { return true; });
  }

  /// @brief Runs `prepare` on the database, then the request (unless `prepare` returns false), then rolls
  /// everything back; nullopt when the request did not run.
  template <typename Prepare>
  std::optional<http::Response> handle(const http::Request& request, Prepare&& prepare) {
    bool ready = false;
    sandbox([&](SandboxConnection& connection) {
      connection.start();
      try {
        ready = prepare(connection);
      } catch (const db::DatabaseError&) {
        ready = false;  // e.g. a value the schema refuses (a duplicate username)
      }
    });
    std::optional<http::Response> response;
    if (ready) {
      response = application_->handle(request, "127.0.0.1");
    }
    sandbox([](SandboxConnection& connection) { connection.reset(); });
    return response;
  }

  /// @brief Runs `work` on the sandboxed connection (between requests only: the pool holds one connection).
  template <typename Work>
  void sandbox(Work&& work) {
    auto lease = application_->database().lease();
    work(static_cast<SandboxConnection&>(*lease));
  }

 private:
  config::Settings settings_;
  std::unique_ptr<app::Application> application_;
};

/// @brief The one Site of the process, built on first use.
inline Site& site() {
  static Site* instance = [] {
    spdlog::set_level(spdlog::level::off);
    return new Site();
  }();
  return *instance;
}

/// @brief The checks every answer of the site must pass, whatever the request.
inline void check_response(const http::Request& request, const http::Response& response) {
  if (response.result() == http::Status::internal_server_error) {
    // Only the deliberate error of /sentry-debug/ may answer 500: anything else is an uncaught exception.
    const auto target = http::parse_target(request.target());
    if (!target || target->path != "/sentry-debug/") {
      fail("500 Internal Server Error");
    }
  }
  if (request.method() != http::Method::head && response.result() != http::Status::not_modified &&
      response[http::HeaderField::content_length] != std::to_string(response.body().size())) {
    fail("Content-Length differs from the body");
  }
}

}  // namespace ocl::fuzz
