#pragma once
/// @file
/// @brief Limits on signing in: a throttle on repeated failures and a gate on concurrent password hashing.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "db/database.hpp"

namespace ocl::auth {

/// @brief Counts failed sign-ins in the database, as django-axes does: per (username, client address) and per
/// client address, so every instance behind a load balancer sees the same counts and a restart keeps them.
///
/// A pair is refused for `lockout` after `max_failures_per_pair` failures within `window`; an address (trying many
/// usernames) after `max_failures_per_address`. A username alone is never locked: the right password from a
/// client without failures signs in while another client hammers that username. Rows are kept in
/// `ocl_login_failure`, a table of this project's own that Django ignores; old ones are swept.
/// Call it from worker threads only (it queries the database).
class LoginThrottle {
 public:
  using Clock = std::chrono::system_clock;

  /// @brief The limits; the defaults: 5 failures of a pair or 20 of an address in 15 minutes, then 15 minutes refused.
  struct Limits {
    std::int64_t max_failures_per_pair = 5;
    std::int64_t max_failures_per_address = 20;
    std::chrono::seconds window{15 * 60};
    std::chrono::seconds lockout{15 * 60};
  };

  explicit LoginThrottle(db::Database& database) : LoginThrottle(database, Limits{}) {}
  LoginThrottle(db::Database& database, Limits limits) : database_(database), limits_(limits) {}

  /// @brief How long this username from this address is still refused, or nullopt when it may try.
  [[nodiscard]] std::optional<std::chrono::seconds> refused_for(std::string_view username, std::string_view address,
                                                                Clock::time_point now = Clock::now());
  /// @brief Records a failure; true when it starts a lockout (of the pair or of the address).
  bool record_failure(std::string_view username, std::string_view address, Clock::time_point now = Clock::now());
  /// @brief Forgets the pair's failures after a successful sign-in (the address keeps its count).
  void record_success(std::string_view username, std::string_view address);
  /// @brief The limits in force.
  [[nodiscard]] const Limits& limits() const { return limits_; }

  /// @brief Creates the table if it is missing (migrate runs it; the throttle too, before its first use).
  static void create_table(db::Connection& connection);

 private:
  void ensure_table(db::Connection& connection);
  void sweep(db::Connection& connection, std::int64_t now);

  db::Database& database_;
  Limits limits_;
  std::atomic<bool> table_ready_{false};
  std::atomic<std::int64_t> last_sweep_{0};
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
