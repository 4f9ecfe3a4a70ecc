#pragma once
/// @file
/// @brief A per-client limit on how often something may happen (at most N times in a sliding window).

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ocl::http {

/// @brief Allows each key (a client address) at most `max_events` in any `window`; thread-safe, in memory.
///
/// Memory is bounded: past `max_keys` distinct keys with recent events, new keys are refused until old ones
/// age out, so a flood of addresses costs a refusal, never unbounded memory.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(std::size_t max_events, std::chrono::seconds window, std::size_t max_keys = 10'000);

  /// @brief Records an event for `key` and returns nullopt when allowed; otherwise how long until the next
  /// event would be (nothing is recorded).
  std::optional<std::chrono::seconds> try_acquire(std::string_view key, Clock::time_point now = Clock::now());

 private:
  void forget_old(Clock::time_point now);

  std::size_t max_events_;
  std::chrono::seconds window_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>, std::less<>> events_;
};

}  // namespace ocl::http
