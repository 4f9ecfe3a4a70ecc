// Several instances on one PostgreSQL behind HAProxy: a write through one is read through the
// other, and once one is killed (kill -9) under load, no request fails after the balancer's
// health checks have noticed.

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "admin_session.hpp"
#include "load.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

using Clock = std::chrono::steady_clock;

// HAProxy marks an instance down after `fall` failed checks `inter` apart.
constexpr auto check_interval = 200ms;
constexpr int checks_to_fail = 2;

std::string haproxy_config(std::uint16_t port, std::uint16_t first, std::uint16_t second) {
  return "global\n"
         "  maxconn 512\n"
         "defaults\n"
         "  mode http\n"
         "  timeout connect 1s\n"
         "  timeout client 10s\n"
         "  timeout server 10s\n"
         // A request that found a dead instance is sent to the other one.
         "  retries 3\n"
         "  option redispatch 1\n"
         "  retry-on conn-failure empty-response response-timeout\n"
         "frontend site\n"
         "  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  default_backend instances\n"
         "backend instances\n"
         "  balance roundrobin\n"
         "  option httpchk\n"
         "  http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1\n"
         "  http-check expect status 200\n"
         "  default-server inter " +
         std::to_string(check_interval.count()) + "ms fall " + std::to_string(checks_to_fail) +
         " rise 1\n"
         "  server first 127.0.0.1:" +
         std::to_string(first) +
         " check\n"
         "  server second 127.0.0.1:" +
         std::to_string(second) + " check\n";
}

TEST(ScaleOut, TwoInstancesShareWritesAndSurviveKillDashNineBehindHaproxy) {
  if (!on_postgresql()) {
    GTEST_SKIP() << "runs in the PostgreSQL suite (scripts/postgres.sh run)";
  }
  constexpr auto max_age = 500ms;  // how long an instance may serve a page after another one changed its data
  const std::string max_age_ms = std::to_string(max_age.count());
  ServerProcess first{{.seed = Seed::shared_copy, .overrides = {{"PAGE_CACHE_MAX_AGE_MS", max_age_ms}}}};
  ServerProcess second{{.seed = Seed::nothing,
                        .overrides = {{"DATABASE_URL", first.database_url()}, {"PAGE_CACHE_MAX_AGE_MS", max_age_ms}}}};

  // A write through one instance is what the other one serves once its cached copy is too old.
  ASSERT_EQ(second.get("/lettings/1/").result_int(), 200U);  // now cached by the second instance
  AdminSession admin(first, "admin", "Abc1234!");
  ASSERT_TRUE(admin.logged_in());
  const auto address = query_text(first.database_url(), "SELECT address_id FROM lettings_letting WHERE id = 1");
  const auto saved = admin.post("/admin/lettings/letting/1/change/",
                                {{"title", "Written Through The First"}, {"address", address}, {"_save", "Save"}});
  ASSERT_EQ(saved.result_int(), 302U) << saved.body();
  EXPECT_NE(first.get("/lettings/1/").body().find("Written Through The First"), std::string::npos);
  std::this_thread::sleep_for(max_age + 50ms);
  EXPECT_NE(second.get("/lettings/1/").body().find("Written Through The First"), std::string::npos);

  const TempDir work;
  const auto port = unused_port();
  const auto config = work.file("haproxy.cfg");
  std::ofstream(config) << haproxy_config(port, first.port(), second.port());
  const BackgroundProgram haproxy("/usr/sbin/haproxy", {"-db", "-f", config.string()});
  ASSERT_TRUE(wait_for_status(port, "/readyz", 200, 10s)) << haproxy.output();

  PageLoad load(port, {"/", "/lettings/", "/lettings/1/", "/profiles/", "/profiles/HeadlinesGazer/"}, 4);
  std::this_thread::sleep_for(1s);
  const auto killed = Clock::now();
  first.send_signal(SIGKILL);
  std::this_thread::sleep_for(3s);
  load.stop();

  const auto before = load.sent_between(killed - 1s, killed);
  EXPECT_GT(before.size(), 20U);
  EXPECT_EQ(count_status(before, 200), before.size());
  // Allow the checks that mark the killed instance down, plus one check of slack.
  const auto noticed = killed + check_interval * (checks_to_fail + 1);
  const auto around = load.sent_between(killed, noticed);
  const auto after = load.sent_between(noticed, Clock::now());
  ASSERT_GT(after.size(), 50U) << "the remaining instance kept serving";
  EXPECT_EQ(count_status(after, 200), after.size())
      << "no request fails once the balancer noticed; " << after.size() - count_status(after, 200) << " did";
  std::cout << "[ scale-out ] answered through HAProxy: " << before.size() << " before the kill, " << around.size()
            << " while the checks noticed (" << around.size() - count_status(around, 200) << " failed), "
            << after.size() << " after (" << after.size() - count_status(after, 200) << " failed)\n";
}

}  // namespace
}  // namespace ocl::integration
