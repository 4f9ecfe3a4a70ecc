#include "auth/login_limits.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "db/database.hpp"
#include "db/database_url.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::auth {
namespace {

using namespace std::chrono_literals;
using Clock = LoginThrottle::Clock;

/// A throttle over a real SQLite file (the Django database's copy, which has no throttle table yet).
class LoginThrottleTest : public ::testing::Test {
 protected:
  db::testing::TempDirectory directory;
  std::unique_ptr<db::Database> database =
      db::open_database(db::parse_database_url("sqlite:///" + db::testing::copy_django_database(directory)), 4);
  LoginThrottle throttle{*database};
  Clock::time_point start = Clock::now();

  std::int64_t rows() {
    auto connection = database->lease();
    return db::testing::count_rows(*connection, "ocl_login_failure");
  }
};

TEST_F(LoginThrottleTest, LocksAUsernameFromOneAddressAfterFiveFailuresForFifteenMinutes) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    EXPECT_FALSE(throttle.record_failure("Admin", "10.0.0.1", start));
    EXPECT_FALSE(throttle.refused_for("admin", "10.0.0.1", start).has_value());
  }
  EXPECT_TRUE(throttle.record_failure("ADMIN", "10.0.0.1", start + 1min));
  EXPECT_EQ(throttle.refused_for("admin", "10.0.0.1", start + 1min), 900s);
  EXPECT_TRUE(throttle.refused_for("admin", "10.0.0.1", start + 15min).has_value());
  EXPECT_FALSE(throttle.refused_for("admin", "10.0.0.1", start + 16min).has_value());
  EXPECT_FALSE(throttle.refused_for("someone", "10.0.0.1", start + 2min).has_value()) << "other usernames may try";
}

TEST_F(LoginThrottleTest, AUsernameHammeredFromOneAddressStaysOpenToEveryOther) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (!throttle.refused_for("admin", "198.51.100.7", start)) {
      throttle.record_failure("admin", "198.51.100.7", start);
    }
  }
  EXPECT_TRUE(throttle.refused_for("admin", "198.51.100.7", start).has_value());
  EXPECT_FALSE(throttle.refused_for("admin", "203.0.113.20", start).has_value());
}

TEST_F(LoginThrottleTest, FailuresSpreadOverManyAddressesNeverLockTheUsername) {
  for (int attempt = 0; attempt < 40; ++attempt) {
    throttle.record_failure("admin", "10.0.1." + std::to_string(attempt), start);
  }
  EXPECT_FALSE(throttle.refused_for("admin", "10.0.2.1", start).has_value());
}

TEST_F(LoginThrottleTest, LocksAnAddressTryingManyUsernames) {
  const auto per_address = throttle.limits().max_failures_per_address;
  bool locked = false;
  for (std::int64_t attempt = 0; attempt < per_address; ++attempt) {
    locked = throttle.record_failure("user" + std::to_string(attempt), "192.0.2.1", start);
  }
  EXPECT_TRUE(locked) << "the last failure starts the address's lockout";
  EXPECT_TRUE(throttle.refused_for("anyone", "192.0.2.1", start).has_value());
  EXPECT_FALSE(throttle.refused_for("anyone", "192.0.2.2", start).has_value());
}

TEST_F(LoginThrottleTest, FailuresOutsideTheWindowAndAfterSuccessDoNotCount) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    throttle.record_failure("admin", "10.0.0.1", start);
  }
  EXPECT_FALSE(throttle.record_failure("admin", "10.0.0.1", start + 16min)) << "the first four fell out of the window";
  throttle.record_success("admin", "10.0.0.1");
  for (int attempt = 0; attempt < 4; ++attempt) {
    EXPECT_FALSE(throttle.record_failure("admin", "10.0.0.1", start + 17min));
  }
}

TEST_F(LoginThrottleTest, AnotherThrottleOnTheSameDatabaseSeesTheCounts) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    throttle.record_failure("admin", "10.0.0.1", start);
  }
  LoginThrottle restarted{*database};
  EXPECT_TRUE(restarted.refused_for("admin", "10.0.0.1", start + 1min).has_value());
}

TEST_F(LoginThrottleTest, OldRowsAreSwept) {
  throttle.record_failure("admin", "10.0.0.1", start);
  throttle.record_failure("other", "10.0.0.2", start);
  EXPECT_EQ(rows(), 4) << "a row per pair and per address";
  throttle.record_failure("late", "10.0.0.3", start + 20min);
  EXPECT_EQ(rows(), 2) << "only the recent failure's rows are left";
}

TEST_F(LoginThrottleTest, ChangesNoCachedPage) {
  int changes = 0;
  database->on_change([&changes] { ++changes; });
  throttle.record_failure("admin", "10.0.0.1", start);
  throttle.record_success("admin", "10.0.0.1");
  EXPECT_EQ(changes, 0);
}

TEST_F(LoginThrottleTest, ConcurrentFailuresStartOneLockout) {
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> locks{0};
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&] {
      for (int attempt = 0; attempt < 3; ++attempt) {  // 12 in all: past the pair's limit, not the address's
        if (throttle.record_failure("shared", "10.0.0.1", start)) ++locks;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(locks.load(), 1) << "once locked, failures do not start another lockout";
}

TEST(HashingGateTest, AdmitsABoundedNumberAndSerializesHashing) {
  HashingGate gate(2, 1);
  auto first = gate.try_admit();
  auto second = gate.try_admit();
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(gate.try_admit().has_value());
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  auto work = [&] {
    const int now = ++running;
    most = std::max(most.load(), now);
    std::this_thread::sleep_for(20ms);
    --running;
    return now;
  };
  std::thread other([&] { second->run(work); });
  first->run(work);
  other.join();
  EXPECT_EQ(most.load(), 1);
  first.reset();
  EXPECT_TRUE(gate.try_admit().has_value()) << "a released ticket frees its admission";
}

}  // namespace
}  // namespace ocl::auth
