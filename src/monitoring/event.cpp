#include "monitoring/event.hpp"

#include <chrono>
#include <map>
#include <vector>

#include <sys/utsname.h>

#include <fmt/format.h>
#include <boost/json/value.hpp>

#include "config/version.hpp"
#include "http/router.hpp"
#include "monitoring/util.hpp"

namespace ocl::monitoring {
namespace {

boost::json::object read_os_context() {
  utsname system{};
  if (uname(&system) != 0) {
    return {{"name", "Linux"}};
  }
  return {{"name", system.sysname}, {"version", system.release}, {"kernel_version", system.version}};
}

const boost::json::object& os_context() {
  static const auto context = read_os_context();
  return context;
}

boost::json::object runtime_context() {
  return {{"name", "C++"}, {"version", std::to_string(__cplusplus)}, {"build", "g++ " __VERSION__}};
}

/// Milliseconds are what timestamps show; rounding to nanoseconds first would lose them (a double holds
/// about 16 digits, a Unix time in nanoseconds 19).
std::chrono::system_clock::time_point unix_time(double seconds) {
  return std::chrono::system_clock::time_point(
      std::chrono::round<std::chrono::milliseconds>(std::chrono::duration<double>(seconds)));
}

std::string device_architecture() {
  utsname system{};
  return uname(&system) == 0 ? std::string(system.machine) : std::string("unknown");
}

std::string request_url(const http::Context& context) {
  const auto host = context.request[http::HeaderField::host];
  return "http://" + std::string(host.empty() ? std::string_view("localhost") : std::string_view(host)) +
         context.target.path;
}

}  // namespace

boost::json::object profile_json(const EventDefaults& defaults, const boost::json::object& transaction,
                                 const ThreadProfile& profile) {
  // Frames and stacks are listed once each and referred to by index, as the format asks.
  std::map<const void*, std::size_t> frame_index;
  boost::json::array frames;
  std::map<std::vector<std::size_t>, std::size_t> stack_index;
  boost::json::array stacks;
  boost::json::array samples;
  const auto thread_id = std::to_string(profile.thread_id);
  for (const auto& sample : profile.samples) {
    std::vector<std::size_t> stack;
    for (const auto* address : sample.frames) {  // innermost first, as the format wants
      const auto [found, added] = frame_index.try_emplace(address, frames.size());
      if (added) {
        frames.push_back(symbolize_frame(address));
      }
      stack.push_back(found->second);
    }
    const auto [found, added] = stack_index.try_emplace(stack, stacks.size());
    if (added) {
      boost::json::array ids;
      for (const auto id : stack) {
        ids.push_back(id);
      }
      stacks.push_back(std::move(ids));
    }
    samples.push_back({{"stack_id", found->second},
                       {"thread_id", thread_id},
                       {"elapsed_since_start_ns", std::to_string(sample.elapsed_ns)}});
  }
  const auto& trace = transaction.at("contexts").at("trace").as_object();
  return {{"event_id", random_hex(16)},
          {"version", "1"},
          {"platform", "cpp"},
          {"timestamp", iso_timestamp(unix_time(transaction.at("start_timestamp").to_number<double>()))},
          {"release", defaults.release},
          {"environment", defaults.environment},
          {"os", os_context()},
          {"device", {{"architecture", device_architecture()}}},
          {"runtime", runtime_context()},
          {"transaction",
           {{"id", transaction.at("event_id")},
            {"trace_id", trace.at("trace_id")},
            {"name", transaction.at("transaction")},
            {"active_thread_id", thread_id}}},
          {"profile",
           {{"samples", std::move(samples)},
            {"stacks", std::move(stacks)},
            {"frames", std::move(frames)},
            {"thread_metadata", {{thread_id, {{"name", profile.thread_name}}}}}}}};
}

boost::json::object sdk_info() {
  return {{"name", sdk_name}, {"version", config::version()}};
}

boost::json::object base_event(const EventDefaults& defaults, const std::string& event_id) {
  return {
      {"event_id", event_id},
      {"timestamp", unix_seconds()},
      {"platform", "native"},
      {"release", defaults.release},
      {"environment", defaults.environment},
      {"server_name", defaults.server_name},
      {"sdk", sdk_info()},
      {"contexts", {{"os", os_context()}, {"runtime", runtime_context()}}},
  };
}

boost::json::object request_interface(const http::Context& context, bool send_default_pii) {
  boost::json::object headers;
  for (const auto& field : context.request) {
    const auto name = std::string(field.name_string());
    if (send_default_pii || !is_sensitive_header(name)) {
      headers[name] = std::string(field.value());
    }
  }
  boost::json::object request{
      {"url", request_url(context)},
      {"method", std::string(context.request.method_string())},
      {"query_string", context.target.raw_query},
      {"headers", std::move(headers)},
  };
  if (send_default_pii) {
    request["env"] = {{"REMOTE_ADDR", context.client_address}};
    request["cookies"] = std::string(context.request[http::HeaderField::cookie]);
  }
  return request;
}

boost::json::object trace_context(const TraceContext& trace) {
  boost::json::object context{
      {"trace_id", trace.trace_id}, {"span_id", trace.span_id}, {"op", "http.server"}, {"origin", "auto.http"}};
  if (!trace.parent_span_id.empty()) {
    context["parent_span_id"] = trace.parent_span_id;
  }
  return context;
}

boost::json::array breadcrumbs_json(const std::vector<Breadcrumb>& breadcrumbs) {
  boost::json::array values;
  for (const auto& crumb : breadcrumbs) {
    values.push_back({{"timestamp", crumb.timestamp},
                      {"type", crumb.type},
                      {"category", crumb.category},
                      {"level", crumb.level},
                      {"message", crumb.message}});
  }
  return values;
}

boost::json::array spans_json(const std::vector<SpanRecord>& records, const std::string& trace_id, double end) {
  boost::json::array spans;
  spans.reserve(records.size());
  for (const auto& span : records) {
    boost::json::object item{
        {"trace_id", trace_id},
        {"span_id", span.span_id},
        {"parent_span_id", span.parent_span_id},
        {"op", span.op},
        {"description", span.description},
        {"start_timestamp", span.start},
        {"timestamp", span.end > 0 ? span.end : end},
        {"status", "ok"},
        {"origin", "auto"},
    };
    if (!span.data.empty()) {
      item["data"] = span.data;
    }
    spans.push_back(std::move(item));
  }
  return spans;
}

boost::json::object dynamic_sampling_context(const TraceContext& trace, const EventDefaults& defaults,
                                             std::string_view transaction) {
  boost::json::object dsc;
  if (trace.frozen_dsc()) {
    for (const auto& [key, value] : trace.dsc) {
      dsc[key] = value;
    }
    return dsc;
  }
  dsc = {{"trace_id", trace.trace_id},
         {"public_key", defaults.public_key},
         {"release", defaults.release},
         {"environment", defaults.environment},
         {"sample_rate", fmt::format("{}", defaults.traces_sample_rate)},
         {"sample_rand", fmt::format("{:.6f}", trace.sample_rand)},
         {"sampled", trace.sampled ? "true" : "false"}};
  if (!transaction.empty()) {
    dsc["transaction"] = transaction;
  }
  return dsc;
}

boost::json::object envelope_header(const EventDefaults& defaults, const std::string& event_id,
                                    const TraceContext* trace, std::string_view transaction) {
  boost::json::object header{{"sent_at", iso_timestamp()}, {"dsn", defaults.dsn}, {"sdk", sdk_info()}};
  if (!event_id.empty()) {
    header["event_id"] = event_id;
  }
  if (trace != nullptr) {
    header["trace"] = dynamic_sampling_context(*trace, defaults, transaction);
  }
  return header;
}

std::string_view span_status(unsigned http_status) {
  if (http_status < 400) return "ok";
  switch (http_status) {
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 409:
      return "already_exists";
    case 413:
      return "failed_precondition";
    case 429:
      return "resource_exhausted";
    case 499:
      return "cancelled";
    case 501:
      return "unimplemented";
    case 503:
      return "unavailable";
    case 504:
      return "deadline_exceeded";
    default:
      return http_status < 500 ? "invalid_argument" : "internal_error";
  }
}

void add_request_data(boost::json::object& event, const EventDefaults& defaults, const http::Context* context,
                      const RequestScope* scope) {
  if (context != nullptr) {
    event["request"] = request_interface(*context, defaults.send_default_pii);
    if (defaults.send_default_pii) {
      event["user"] = {{"ip_address", context->client_address}};
    }
    if (context->route != nullptr) {
      event["transaction"] = context->route->pattern();
      event["tags"] = {{"url.pattern", context->route->pattern()}};
    } else {
      event["transaction"] = context->target.path;
    }
  }
  if (scope != nullptr) {
    event["contexts"].as_object()["trace"] = trace_context(scope->trace());
    event["breadcrumbs"] = {{"values", breadcrumbs_json(scope->breadcrumbs())}};
  }
}

}  // namespace ocl::monitoring
