#pragma once
/// @file
/// @brief Limits on signing in: a throttle on repeated failures and a gate on concurrent password hashing.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ocl::auth {

/// @brief Counts failed sign-ins per username and per client address, in memory (one server process).
///
/// After `max_failures` failures for one key within `window`, that key is refused for `lockout`.
/// Thread-safe. The counts are lost on restart, which only shortens a lockout.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  /// @brief The limits; the defaults are 5 failures in 15 minutes, then 15 minutes refused.
  struct Limits {
    std::size_t max_failures = 5;
    std::chrono::seconds window{15 * 60};
    std::chrono::seconds lockout{15 * 60};
  };

  LoginThrottle() : LoginThrottle(Limits{}) {}
  explicit LoginThrottle(Limits limits) : limits_(limits) {}

  /// @brief How long the username or the address is still refused, or nullopt when attempts are allowed.
  [[nodiscard]] std::optional<std::chrono::seconds> refused_for(std::string_view username, std::string_view address,
                                                                Clock::time_point now);
  /// @brief Records a failure; true when it starts a lockout (for the username or the address).
  bool record_failure(std::string_view username, std::string_view address, Clock::time_point now);
  /// @brief Forgets the username's failures after a successful sign-in (the address keeps its count).
  void record_success(std::string_view username);
  /// @brief The limits in force.
  [[nodiscard]] const Limits& limits() const { return limits_; }

 private:
  struct Entry {
    std::deque<Clock::time_point> failures;
    std::optional<Clock::time_point> locked_until;
  };

  std::optional<std::chrono::seconds> remaining(const std::string& key, Clock::time_point now);
  bool add_failure(const std::string& key, Clock::time_point now);
  void forget_stale(Clock::time_point now);

  Limits limits_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
  Clock::time_point last_sweep_{};
};

/// @brief Bounds how many requests may be checking or hashing a password at once, so sign-ins never take every
/// worker thread from the public pages. Requests beyond `max_admitted` are turned away at once (the caller answers
/// "busy, try again"); of the admitted, at most `max_hashing` compute at a time, the others wait their turn.
class HashingGate {
 public:
  /// @brief Defaults: up to 64 admitted (a bound for overload), hashing = cores - 1 (at least 1).
  HashingGate();
  HashingGate(std::size_t max_admitted, std::size_t max_hashing);

  /// @brief Holds an admission until destroyed.
  class Ticket {
   public:
    explicit Ticket(HashingGate* gate) : gate_(gate) {}
    Ticket(Ticket&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();

    /// @brief Runs `work` once a hashing slot is free.
    template <typename Work>
    auto run(Work&& work) -> decltype(work()) {
      gate_->acquire_hashing();
      struct Release {
        HashingGate* gate;
        ~Release() { gate->release_hashing(); }
      } release{gate_};
      return work();
    }

   private:
    HashingGate* gate_;
  };

  /// @brief An admission, or nullopt when too many password checks are already under way.
  std::optional<Ticket> try_admit();

 private:
  void acquire_hashing();
  void release_hashing();
  void release_admission();

  std::size_t max_admitted_;
  std::size_t max_hashing_;
  std::size_t admitted_ = 0;
  std::size_t hashing_ = 0;
  std::mutex mutex_;
  std::condition_variable slot_freed_;
};

}  // namespace ocl::auth
