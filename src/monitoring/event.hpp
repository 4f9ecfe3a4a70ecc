#pragma once
/// @file
/// @brief Builds the JSON of Sentry events, transactions and envelope headers.

#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/context.hpp"
#include "monitoring/profiler.hpp"
#include "monitoring/scope.hpp"

namespace ocl::monitoring {

/// @brief What every event says about this server.
struct EventDefaults {
  std::string release;
  std::string environment;
  std::string server_name;
  std::string dsn;
  std::string public_key;
  double traces_sample_rate = 1.0;
  bool send_default_pii = false;
  double profiles_sample_rate = 0.0;
};

/// @brief The SDK's name and version, as sent in `sdk` and `X-Sentry-Auth`.
inline constexpr std::string_view sdk_name = "oc-lettings.sentry";

/// @brief A `profile` item (Sentry's sampled format, version 1) for `transaction`'s samples on one thread;
/// frames are symbolised here (call it on the sender thread).
boost::json::object profile_json(const EventDefaults& defaults, const boost::json::object& transaction,
                                 const ThreadProfile& profile);

/// @brief `sdk` object of events and envelope headers.
boost::json::object sdk_info();

/// @brief An event with id, timestamp, platform, release, environment, server_name, sdk and contexts (os, runtime).
boost::json::object base_event(const EventDefaults& defaults, const std::string& event_id);

/// @brief The `request` interface: url, method, query_string, headers (sensitive ones removed unless PII is on).
boost::json::object request_interface(const http::Context& context, bool send_default_pii);

/// @brief The `trace` context of a request scope (trace_id, span_id, parent_span_id, op).
boost::json::object trace_context(const TraceContext& trace);

/// @brief Breadcrumbs as the event's `breadcrumbs.values`.
boost::json::array breadcrumbs_json(const std::vector<Breadcrumb>& breadcrumbs);

/// @brief Child spans of a transaction in trace `trace_id`; a span still open ends at `end`.
boost::json::array spans_json(const std::vector<SpanRecord>& spans, const std::string& trace_id, double end);

/// @brief The dynamic sampling context for the envelope header's `trace`: the caller's when frozen, else
/// this server's (trace_id, public_key, release, environment, sample_rate, sample_rand, sampled and,
/// when not empty, transaction).
boost::json::object dynamic_sampling_context(const TraceContext& trace, const EventDefaults& defaults,
                                             std::string_view transaction = {});

/// @brief An envelope header: event_id, sent_at, dsn, sdk and, for a request, its `trace`.
boost::json::object envelope_header(const EventDefaults& defaults, const std::string& event_id,
                                    const TraceContext* trace, std::string_view transaction = {});

/// @brief Sentry's span status for an HTTP status ("ok", "not_found", "internal_error", ...).
std::string_view span_status(unsigned http_status);

/// @brief Adds the request's data (request, tags, transaction, user with PII, trace, breadcrumbs) to an event.
void add_request_data(boost::json::object& event, const EventDefaults& defaults, const http::Context* context,
                      const RequestScope* scope);

}  // namespace ocl::monitoring
