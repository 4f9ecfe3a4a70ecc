#include "auth/login_limits.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ocl::auth {
namespace {

using namespace std::chrono_literals;
using Clock = LoginThrottle::Clock;

TEST(LoginThrottleTest, LocksAUsernameAfterFiveFailuresForFifteenMinutes) {
  LoginThrottle throttle;
  const auto start = Clock::now();
  for (int attempt = 0; attempt < 4; ++attempt) {
    EXPECT_FALSE(throttle.record_failure("Admin", "10.0.0." + std::to_string(attempt), start));
    EXPECT_FALSE(throttle.refused_for("admin", "10.0.0.9", start).has_value());
  }
  EXPECT_TRUE(throttle.record_failure("ADMIN", "10.0.0.5", start + 1min));
  EXPECT_EQ(throttle.refused_for("admin", "10.0.0.9", start + 1min), 900s);
  EXPECT_TRUE(throttle.refused_for("admin", "10.0.0.9", start + 15min).has_value());
  EXPECT_FALSE(throttle.refused_for("admin", "10.0.0.9", start + 16min).has_value());
  EXPECT_FALSE(throttle.refused_for("someone", "10.0.0.9", start + 2min).has_value());
}

TEST(LoginThrottleTest, LocksAnAddressTryingManyUsernames) {
  LoginThrottle throttle;
  const auto start = Clock::now();
  for (int attempt = 0; attempt < 5; ++attempt) {
    throttle.record_failure("user" + std::to_string(attempt), "192.0.2.1", start);
  }
  EXPECT_TRUE(throttle.refused_for("anyone", "192.0.2.1", start).has_value());
  EXPECT_FALSE(throttle.refused_for("anyone", "192.0.2.2", start).has_value());
}

TEST(LoginThrottleTest, FailuresOutsideTheWindowAndAfterSuccessDoNotCount) {
  LoginThrottle throttle;
  const auto start = Clock::now();
  for (int attempt = 0; attempt < 4; ++attempt) {
    throttle.record_failure("admin", "", start);
  }
  EXPECT_FALSE(throttle.record_failure("admin", "", start + 16min)) << "the first four fell out of the window";
  throttle.record_success("admin");
  for (int attempt = 0; attempt < 4; ++attempt) {
    EXPECT_FALSE(throttle.record_failure("admin", "", start + 17min));
  }
}

TEST(LoginThrottleTest, IsThreadSafe) {
  LoginThrottle throttle;
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::atomic<int> locks{0};
  for (int thread = 0; thread < 8; ++thread) {
    threads.emplace_back([&] {
      for (int attempt = 0; attempt < 100; ++attempt) {
        if (throttle.record_failure("shared", "", Clock::now())) ++locks;
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
