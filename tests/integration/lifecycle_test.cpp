/// The process as operators see it: start-up, shutdown, configuration errors, CLI commands and logs.

#include <csignal>
#include <filesystem>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "page_helpers.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

std::vector<std::string> non_empty_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream{text};
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

/// Splits raw HTTP/1.1 responses carrying a Content-Length; stops at the first incomplete one.
struct RawResponses {
  std::vector<std::string> bodies;  ///< of the complete responses, in order
  std::size_t leftover = 0;         ///< bytes of an incomplete last response
};

RawResponses split_responses(const std::string& raw) {
  static const std::regex length{R"(\r\n[Cc]ontent-[Ll]ength: *(\d+)\r\n)"};
  RawResponses responses;
  std::size_t start = 0;
  while (start < raw.size()) {
    const auto end_of_headers = raw.find("\r\n\r\n", start);
    std::smatch match;
    const auto headers = raw.substr(start, end_of_headers == std::string::npos ? 0 : end_of_headers + 2 - start);
    if (end_of_headers == std::string::npos || !std::regex_search(headers, match, length) ||
        raw.size() - (end_of_headers + 4) < std::stoul(match[1].str())) {
      break;
    }
    const auto size = std::stoul(match[1].str());
    responses.bodies.push_back(raw.substr(end_of_headers + 4, size));
    start = end_of_headers + 4 + size;
  }
  responses.leftover = raw.size() - start;
  return responses;
}

/// A loopback port bound to nothing that listens: connecting to it is refused.
class RefusingPort {
 public:
  RefusingPort() : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(socket_, reinterpret_cast<const sockaddr*>(&address), sizeof address);  // NOLINT: C API
    socklen_t size = sizeof address;
    ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &size);  // NOLINT: C API
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { ::close(socket_); }
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  int socket_;
  std::uint16_t port_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Shutdown

TEST(Shutdown, SigtermStopsWithExitCodeZero) {
  ServerProcess server;
  ASSERT_EQ(server.get("/").result_int(), 200U);
  EXPECT_EQ(server.terminate(SIGTERM), 0);
}

TEST(Shutdown, SigintStopsWithExitCodeZero) {
  ServerProcess server;
  ASSERT_EQ(server.get("/healthz").result_int(), 200U);
  EXPECT_EQ(server.terminate(SIGINT), 0);
}

