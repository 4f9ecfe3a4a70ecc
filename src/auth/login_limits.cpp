#include "auth/login_limits.hpp"

#include <algorithm>
#include <cctype>

#include "config/cpu_budget.hpp"

namespace ocl::auth {

namespace {
constexpr std::size_t max_waiting_sign_ins = 64;
}  // namespace
namespace {

constexpr auto sweep_interval = std::chrono::minutes(1);

std::string username_key(std::string_view username) {
  std::string key = "user:";
  for (const char character : username) {
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(character))));
  }
  return key;
}

std::string address_key(std::string_view address) {
  return "addr:" + std::string(address);
}

std::chrono::seconds ceil_seconds(LoginThrottle::Clock::duration duration) {
  return std::chrono::ceil<std::chrono::seconds>(duration);
}

}  // namespace

std::optional<std::chrono::seconds> LoginThrottle::refused_for(std::string_view username, std::string_view address,
                                                               Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  const auto by_user = remaining(username_key(username), now);
  const auto by_address = address.empty() ? std::nullopt : remaining(address_key(address), now);
  if (by_user && by_address) {
    return std::max(*by_user, *by_address);
  }
  return by_user ? by_user : by_address;
}

bool LoginThrottle::record_failure(std::string_view username, std::string_view address, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  forget_stale(now);
  const bool user_locked = add_failure(username_key(username), now);
  const bool address_locked = !address.empty() && add_failure(address_key(address), now);
  return user_locked || address_locked;
}

void LoginThrottle::record_success(std::string_view username) {
  const std::lock_guard lock(mutex_);
  entries_.erase(username_key(username));
}

std::optional<std::chrono::seconds> LoginThrottle::remaining(const std::string& key, Clock::time_point now) {
  const auto found = entries_.find(key);
  if (found == entries_.end() || !found->second.locked_until || *found->second.locked_until <= now) {
    return std::nullopt;
  }
  return ceil_seconds(*found->second.locked_until - now);
}

bool LoginThrottle::add_failure(const std::string& key, Clock::time_point now) {
  auto& entry = entries_[key];
  if (entry.locked_until && *entry.locked_until > now) {
    return false;
  }
  entry.locked_until.reset();
  while (!entry.failures.empty() && entry.failures.front() + limits_.window <= now) {
    entry.failures.pop_front();
  }
  entry.failures.push_back(now);
  if (entry.failures.size() < limits_.max_failures) {
    return false;
  }
  entry.failures.clear();
  entry.locked_until = now + limits_.lockout;
  return true;
}

void LoginThrottle::forget_stale(Clock::time_point now) {
  if (now - last_sweep_ < sweep_interval) {
    return;
  }
  last_sweep_ = now;
  std::erase_if(entries_, [&](const auto& item) {
    const auto& entry = item.second;
    const bool unlocked = !entry.locked_until || *entry.locked_until <= now;
    const bool no_recent = entry.failures.empty() || entry.failures.back() + limits_.window <= now;
    return unlocked && no_recent;
  });
}

// Sign-ins already queue in the server's slow lane (one thread per core but one); the gate
// only turns work away when far more sign-ins are waiting than the lane can serve soon.
HashingGate::HashingGate() : HashingGate(max_waiting_sign_ins, std::max(2U, config::usable_cores()) - 1) {}

HashingGate::HashingGate(std::size_t max_admitted, std::size_t max_hashing)
    : max_admitted_(std::max<std::size_t>(1, max_admitted)), max_hashing_(std::max<std::size_t>(1, max_hashing)) {}

HashingGate::Ticket::~Ticket() {
  if (gate_ != nullptr) {
    gate_->release_admission();
  }
}

std::optional<HashingGate::Ticket> HashingGate::try_admit() {
  const std::lock_guard lock(mutex_);
  if (admitted_ >= max_admitted_) {
    return std::nullopt;
  }
  ++admitted_;
  return Ticket(this);
}

void HashingGate::acquire_hashing() {
  std::unique_lock lock(mutex_);
  slot_freed_.wait(lock, [this] { return hashing_ < max_hashing_; });
  ++hashing_;
}

void HashingGate::release_hashing() {
  {
    const std::lock_guard lock(mutex_);
    --hashing_;
  }
  slot_freed_.notify_one();
}

void HashingGate::release_admission() {
  const std::lock_guard lock(mutex_);
  --admitted_;
}

}  // namespace ocl::auth
