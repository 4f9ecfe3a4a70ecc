#pragma once
/// @file
/// @brief The monitoring client: turns exceptions, log records and requests into envelopes.

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <spdlog/common.h>

#include "config/settings.hpp"
#include "http/context.hpp"
#include "monitoring/event.hpp"
#include "monitoring/profiler.hpp"
#include "monitoring/scope.hpp"
#include "monitoring/transport.hpp"

namespace ocl::monitoring {

/// @brief Counts requests per minute for release health (request-mode session aggregates).
class SessionAggregates {
 public:
  enum class Outcome { exited, errored, crashed };
  /// @brief Counts one finished request in the current minute.
  void record(Outcome outcome);
  /// @brief The `sessions` payload for `release`/`environment` and resets; nullopt when nothing was counted.
  std::optional<boost::json::object> take(const std::string& release, const std::string& environment);

 private:
  struct Counts {
    std::uint64_t exited = 0;
    std::uint64_t errored = 0;
    std::uint64_t crashed = 0;
  };
  std::mutex mutex_;
  std::map<std::int64_t, Counts> buckets_;  ///< by minute since the epoch
};

/// @brief One configured client; created by init() only when a DSN is set.
class Client {
 public:
  /// @brief Starts the sender thread for `settings` (a valid DSN, or none to send to Spotlight only).
  explicit Client(const config::SentrySettings& settings, TransportOptions transport = {});

  /// @brief Starts the scope of a request: continues the caller's trace (`sentry-trace`, `baggage`) or starts one.
  [[nodiscard]] TraceContext start_trace(const http::Request& request) const;
  /// @brief Starts sampling the calling thread's stack for a sampled transaction, at profiles_sample_rate.
  void start_profile(RequestScope& scope);
  /// @brief Sends the request's transaction (when sampled, with its profile) and counts its session outcome.
  void finish_request(RequestScope& scope, unsigned http_status);
  /// @brief Sends an error event for an unhandled exception in a request; returns its event id.
  std::string capture_exception(const std::exception_ptr& error, const http::Context* context);
  /// @brief A log record: a breadcrumb, and at INFO or above an event (unless `breadcrumb_only`).
  void capture_log(spdlog::level::level_enum level, std::string_view logger, std::string_view message,
                   bool breadcrumb_only);
  /// @brief Queues pending session aggregates and client reports, then waits for the queue, at most `timeout`.
  bool flush(std::chrono::milliseconds timeout);
  /// @brief Flushes for at most `timeout` and stops the sender.
  void close(std::chrono::milliseconds timeout);

  [[nodiscard]] const EventDefaults& defaults() const { return defaults_; }
  [[nodiscard]] Transport& transport() { return *transport_; }

 private:
  void send_event(boost::json::object event, const TraceContext* trace, std::function<void(Envelope&)> prepare = {},
                  std::string_view item_type = "event");
  void send_sessions();
  /// When a finished request started and ended, its status and whether a route matched.
  struct TransactionTiming {
    double start = 0;
    double end = 0;
    unsigned http_status = 0;
    bool routed = false;
  };
  void send_transaction(RequestScope& scope, unsigned http_status, std::optional<ThreadProfile> profile);
  void build_transaction(Envelope& envelope, const boost::json::object& request_data, const TraceContext& trace,
                         const std::vector<SpanRecord>& spans, const TransactionTiming& timing) const;

  EventDefaults defaults_;
  SessionAggregates sessions_;
  std::mutex global_breadcrumbs_mutex_;
  std::vector<Breadcrumb> global_breadcrumbs_;  ///< log records outside any request
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<Profiler> profiler_;  ///< only when profiles_sample_rate > 0
};

/// @brief The running client, or nullptr when monitoring is off.
Client* client() noexcept;

/// @brief Creates the client when a DSN or Spotlight is set (and installs the log and throw hooks); else does nothing.
void init(const config::SentrySettings& settings);

/// @brief Flushes for at most `timeout`, stops and destroys the client; does nothing when monitoring is off.
void shutdown(std::chrono::milliseconds timeout);

}  // namespace ocl::monitoring