TEST(Shutdown, ResponseBeingSentWhenSigtermArrivesIsCompleted) {
  ServerProcess server;
  const auto expected = read_file(source_path("static/vendor/bootstrap/bootstrap.min.css"));
  RawConnection slow_reader{server.port(), 4096};
  ASSERT_TRUE(slow_reader.send("GET /static/vendor/bootstrap/bootstrap.min.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  auto received = slow_reader.read_at_least(1);  // the answer has started: the request is in flight
  server.send_signal(SIGTERM);
  ASSERT_TRUE(server.wait_for_stderr("shutting down"));
  received += slow_reader.read_until_closed();
  const auto responses = split_responses(received);
  ASSERT_EQ(responses.bodies.size(), 1U) << "got " << received.size() << " bytes";
  EXPECT_EQ(responses.bodies.front(), expected);
  EXPECT_EQ(responses.leftover, 0U);
  EXPECT_FALSE(slow_reader.was_reset());
  EXPECT_EQ(server.wait_for_exit(10s), 0);
}

TEST(Shutdown, PipelinedResponsesUnderWayAtSigtermAreNotCutOff) {
  ServerProcess server;
  const auto expected = read_file(source_path("static/vendor/bootstrap/bootstrap.min.css"));
  RawConnection slow_reader{server.port(), 4096};
  std::string pipeline;
  for (int count = 0; count < 16; ++count) {
    pipeline += "GET /static/vendor/bootstrap/bootstrap.min.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }
  ASSERT_TRUE(slow_reader.send(pipeline));
  auto received = slow_reader.read_at_least(1);
  server.send_signal(SIGTERM);
  ASSERT_TRUE(server.wait_for_stderr("shutting down"));
  received += slow_reader.read_until_closed();
  const auto responses = split_responses(received);
  EXPECT_FALSE(slow_reader.was_reset()) << "connection reset after " << received.size() << " bytes";
  ASSERT_GE(responses.bodies.size(), 1U) << "got " << received.size() << " bytes";
  for (const auto& body : responses.bodies) {
    EXPECT_EQ(body, expected);
  }
  EXPECT_EQ(responses.leftover, 0U) << "a response was cut off";
  EXPECT_EQ(server.wait_for_exit(10s), 0);
}

TEST(Shutdown, RequestStillArrivingWhenSigtermArrivesIsAnswered) {
  ServerProcess server;
  RawConnection client{server.port()};
  const std::string first = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  ASSERT_TRUE(client.send(first));
  ASSERT_NE(client.read_at_least(1).find("200 OK"), std::string::npos);  // the connection is accepted and served
  ASSERT_TRUE(client.send("GET /lettings/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  server.send_signal(SIGTERM);
  ASSERT_TRUE(server.wait_for_stderr("shutting down"));
  client.send("Connection: close\r\n\r\n");
  const auto answer = client.read_until_closed();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << "got: " << answer.substr(0, 60);
  EXPECT_NE(answer.find("Joshua Tree Green Haus /w Hot Tub"), std::string::npos);
  EXPECT_EQ(server.wait_for_exit(10s), 0);
}

TEST(Shutdown, NewConnectionsAreRefusedAfterStop) {
  ServerProcess server;
  const auto port = server.port();
  ASSERT_EQ(server.terminate(SIGTERM), 0);
  EXPECT_THROW(RawConnection{port}, std::runtime_error);
}

// ---------------------------------------------------------------------------------------------
// Start-up

TEST(Startup, MigrateAndDemoPrepareABrandNewDatabase) {
  const ServerProcess server{ServerConfig{
      .seed = Seed::nothing, .extra_args = {"--migrate", "--demo", source_path("fixtures/demo.json").string()}}};
  if (!on_postgresql()) {
    EXPECT_TRUE(std::filesystem::exists(server.database()));
  }
  EXPECT_EQ(server.get("/readyz").result_int(), 200U);
  const auto links = links_under(server.get("/lettings/").body(), "/lettings/");
  ASSERT_EQ(links.size(), 6U);
  EXPECT_EQ(links.front().text, "Joshua Tree Green Haus /w Hot Tub");
  EXPECT_EQ(links.back().text, "Underground Hygge");
  EXPECT_NE(server.get("/profiles/AirWow/").body().find("Budapest"), std::string::npos);
}

TEST(Startup, DemoIsNotLoadedOverExistingData) {
  const ServerProcess server{ServerConfig{
      .seed = Seed::adversarial, .extra_args = {"--migrate", "--demo", source_path("fixtures/demo.json").string()}}};
  const auto links = links_under(server.get("/lettings/").body(), "/lettings/");
  std::vector<std::string> targets;
  for (const auto& link : links) {
    targets.push_back(link.href);
  }
  EXPECT_EQ(targets, (std::vector<std::string>{"/lettings/1/", "/lettings/2/", "/lettings/5/", "/lettings/9/",
                                               "/lettings/77/", "/lettings/1000/"}));
  EXPECT_EQ(server.get("/profiles/AirWow/").result_int(), 404U);
}

TEST(Startup, ReadinessFailsOnAnEmptyDatabaseNeverMigrated) {
  const ServerProcess server{ServerConfig{.seed = Seed::nothing}};
  const auto ready = server.get("/readyz");
  EXPECT_EQ(ready.result_int(), 503U);
  EXPECT_EQ(header(ready, boost::beast::http::field::cache_control), "no-store");
  EXPECT_EQ(server.get("/healthz").result_int(), 200U) << "alive even when not ready";
}

TEST(Startup, SecretKeyMayBeOmittedWhenDebugIsOn) {
  const ServerProcess server{ServerConfig{.overrides = {{"DEBUG", "true"}}, .removed = {"SECRET_KEY"}}};
  EXPECT_EQ(server.get("/").result_int(), 200U);
}

struct BadSetting {
  std::string variable;
  std::optional<std::string> value;  ///< nullopt: the variable is left out
  Environment also;
};

class ConfigurationErrors : public testing::TestWithParam<BadSetting> {};

TEST_P(ConfigurationErrors, ExitWithCode2AndOneLineNamingTheVariable) {
  const TempDir directory;
  auto environment = base_environment(directory.file("db.sqlite3"));
  const auto& bad = GetParam();
  environment.erase(bad.variable);
  if (bad.value) {
    environment[bad.variable] = *bad.value;
  }
  for (const auto& [name, value] : bad.also) {
    environment[name] = value;
  }
  const auto result = run_cli({"serve", "--port", "0"}, environment, directory.path(), 10s);
  EXPECT_EQ(result.exit_code, 2);
  const auto lines = non_empty_lines(result.err);
  ASSERT_EQ(lines.size(), 1U) << result.err;
  EXPECT_NE(lines.front().find(bad.variable), std::string::npos) << lines.front();
  EXPECT_TRUE(result.out.empty()) << result.out;
}

INSTANTIATE_TEST_SUITE_P(Environment, ConfigurationErrors,
                         testing::Values(BadSetting{"PORT", "abc"}, BadSetting{"PORT", "70000"},
                                         BadSetting{"DATABASE_URL", "mysql://x"}, BadSetting{"LOG_LEVEL", "loud"},
                                         BadSetting{"DEBUG", "maybe"}, BadSetting{"HOST", ""},
                                         BadSetting{"SECRET_KEY", std::nullopt, {{"DEBUG", "false"}}},
                                         BadSetting{"SECRET_KEY", "", {{"DEBUG", "false"}}}),
                         [](const auto& info) { return "Case" + std::to_string(info.index); });

// ---------------------------------------------------------------------------------------------
// Commands

class Commands : public testing::Test {
 protected:
  CliResult cli(const std::vector<std::string>& args) const {
    return run_cli(args, base_environment(database), directory.path());
  }
  /// The database content as a Django fixture.
  std::string dump() const {
    const auto result = cli({"dumpdata", "--indent", "2"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  TempDir directory;
  std::filesystem::path database = directory.file("db.sqlite3");
};

TEST_F(Commands, HelpListsEveryCommand) {
  const auto result = cli({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("Usage: oc-lettings"), std::string::npos);
  for (const auto* command : {"serve", "migrate", "loaddata", "dumpdata", "check", "healthcheck"}) {
    EXPECT_NE(result.out.find(command), std::string::npos) << command;
  }
}

TEST_F(Commands, VersionPrintsTheVersion) {
  const auto result = cli({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(std::regex_match(result.out, std::regex(R"(oc-lettings \d+\.\d+\.\d+\n)"))) << result.out;
}

TEST_F(Commands, UnknownCommandIsAUsageError) {
  const auto result = cli({"frobnicate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("frobnicate"), std::string::npos) << result.err;
  EXPECT_EQ(cli({}).exit_code, 2);
  EXPECT_EQ(cli({"serve", "--bogus"}).exit_code, 2);
  EXPECT_EQ(cli({"serve", "--port", "nope"}).exit_code, 2);
}

TEST_F(Commands, CheckPassesOnAMigratedDatabase) {
  load_fixture_database(database, {source_path("fixtures/demo.json")});
  const auto result = cli({"check"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("System check identified no issues"), std::string::npos) << result.out;
}

TEST_F(Commands, CheckDeployFailsOnDevelopmentSettingsAndPassesOnProductionOnes) {
  load_fixture_database(database, {source_path("fixtures/demo.json")});
  auto environment = base_environment(database);
  environment["DEBUG"] = "true";
  auto result = run_cli({"check", "--deploy"}, environment, directory.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("(security.E018)"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("(security.W004)"), std::string::npos) << result.err;

  environment["DEBUG"] = "false";
  environment["SECRET_KEY"] = "0a9Z3kq7Lm2Xp5Rt8Vw1Yb4Nc6Hd0Jf3Gs9Ke2Mu5Pi7Qo1Wz4Ex8Ty";
  environment["SECURE_HSTS_SECONDS"] = "31536000";
  environment["SECURE_HSTS_INCLUDE_SUBDOMAINS"] = "true";
  environment["SECURE_SSL_REDIRECT"] = "true";
  environment["FORWARDED_ALLOW_IPS"] = "10.0.0.0/8";
  result = run_cli({"check", "--deploy", "--fail-level", "WARNING"}, environment, directory.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("no issues"), std::string::npos) << result.out;

  EXPECT_EQ(run_cli({"check", "--fail-level", "LOUD"}, environment, directory.path()).exit_code, 2);
}

TEST_F(Commands, HealthcheckSucceedsAgainstARunningServer) {
  const ServerProcess server;
  const auto result =
      run_cli({"healthcheck", "--port", std::to_string(server.port())}, server.environment(), server.directory());
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

// As Render configures the image: a public host name only, no ALLOWED_HOSTS.
TEST_F(Commands, HealthcheckPassesWhenOnlyAPublicHostIsAllowedWhileOtherPathsRefuseLoopback) {
  const ServerProcess server(
      {.overrides = {{"RENDER_EXTERNAL_HOSTNAME", "oc-lettings-url.onrender.com"}}, .removed = {"ALLOWED_HOSTS"}});
  const auto result =
      run_cli({"healthcheck", "--port", std::to_string(server.port())}, server.environment(), server.directory());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server.get("/readyz").result_int(), 200);
  EXPECT_EQ(server.get("/").result_int(), 400);
  EXPECT_EQ(server.get("/healthz/").result_int(), 400);
  EXPECT_EQ(server.get("/", {{"Host", "oc-lettings-url.onrender.com"}}).result_int(), 200);
}

TEST_F(Commands, HealthcheckFailsWhenNothingListens) {
  const RefusingPort nobody;
  const auto result = cli({"healthcheck", "--port", std::to_string(nobody.port())});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(result.err.empty());
}

TEST_F(Commands, BrokenReferenceFixtureIsRejectedAndChangesNothing) {
  load_fixture_database(database, {source_path("fixtures/demo.json")});
  const auto before = dump();
  const auto result = cli({"loaddata", source_path("tests/data/broken_reference.json").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("lettings.letting"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("51"), std::string::npos) << result.err;
  EXPECT_EQ(dump(), before);
}

TEST_F(Commands, BrokenValueFixtureIsRejectedAndChangesNothing) {
  load_fixture_database(database, {source_path("fixtures/demo.json")});
  const auto before = dump();
  const auto result = cli({"loaddata", source_path("tests/data/broken_value.json").string()});
  EXPECT_EQ(result.exit_code, 1);
  for (const auto* part : {"broken_value.json", "lettings.address", "61", "zip_code"}) {
    EXPECT_NE(result.err.find(part), std::string::npos) << part << " in " << result.err;
  }
  EXPECT_EQ(dump(), before);
}

TEST_F(Commands, MissingFixtureFileIsAFailure) {
  ASSERT_EQ(cli({"migrate"}).exit_code, 0);
  const auto result = cli({"loaddata", directory.file("absent.json").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("absent.json"), std::string::npos) << result.err;
}

TEST_F(Commands, DumpdataOfTheDjangoDatabaseRoundTripsThroughLoaddata) {
  copy_django_database(database);
  const auto original = directory.file("original.json");
  const auto export_result = cli({"dumpdata", "--indent", "2", "--output", original.string()});
  ASSERT_EQ(export_result.exit_code, 0) << export_result.err;
  const auto exported = read_file(original);
  for (const auto* value : {"Joshua Tree Green Haus /w Hot Tub", "AirWow", "Budapest", "lettings.address"}) {
    EXPECT_NE(exported.find(value), std::string::npos) << value;
  }

  const auto copy = directory.file("copy.sqlite3");
  load_fixture_database(copy, {original});
  const auto reloaded = directory.file("reloaded.json");
  const auto reexport =
      run_cli({"dumpdata", "--indent", "2", "--output", reloaded.string()}, base_environment(copy), directory.path());
  ASSERT_EQ(reexport.exit_code, 0) << reexport.err;
  EXPECT_EQ(read_file(reloaded), exported);
}

TEST(ServerDatabase, DumpdataGivesTheSameFixtureAsTheDjangoFile) {
  // In the PostgreSQL suite the server's database was filled by migrate + loaddata there: the dump
  // must come back byte for byte as the Django SQLite file's own.
  const ServerProcess server;
  const auto dumped = server.directory() / "server.json";
  const auto result = run_cli({"dumpdata", "--output", dumped.string()}, server.environment(), server.directory());
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const TempDir directory;
  copy_django_database(directory.file("django.sqlite3"));
  const auto reference = directory.file("django.json");
  const auto original = run_cli({"dumpdata", "--output", reference.string()},
                                base_environment(directory.file("django.sqlite3")), directory.path());
  ASSERT_EQ(original.exit_code, 0) << original.err;
  EXPECT_EQ(read_file(dumped), read_file(reference));
}

// ---------------------------------------------------------------------------------------------
// Logs

TEST(AccessLog, OneLogfmtLinePerRequestOnStdout) {
  const ServerProcess server;
  ASSERT_EQ(server.get("/lettings/?q=1", {{"User-Agent", "integration-check/1.0"}}).result_int(), 200U);
  ASSERT_EQ(server.get("/nope/").result_int(), 404U);
  // A line is written once its answer has gone out, so the client may already hold both answers
  // before the first line is there, and the two lines may come in either order.
  ASSERT_TRUE(server.wait_for_stdout("path=\"/nope/\""));
  ASSERT_TRUE(server.wait_for_stdout("path=\"/lettings/?q=1\""));
  auto lines = non_empty_lines(server.stdout_text());
  ASSERT_EQ(lines.size(), 2U) << server.stdout_text();
  if (lines[0].find("/nope/") != std::string::npos) {
    std::swap(lines[0], lines[1]);
  }
  EXPECT_NE(lines[0].find("method=GET path=\"/lettings/?q=1\" status=200"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("user_agent=\"integration-check/1.0\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("method=GET path=\"/nope/\" status=404"), std::string::npos) << lines[1];
}

TEST(AccessLog, StartupLineNamesTheAddressButNotTheSecret) {
  const ServerProcess server;
  const auto log = server.stderr_text();
  EXPECT_NE(log.find("listening on http://127.0.0.1:" + std::to_string(server.port())), std::string::npos);
  EXPECT_EQ(log.find("integration-test-secret-key"), std::string::npos);
}

}  // namespace
}  // namespace ocl::integration
