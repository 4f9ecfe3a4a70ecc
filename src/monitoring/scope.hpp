#pragma once
/// @file
/// @brief The per-request scope (trace, spans, breadcrumbs) and the RAII span used by instrumented code.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

namespace ocl::http {
struct Context;
}  // namespace ocl::http

namespace ocl::monitoring {

/// @brief Where a request sits in a distributed trace, and the trace's dynamic sampling context.
struct TraceContext {
  std::string trace_id;        ///< 32 hex digits
  std::string span_id;         ///< this request's (the transaction's) span, 16 hex digits
  std::string parent_span_id;  ///< the caller's span when continuing a trace, else empty
  bool sampled = false;        ///< whether a transaction is sent
  /// Sampled, but the send queue was crowded when the request started: nothing is recorded, the
  /// transaction is counted as dropped (Sentry's SDKs likewise back off when their transport lags).
  bool backpressure = false;
  /// @brief True when the request's spans are recorded.
  [[nodiscard]] bool recording() const { return sampled && !backpressure; }
  double sample_rand = 0;  ///< the random number the sampling decision compared against
  /// The caller's sentry-* baggage entries without their prefix (trace_id, public_key, sample_rate, ...);
  /// empty when this server starts the trace, and the sender then builds its own context
  /// (dynamic_sampling_context) so that a request pays nothing for it.
  std::vector<std::pair<std::string, std::string>> dsc;
  /// @brief True when the dsc came from the caller's baggage and must be passed on as is.
  [[nodiscard]] bool frozen_dsc() const { return !dsc.empty(); }
};

/// @brief One finished or open child span.
struct SpanRecord {
  std::string span_id;
  std::string parent_span_id;
  std::string op;
  std::string description;
  double start = 0;
  double end = 0;  ///< 0 while open
  boost::json::object data;
};

/// @brief A breadcrumb: something that happened before an event.
struct Breadcrumb {
  double timestamp = 0;
  std::string type;  ///< "log", "http", ...
  std::string category;
  std::string level;  ///< Sentry level: debug, info, warning, error, fatal
  std::string message;
};

/// @brief Appends `breadcrumb`, first dropping the oldest when `breadcrumbs` holds max_breadcrumbs.
void keep_newest(std::vector<Breadcrumb>& breadcrumbs, Breadcrumb breadcrumb);

/// @brief Everything monitoring records while one request is handled on a worker thread.
class RequestScope {
 public:
  static constexpr std::size_t max_breadcrumbs = 100;
  static constexpr std::size_t max_spans = 1000;

  /// @brief Starts a scope for a request in `trace`, timed from now.
  explicit RequestScope(TraceContext trace);

  /// @brief Opens a child span of the innermost open span; returns its index, or npos when not recorded.
  std::size_t open_span(std::string_view op, std::string_view description);
  /// @brief Closes the span `index` returned by open_span.
  void close_span(std::size_t index);
  /// @brief Data of span `index` (e.g. "db.system").
  boost::json::object& span_data(std::size_t index) { return spans_[index].data; }
  /// @brief Keeps the newest max_breadcrumbs breadcrumbs.
  void add_breadcrumb(Breadcrumb breadcrumb) { keep_newest(breadcrumbs_, std::move(breadcrumb)); }

  [[nodiscard]] const TraceContext& trace() const { return trace_; }
  [[nodiscard]] double start() const { return start_; }
  [[nodiscard]] const std::vector<SpanRecord>& spans() const { return spans_; }
  /// @brief Moves the spans out (when the request is finished).
  std::vector<SpanRecord> take_spans() { return std::move(spans_); }
  [[nodiscard]] const std::vector<Breadcrumb>& breadcrumbs() const { return breadcrumbs_; }
  /// @brief The innermost open span's id (the transaction's when none is open).
  [[nodiscard]] const std::string& active_span_id() const;

  const http::Context* context = nullptr;  ///< the request, while it is handled
  bool errored = false;                    ///< an error-level event was captured during the request
  bool crashed = false;                    ///< the request ended in an unhandled exception
  bool profiled = false;                   ///< the request's thread is being sampled

 private:
  TraceContext trace_;
  double start_;
  std::vector<SpanRecord> spans_;
  std::vector<std::size_t> open_;
  std::vector<Breadcrumb> breadcrumbs_;  // a vector allocates nothing for the many requests without any
};

/// @brief The scope of the request the current thread is handling, or nullptr.
RequestScope* current_scope() noexcept;

/// @brief Makes `scope` the current thread's scope for the guard's lifetime.
class ActiveScope {
 public:
  explicit ActiveScope(RequestScope& scope);
  ~ActiveScope();
  ActiveScope(const ActiveScope&) = delete;
  ActiveScope& operator=(const ActiveScope&) = delete;

 private:
  RequestScope* previous_;
};

/// @brief Times a piece of work as a child span of the current request; does nothing (one branch)
/// when the thread handles no sampled request.
class Span {
 public:
  Span(std::string_view op, std::string_view description) {
    if (auto* scope = current_scope(); scope != nullptr && scope->trace().recording()) {
      open(*scope, op, description);
    }
  }
  ~Span() {
    if (scope_ != nullptr) {
      scope_->close_span(index_);
    }
  }
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  /// @brief Sets a data attribute when the span is recorded.
  template <typename Value>
  void set(std::string_view key, Value&& value) {
    if (scope_ != nullptr) {
      scope_->span_data(index_)[key] = std::forward<Value>(value);
    }
  }

 private:
  void open(RequestScope& scope, std::string_view op, std::string_view description);

  RequestScope* scope_ = nullptr;
  std::size_t index_ = 0;
};

}  // namespace ocl::monitoring
