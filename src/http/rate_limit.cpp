#include "http/rate_limit.hpp"

#include <algorithm>

namespace ocl::http {

RateLimiter::RateLimiter(std::size_t max_events, std::chrono::seconds window, std::size_t max_keys)
    : max_events_(max_events), window_(window), max_keys_(max_keys) {}

std::optional<std::chrono::seconds> RateLimiter::try_acquire(std::string_view key, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  auto found = events_.find(key);
  if (found == events_.end()) {
    if (events_.size() >= max_keys_) {
      forget_old(now);
    }
    if (events_.size() >= max_keys_ || max_events_ == 0) {
      return window_;
    }
    found = events_.emplace(std::string(key), std::deque<Clock::time_point>{}).first;
  }
  auto& times = found->second;
  while (!times.empty() && times.front() + window_ <= now) {
    times.pop_front();
  }
  if (times.size() >= max_events_) {
    return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(times.front() + window_ - now));
  }
  times.push_back(now);
  return std::nullopt;
}

void RateLimiter::forget_old(Clock::time_point now) {
  std::erase_if(events_, [&](const auto& entry) { return entry.second.back() + window_ <= now; });
}

}  // namespace ocl::http
