#include "test_database.hpp"

#include <cstdlib>
#include <stdexcept>
#include <utility>

#include <unistd.h>

#include "db/database_url.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

namespace fs = std::filesystem;

std::string postgres_server_url() {
  const char* url = std::getenv("OCL_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

/// The cluster's URL with another database name in place of its path.
std::string postgres_database_url(const std::string& name) {
  const auto server = postgres_server_url();
  const auto slash = server.find('/', server.find("://") + 3);
  return server.substr(0, slash) + "/" + name;
}

std::string template_name(Seed seed) {
  switch (seed) {
    case Seed::shared_copy:
      return "ocl_seed_shared";
    case Seed::demo:
      return "ocl_seed_demo";
    case Seed::adversarial:
      return "ocl_seed_adversarial";
    case Seed::nothing:
      break;
  }
  return "template0";
}

void run_or_throw(const std::vector<std::string>& args, const Environment& environment, const fs::path& work_dir) {
  const auto result = run_cli(args, environment, work_dir, 120s);
  if (result.exit_code != 0) {
    throw std::runtime_error("oc-lettings " + args.front() + " failed: " + result.err);
  }
}

/// Fills a template database with `seed`'s data through the CLI, as an operator would.
void fill_template(const std::string& url, Seed seed) {
  const TempDir work;
  auto environment = base_environment(work.file("unused.sqlite3"));
  environment["DATABASE_URL"] = url;
  run_or_throw({"migrate"}, environment, work.path());
  fs::path fixture;
  switch (seed) {
    case Seed::shared_copy: {
      const auto copy = work.file("django.sqlite3");
      copy_django_database(copy);
      fixture = work.file("shared.json");
      const auto dump = run_cli({"dumpdata", "--output", fixture.string()}, base_environment(copy), work.path());
      if (dump.exit_code != 0) {
        throw std::runtime_error("oc-lettings dumpdata failed: " + dump.err);
      }
      break;
    }
    case Seed::demo:
      fixture = source_path("fixtures/demo.json");
      break;
    case Seed::adversarial:
      fixture = source_path("tests/data/adversarial.json");
      break;
    case Seed::nothing:
      return;
  }
  run_or_throw({"loaddata", fixture.string()}, environment, work.path());
}

/// Creates the seed's template once per cluster; parallel test processes wait on an advisory lock.
void ensure_template(db::Connection& server, Seed seed) {
  const auto name = template_name(seed);
  if (seed == Seed::nothing) {
    return;
  }
  constexpr std::int64_t template_lock = 7'405'001;
  server.query("SELECT pg_advisory_lock(?)", {template_lock});
  try {
    if (server.query("SELECT 1 FROM pg_database WHERE datname = ?", {name}).empty()) {
      server.execute_script("CREATE DATABASE \"" + name + "_building\"");
      fill_template(postgres_database_url(name + "_building"), seed);
      server.execute_script("ALTER DATABASE \"" + name + "_building\" RENAME TO \"" + name + "\"");
    }
  } catch (...) {
    server.execute_script("DROP DATABASE IF EXISTS \"" + name + "_building\" WITH (FORCE)");
    server.query("SELECT pg_advisory_unlock(?)", {template_lock});
    throw;
  }
  server.query("SELECT pg_advisory_unlock(?)", {template_lock});
}

/// Runs `scripts/postgres.sh ARGS...` and returns what it printed; throws when it fails.
std::string postgres_script(const std::string& args) {
  const TempDir output;
  const auto command =
      source_path("scripts/postgres.sh").string() + " " + args + " >" + output.file("out").string() + " 2>&1";
  const int status = std::system(command.c_str());  // NOLINT(cert-env33-c): a test helper running our own script
  auto printed = read_file(output.file("out"));
  if (status != 0) {
    throw std::runtime_error("scripts/postgres.sh " + args + " failed: " + printed);
  }
  while (!printed.empty() && printed.back() == '\n') {
    printed.pop_back();
  }
  return printed;
}

}  // namespace

PostgresCluster::PostgresCluster()
    : directory_(fs::temp_directory_path() / ("ocl-cluster-" + std::to_string(::getpid()))) {
  fs::remove_all(directory_);
  url_ = postgres_script("start " + directory_.string());
}

PostgresCluster::~PostgresCluster() {
  try {
    postgres_script("stop " + directory_.string() + " immediate");
  } catch (const std::exception&) {
    // already stopped by the test
  }
  std::error_code ignored;
  fs::remove_all(directory_, ignored);
  fs::remove(directory_.string() + ".initdb.log", ignored);
}

void PostgresCluster::stop() {
  postgres_script("stop " + directory_.string() + " fast");
}

void PostgresCluster::start() {
  postgres_script("start " + directory_.string());
}

bool on_postgresql() {
  return !postgres_server_url().empty();
}

TestDatabase::TestDatabase(fs::path sqlite_file, Seed seed) : sqlite_file_(std::move(sqlite_file)) {
  if (!on_postgresql()) {
    url_ = sqlite_url(sqlite_file_);
    switch (seed) {
      case Seed::shared_copy:
        copy_django_database(sqlite_file_);
        break;
      case Seed::demo:
        load_fixture_database(sqlite_file_, {source_path("fixtures/demo.json")});
        break;
      case Seed::adversarial:
        load_fixture_database(sqlite_file_, {source_path("tests/data/adversarial.json")});
        break;
      case Seed::nothing:
        break;
    }
    return;
  }
  static std::atomic<int> counter{0};
  postgres_name_ = "ocl_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const auto server = open_test_database(postgres_server_url());
  auto connection = server->lease();
  ensure_template(*connection, seed);
  connection->execute_script("DROP DATABASE IF EXISTS \"" + postgres_name_ + "\" WITH (FORCE)");
  connection->execute_script("CREATE DATABASE \"" + postgres_name_ + "\" TEMPLATE \"" + template_name(seed) + "\"");
  url_ = postgres_database_url(postgres_name_);
}

TestDatabase::~TestDatabase() {
  if (postgres_name_.empty()) {
    return;
  }
  try {
    const auto server = open_test_database(postgres_server_url());
    server->lease()->execute_script("DROP DATABASE IF EXISTS \"" + postgres_name_ + "\" WITH (FORCE)");
  } catch (const std::exception& error) {
    ADD_FAILURE() << "cannot drop test database " << postgres_name_ << ": " << error.what();
  }
}

std::unique_ptr<db::Database> open_test_database(const std::string& database_url) {
  return db::open_database(db::parse_database_url(database_url), 1);
}

std::string query_text(const std::string& database_url, const std::string& sql) {
  const auto database = open_test_database(database_url);
  const auto result = database->lease()->query(sql);
  if (result.empty() || result.rows.front().is_null(0)) {
    return {};
  }
  const auto& value = result.rows.front().value(0);
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    return std::to_string(*number);
  }
  return result.rows.front().text(0);
}

void expect_consistent(const std::string& database_url) {
  if (on_postgresql()) {
    return;
  }
  EXPECT_EQ(query_text(database_url, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(query_text(database_url, "SELECT COUNT(*) FROM pragma_foreign_key_check"), "0");
}

}  // namespace ocl::integration
