#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <spdlog/spdlog.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "app/application.hpp"
#include "cli/command.hpp"
#include "config/deploy_checks.hpp"
#include "config/version.hpp"
#include "db/fixtures.hpp"
#include "db/migrations.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "monitoring/client.hpp"
#include "templates/engine.hpp"

namespace ocl::cli {
namespace {

std::uint16_t parse_port_argument(const std::string& text) {
  unsigned port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc{} || end != text.data() + text.size() || port > 65535) {
    throw std::invalid_argument("--port expects a number from 0 to 65535, got '" + text + "'");
  }
  return static_cast<std::uint16_t>(port);
}

void reject_leftovers(const std::vector<std::string>& args) {
  if (!args.empty()) {
    throw std::invalid_argument("unexpected argument '" + args.front() + "'");
  }
}

bool database_is_empty(db::Connection& connection) {
  const auto result = connection.query(
      "SELECT (SELECT COUNT(*) FROM lettings_letting) + (SELECT COUNT(*) FROM profiles_profile) + "
      "(SELECT COUNT(*) FROM auth_user)");
  return result.rows.front().integer(0) == 0;
}

/// `serve --migrate --demo FILE`: what a fresh machine or container needs before its first request.
void prepare_database(db::Database& database, bool migrate, const std::optional<std::string>& demo_fixture) {
  if (!migrate && !demo_fixture) {
    return;  // nothing to do: an unreachable database then fails /readyz instead of the start
  }
  auto connection = database.lease();
  if (migrate) {
    const auto report = migrate_all(*connection);
    for (const auto& name : report.applied) {
      spdlog::info("applied migration {}", name);
    }
  }
  if (demo_fixture && database_is_empty(*connection)) {
    std::ifstream file{*demo_fixture};
    if (!file) {
      throw std::runtime_error("cannot read demo fixture " + *demo_fixture);
    }
    std::stringstream text;
    text << file.rdbuf();
    const auto report = db::load(*connection, text.str());
    spdlog::info("loaded {} demo object(s) from {}", report.objects, *demo_fixture);
  }
}

int serve(const CommandContext& context) {
  auto args = context.args;
  http::ServerOptions options;
  options.host = take_option(args, "--host").value_or(context.settings.host);
  options.port = parse_port_argument(take_option(args, "--port").value_or(std::to_string(context.settings.port)));
  const auto& limits = context.settings.limits;
  options.request_timeout = std::chrono::seconds(limits.request_timeout_seconds);
  options.keep_alive_timeout = std::chrono::seconds(limits.keep_alive_timeout_seconds);
  options.max_connections = static_cast<int>(std::min<std::int64_t>(limits.max_connections, 1'000'000));
  options.max_header_fields = static_cast<std::size_t>(limits.max_header_fields);
  options.forwarding = {context.settings.forwarded_allow_ips, context.settings.trust_forwarded_proto};
  const bool migrate = take_flag(args, "--migrate");
  const auto demo_fixture = take_option(args, "--demo");
  reject_leftovers(args);

  monitoring::init(context.settings.sentry);  // does nothing without SENTRY_DSN
  app::Application application{context.settings};
  prepare_database(application.database(), migrate, demo_fixture);
  http::Server server{options, application};
  server.start();
  spdlog::info("OC Lettings {} listening on http://{}:{} (database {}; {} I/O, {} worker and {} slow-lane threads)",
               config::version(), options.host, server.port(), context.settings.database.redacted(), options.io_threads,
               options.worker_threads, options.slow_threads);
  server.wait();
  spdlog::info("stopped");
  monitoring::shutdown(std::chrono::seconds(2));  // sends what is queued, at most 2 s
  return exit_ok;
}

/// Counts what `check` reported, by level.
struct CheckTally {
  int warnings = 0;
  int errors = 0;
};

void check_database(const CommandContext& context, CheckTally& tally) {
  auto database = db::open_database(context.settings.database, 1);
  auto connection = database->lease();
  if (!db::has_schema(*connection)) {
    context.err << "WARNING: (ocl.W002) the database has no schema yet: run `oc-lettings migrate`.\n";
    ++tally.warnings;
  }
}

void check_deployment(const CommandContext& context, CheckTally& tally) {
  for (const auto& finding : config::deploy_checks(context.settings)) {
    const bool is_error = finding.level == config::DeployFinding::Level::error;
    context.err << (is_error ? "ERROR" : "WARNING") << ": (" << finding.id << ") " << finding.message << "\n";
    ++(is_error ? tally.errors : tally.warnings);
  }
}

/// `check [--deploy] [--fail-level ERROR|WARNING]`, as Django's: exit 1 when a finding reaches the fail level.
int check(const CommandContext& context) {
  auto args = context.args;
  const bool deploy = take_flag(args, "--deploy");
  const auto fail_level = take_option(args, "--fail-level").value_or("ERROR");
  if (fail_level != "ERROR" && fail_level != "WARNING") {
    throw std::invalid_argument("--fail-level expects ERROR or WARNING, got '" + fail_level + "'");
  }
  reject_leftovers(args);
  CheckTally tally;
  const templates::Engine templates;  // parses every template
  try {
    check_database(context, tally);
  } catch (const std::exception& error) {
    context.err << "ERROR: (ocl.E001) database: " << error.what() << "\n";
    ++tally.errors;
  }
  if (deploy) {
    check_deployment(context, tally);
  }
  const auto issues = tally.warnings + tally.errors;
  context.out << "System check identified "
              << (issues == 0 ? std::string("no issues") : std::to_string(issues) + " issue(s)") << " (0 silenced).\n";
  const bool failed = tally.errors > 0 || (fail_level == "WARNING" && tally.warnings > 0);
  return failed ? exit_failure : exit_ok;
}

/// A shell-less container health check: GET /healthz on the local port.
int healthcheck(const CommandContext& context) {
  namespace beast = boost::beast;
  auto args = context.args;
  const auto port = parse_port_argument(take_option(args, "--port").value_or(std::to_string(context.settings.port)));
  reject_leftovers(args);
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream{io};
    stream.expires_after(std::chrono::seconds(3));
    stream.connect(boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), port});
    http::Request request{http::Method::get, "/healthz", 11};
    request.set(http::HeaderField::host, "127.0.0.1");
    beast::http::write(stream, request);
    beast::flat_buffer buffer;
    http::Response response;
    beast::http::read(stream, buffer, response);
    if (response.result() == http::Status::ok) {
      return exit_ok;
    }
    context.err << "healthcheck: /healthz answered " << response.result_int() << "\n";
  } catch (const std::exception& error) {
    context.err << "healthcheck: " << error.what() << "\n";
  }
  return exit_failure;
}

