#pragma once
/// @file
/// @brief Sentry envelopes: a JSON header line, then items (header line + payload line).

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace ocl::monitoring {

/// @brief One envelope item: its type ("event", "transaction", "sessions", ...) and JSON payload.
struct EnvelopeItem {
  std::string type;
  boost::json::value payload;
};

/// @brief An envelope on its way to Sentry.
struct Envelope {
  boost::json::object header;
  std::vector<EnvelopeItem> items;
  /// Runs on the sender thread just before serialisation (e.g. to build the JSON, symbolise a stack trace).
  std::function<void(Envelope&)> prepare;
  /// The category counted if the envelope is dropped before `prepare` added its items.
  std::string_view category;
};

/// @brief The envelope wire format: newline-separated JSON lines, each item with its length.
std::string serialize(const Envelope& envelope);

/// @brief The rate-limit / client-report data category of an item type ("event" -> "error").
std::string_view category_of(std::string_view item_type);

/// @brief gzip-compresses `data` (for `Content-Encoding: gzip`).
std::string gzip(std::string_view data);

/// @brief Per-category pauses from 429 answers, `Retry-After` and `X-Sentry-Rate-Limits`.
class RateLimits {
 public:
  using Clock = std::chrono::steady_clock;

  /// @brief Reads one answer's status and headers; returns true when a limit was set.
  bool update(long status, std::string_view retry_after, std::string_view sentry_limits, Clock::time_point now);
  /// @brief True while `category` (or every category) is paused.
  [[nodiscard]] bool limited(std::string_view category, Clock::time_point now) const;

 private:
  void pause(const std::string& category, Clock::time_point until);
  std::map<std::string, Clock::time_point, std::less<>> until_;  ///< "" pauses all categories
};

/// @brief Counts events the client dropped, by reason and category, for `client_report` items.
class ClientReports {
 public:
  /// @brief Records `quantity` dropped items of `category` for `reason` (queue_overflow, ratelimit_backoff, ...).
  void record(std::string_view reason, std::string_view category, std::uint64_t quantity = 1);
  /// @brief The pending report as a `client_report` payload, and resets the counts; nullopt when none.
  std::optional<boost::json::object> take();
  /// @brief Total dropped so far (reported or not).
  [[nodiscard]] std::uint64_t total() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> pending_;
  std::uint64_t total_ = 0;
};

}  // namespace ocl::monitoring
