#pragma once
/// @file
/// @brief The one background sender: a bounded queue of envelopes posted with libcurl.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "monitoring/envelope.hpp"

namespace ocl::monitoring {

/// @brief Where and how the transport sends.
struct TransportOptions {
  std::string url;             ///< the DSN's envelope endpoint
  std::string auth;            ///< X-Sentry-Auth header value
  std::string spotlight_url;   ///< also post every envelope here (uncompressed), or empty
  std::size_t capacity = 100;  ///< envelopes waiting at most; more are dropped (queue_overflow)
  std::size_t reserved = 20;   ///< places kept for errors and log events: transactions stop short of them
  std::chrono::milliseconds connect_timeout{3'000};
  std::chrono::milliseconds request_timeout{15'000};
  int max_attempts = 3;                             ///< network failures and 5xx answers are retried
  std::chrono::milliseconds first_backoff{500};     ///< doubled after each failed attempt
  std::chrono::milliseconds tick_interval{60'000};  ///< how often the tick callback runs
  bool debug = false;                               ///< log what is sent and why something is dropped
};

/// @brief Owns the queue and the sender thread; enqueue() never blocks on the network.
class Transport {
 public:
  explicit Transport(TransportOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  /// @brief Queues an envelope; returns false (and counts the drop) when full, rate-limited or stopped.
  bool enqueue(Envelope envelope);
  /// @brief True when transactions should back off (checked before recording or building one): the
  /// queue is full but for the places reserved for errors and log events.
  [[nodiscard]] bool crowded() const;
  /// @brief How many envelopes wait to be sent.
  [[nodiscard]] std::size_t queued() const { return queued_.load(std::memory_order_relaxed); }
  /// @brief Waits until every queued envelope was handled, at most `timeout`; true when drained.
  bool flush(std::chrono::milliseconds timeout);
  /// @brief Flushes for at most `timeout`, then stops the sender (aborting a send in progress).
  void shutdown(std::chrono::milliseconds timeout);
  /// @brief Calls `tick` on the sender thread every tick_interval (e.g. to queue session aggregates).
  void on_tick(std::function<void()> tick);
  /// @brief The dropped-event counts sent as client reports.
  ClientReports& reports() { return reports_; }
  /// @brief How many envelopes reached the server with a 2xx answer.
  [[nodiscard]] std::uint64_t delivered() const { return delivered_; }

 private:
  struct Answer {
    long status = 0;  ///< 0 on a network error
    std::string retry_after;
    std::string rate_limits;
  };

  void run();
  void deliver(Envelope& envelope);
  bool drop_limited_items(Envelope& envelope);
  void attach_client_report(Envelope& envelope);
  void send_with_retries(const Envelope& envelope, const std::string& body);
  Answer post(const std::string& url, const std::string& body, bool compressed);
  bool wait_backoff(std::chrono::milliseconds delay);
  void count_dropped(const Envelope& envelope, std::string_view reason);
  void debug(std::string_view message) const;

  TransportOptions options_;
  void* curl_ = nullptr;
  RateLimits limits_;
  ClientReports reports_;
  std::function<void()> tick_;
  std::deque<Envelope> queue_;
  std::atomic<std::size_t> queued_{0};  ///< queue_.size(), readable without the lock (crowded() on every request)
  bool busy_ = false;
  bool stopping_ = false;
  std::atomic<bool> abort_{false};
  std::atomic<std::uint64_t> delivered_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::thread sender_;
};

}  // namespace ocl::monitoring