/// Writes the gzip form of each static file beside it, so that `serve` need not compress at start-up.
int compressstatic(const CommandContext& context) {
  auto args = context.args;
  reject_leftovers(args);
  const auto& root = context.settings.static_root;
  std::error_code error;
  if (!std::filesystem::is_directory(root, error)) {
    context.err << "compressstatic: static folder " << root << " not found (STATIC_ROOT)\n";
    return exit_failure;
  }
  try {
    const auto report = http::precompress_static_files(root);
    context.out << report.written << " file(s) compressed, " << report.up_to_date << " already up to date in " << root
                << "\n";
  } catch (const std::exception& failure) {
    context.err << "compressstatic: " << failure.what() << "\n";
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace

std::vector<Command> server_commands() {
  return {
      {"serve", "serve [--host H] [--port P] [--migrate] [--demo FIXTURE.json]",
       "run the web server until SIGTERM/SIGINT", serve},
      {"check", "check [--deploy] [--fail-level ERROR|WARNING]",
       "check the configuration, templates and database; --deploy adds the production checks", check},
      {"healthcheck", "healthcheck [--port P]", "exit 0 when the local server answers /healthz", healthcheck},
      {"compressstatic", "compressstatic",
       "write NAME.gz beside each static file that gzip makes smaller (the build does it; start-up then reads them)",
       compressstatic},
  };
}

}  // namespace ocl::cli
