#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ocl::config {
namespace {

Environment minimal() {
  return {{"SECRET_KEY", "s3cret"}};
}

TEST(Settings, DefaultsMatchTheDocumentedOnes) {
  const auto settings = load_settings(minimal());
  EXPECT_FALSE(settings.debug);
  EXPECT_EQ(settings.port, 8000);
  EXPECT_EQ(settings.host, "127.0.0.1");
  EXPECT_EQ(settings.database.path, "oc-lettings-site.sqlite3");
  EXPECT_EQ(settings.log_level, spdlog::level::info);
  EXPECT_EQ(settings.static_root, "static");
  EXPECT_TRUE(settings.allowed_hosts.empty());
  EXPECT_EQ(settings.limits.request_timeout_seconds, 30);
  EXPECT_EQ(settings.limits.keep_alive_timeout_seconds, 15);
  EXPECT_EQ(settings.limits.max_connections, 1000);
}

TEST(Settings, SecretKeyIsRequiredUnlessDebug) {
  try {
    (void)load_settings({});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.variable(), "SECRET_KEY");
  }
  const auto debug = load_settings({{"DEBUG", "true"}});
  EXPECT_TRUE(debug.debug);
  EXPECT_FALSE(debug.secret_key.empty());
  EXPECT_TRUE(debug.host_allowed("localhost:8000"));
}

TEST(Settings, BadValuesNameTheirVariable) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"PORT", "abc"},
      {"PORT", "0"},
      {"PORT", "70000"},
      {"DEBUG", "maybe"},
      {"LOG_LEVEL", "loud"},
      {"DATABASE_URL", "mysql://x/y"},
      {"HOST", " "},
      {"REQUEST_TIMEOUT", "0"},
      {"KEEP_ALIVE_TIMEOUT", "-1"},
      {"MAX_CONNECTIONS", "many"},
  };
  for (const auto& [variable, value] : cases) {
    auto environment = minimal();
    environment[variable] = value;
    try {
      (void)load_settings(environment);
      FAIL() << variable << "=" << value << " was accepted";
    } catch (const ConfigError& error) {
      EXPECT_EQ(error.variable(), variable);
      EXPECT_NE(std::string(error.what()).find(variable), std::string::npos);
    }
  }
}

TEST(Settings, ParsesEveryVariable) {
  auto environment = minimal();
  environment["DEBUG"] = "Yes";
  environment["ALLOWED_HOSTS"] = " Example.com, .oc-lettings.test ,,";
  environment["RENDER_EXTERNAL_HOSTNAME"] = "oc.onrender.com";
  environment["DATABASE_URL"] = "sqlite:////var/data/site.sqlite3";
  environment["HOST"] = "0.0.0.0";
  environment["PORT"] = "9090";
  environment["LOG_LEVEL"] = "warning";
  environment["STATIC_ROOT"] = "/app/static";
  environment["REQUEST_TIMEOUT"] = "5";
  environment["KEEP_ALIVE_TIMEOUT"] = " 2 ";
  environment["MAX_CONNECTIONS"] = "64";
  const auto settings = load_settings(environment);
  EXPECT_EQ(settings.limits.request_timeout_seconds, 5);
  EXPECT_EQ(settings.limits.keep_alive_timeout_seconds, 2);
  EXPECT_EQ(settings.limits.max_connections, 64);
  EXPECT_TRUE(settings.debug);
  EXPECT_EQ(settings.allowed_hosts, (std::vector<std::string>{"example.com", ".oc-lettings.test", "oc.onrender.com"}));
  EXPECT_EQ(settings.database.path, "/var/data/site.sqlite3");
  EXPECT_EQ(settings.host, "0.0.0.0");
  EXPECT_EQ(settings.port, 9090);
  EXPECT_EQ(settings.log_level, spdlog::level::warn);
  EXPECT_EQ(settings.static_root, "/app/static");
}

TEST(Settings, HostMatchingFollowsDjango) {
  auto environment = minimal();
  environment["ALLOWED_HOSTS"] = "example.com,.oc-lettings.test,[::1]";
  const auto settings = load_settings(environment);
  EXPECT_TRUE(settings.host_allowed("example.com"));
  EXPECT_TRUE(settings.host_allowed("EXAMPLE.com:8000"));
  EXPECT_TRUE(settings.host_allowed("oc-lettings.test"));
  EXPECT_TRUE(settings.host_allowed("www.oc-lettings.test"));
  EXPECT_TRUE(settings.host_allowed("[::1]:8000"));
  EXPECT_FALSE(settings.host_allowed("evil.com"));
  EXPECT_FALSE(settings.host_allowed("example.com.evil.com"));
  EXPECT_FALSE(settings.host_allowed("xoc-lettings.test"));
  EXPECT_FALSE(settings.host_allowed(""));
  EXPECT_FALSE(settings.host_allowed("[::1"));
}

TEST(Settings, AnyHostWithStar) {
  auto environment = minimal();
  environment["ALLOWED_HOSTS"] = "*";
  EXPECT_TRUE(load_settings(environment).host_allowed("anything.example"));
}

TEST(Dotenv, ParsesKeysQuotesCommentsAndExport) {
  const auto environment = parse_dotenv(
      "# comment\n"
      "SECRET_KEY=abc\n"
      "export DEBUG=true\n"
      "ALLOWED_HOSTS = \"a.com,b.com\"\n"
      "QUOTED='single'\n"
      "no_equals_line\n"
      "\n"
      "EMPTY=\n");
  EXPECT_EQ(environment.at("SECRET_KEY"), "abc");
  EXPECT_EQ(environment.at("DEBUG"), "true");
  EXPECT_EQ(environment.at("ALLOWED_HOSTS"), "a.com,b.com");
  EXPECT_EQ(environment.at("QUOTED"), "single");
  EXPECT_EQ(environment.at("EMPTY"), "");
  EXPECT_FALSE(environment.contains("no_equals_line"));
}

TEST(Dotenv, RealEnvironmentWinsOverTheFile) {
  const auto path = std::filesystem::temp_directory_path() / "ocl-dotenv-test.env";
  {
    std::ofstream file{path};
    file << "OCL_DOTENV_ONLY=from-file\nOCL_DOTENV_BOTH=from-file\n";
  }
  ::setenv("OCL_DOTENV_BOTH", "from-env", 1);
  const auto environment = read_environment(path.string());
  ::unsetenv("OCL_DOTENV_BOTH");
  std::filesystem::remove(path);
  EXPECT_EQ(environment.at("OCL_DOTENV_ONLY"), "from-file");
  EXPECT_EQ(environment.at("OCL_DOTENV_BOTH"), "from-env");
}

}  // namespace
}  // namespace ocl::config
