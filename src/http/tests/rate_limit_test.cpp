#include "http/rate_limit.hpp"

#include <gtest/gtest.h>

namespace ocl::http {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiterTest, AllowsNEventsPerKeyInTheWindow) {
  RateLimiter limiter(3, 60s);
  const auto start = RateLimiter::Clock::now();
  for (int event = 0; event < 3; ++event) {
    EXPECT_FALSE(limiter.try_acquire("10.0.0.1", start + std::chrono::seconds(event)).has_value());
  }
  EXPECT_EQ(limiter.try_acquire("10.0.0.1", start + 10s), 50s) << "until the first event leaves the window";
  EXPECT_FALSE(limiter.try_acquire("10.0.0.2", start + 10s).has_value()) << "each key has its own count";
  EXPECT_FALSE(limiter.try_acquire("10.0.0.1", start + 60s).has_value());
}

TEST(RateLimiterTest, ZeroAllowsNothing) {
  RateLimiter limiter(0, 60s);
  EXPECT_TRUE(limiter.try_acquire("10.0.0.1").has_value());
}

TEST(RateLimiterTest, MemoryIsBoundedByTheNumberOfKeys) {
  RateLimiter limiter(1, 60s, 2);
  const auto start = RateLimiter::Clock::now();
  EXPECT_FALSE(limiter.try_acquire("a", start).has_value());
  EXPECT_FALSE(limiter.try_acquire("b", start).has_value());
  EXPECT_TRUE(limiter.try_acquire("c", start).has_value()) << "full: a new key is refused";
  EXPECT_FALSE(limiter.try_acquire("c", start + 61s).has_value()) << "once the old keys aged out";
}

}  // namespace
}  // namespace ocl::http
