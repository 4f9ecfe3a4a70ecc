// PostgreSQL going away under load: the site answers 503 at once (never hangs, never 500) once its
// cached pages are too old, /readyz fails so a balancer stops sending traffic, and it serves again
// without a restart.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "load.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

using Clock = std::chrono::steady_clock;

TEST(DatabaseOutage, StoppedPostgresqlGivesQuick503sThenServesAgainWithoutRestart) {
  if (!on_postgresql()) {
    GTEST_SKIP() << "runs in the PostgreSQL suite (scripts/postgres.sh run)";
  }
  PostgresCluster cluster;  // private: stopping it must not disturb the other tests
  const TempDir work;
  auto environment = base_environment(work.file("unused.sqlite3"));
  environment["DATABASE_URL"] = cluster.url();
  for (const auto& args : {std::vector<std::string>{"migrate"},
                           std::vector<std::string>{"loaddata", source_path("fixtures/demo.json").string()}}) {
    const auto result = run_cli(args, environment, work.path());
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  constexpr auto page_max_age = 300ms;  // cached pages may still be served this long into the outage
  ServerProcess server{{.seed = Seed::nothing,
                        .overrides = {{"DATABASE_URL", cluster.url()},
                                      {"PAGE_CACHE_MAX_AGE_MS", std::to_string(page_max_age.count())}}}};
  PageLoad load(server.port(), {"/lettings/1/", "/profiles/", "/lettings/", "/profiles/AirWow/"}, 4);

  const auto up = Clock::now();
  std::this_thread::sleep_for(1s);
  const auto stopping = Clock::now();
  cluster.stop();
  const auto stopped = Clock::now();
  EXPECT_EQ(server.get("/readyz").result_int(), 503U) << "a balancer must take the instance out";
  std::this_thread::sleep_for(2s);
  const auto starting = Clock::now();
  cluster.start();
  const auto deadline = Clock::now() + 10s;
  while (server.get("/readyz").result_int() != 200U && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  const auto ready = Clock::now();
  std::this_thread::sleep_for(1s);
  load.stop();

  const auto before = load.sent_between(up, stopping);
  EXPECT_GT(before.size(), 20U);
  EXPECT_EQ(count_status(before, 200), before.size()) << "every page answers while the database is up";

  const auto cached_at_most_until = stopped + page_max_age;
  const auto early = load.sent_between(stopped, cached_at_most_until);
  EXPECT_EQ(count_status(early, 200) + count_status(early, 503), early.size()) << "a cached page or a 503";
  const auto during = load.sent_between(cached_at_most_until, starting);
  ASSERT_GT(during.size(), 20U) << "requests kept being answered during the outage";
  EXPECT_EQ(count_status(during, 503), during.size()) << "every page answers 503 once its cached copy is too old";
  EXPECT_LT(slowest(during), 1000ms) << "503s come at once, not after a timeout";

  EXPECT_LT(ready - starting, 10s) << "/readyz recovers without a restart";
  const auto after = load.sent_between(ready, Clock::now());
  EXPECT_GT(after.size(), 20U);
  EXPECT_EQ(count_status(after, 200), after.size()) << "every page answers again once the database is back";
  EXPECT_TRUE(server.wait_for_stderr("database unavailable", 0ms)) << "outage logged: " << server.stderr_text();
}

}  // namespace
}  // namespace ocl::integration
