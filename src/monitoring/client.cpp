#include "monitoring/client.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <typeinfo>

#include <curl/curl.h>
#include <spdlog/spdlog.h>
#include <boost/core/demangle.hpp>

#include "config/version.hpp"
#include "http/router.hpp"
#include "http/text.hpp"
#include "monitoring/dsn.hpp"
#include "monitoring/log_sink.hpp"
#include "monitoring/stacktrace.hpp"
#include "monitoring/util.hpp"

namespace ocl::monitoring {
namespace {

std::unique_ptr<Client> instance;
std::atomic<Client*> running{nullptr};

std::string host_name() {
  std::array<char, 256> name{};
  return gethostname(name.data(), name.size() - 1) == 0 ? std::string(name.data()) : std::string("localhost");
}

std::string_view sentry_level(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warning";
    case spdlog::level::err:
      return "error";
    default:
      return "fatal";
  }
}

bool is_hex(std::string_view text, std::size_t length) {
  return text.size() == length && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

/// Parses `sentry-trace: <trace_id>-<span_id>[-<sampled>]`.
bool parse_sentry_trace(std::string_view header, TraceContext& trace, std::optional<bool>& sampled) {
  header = http::trim(header);
  if (header.size() < 49 || header[32] != '-' || !is_hex(header.substr(0, 32), 32) ||
      !is_hex(header.substr(33, 16), 16)) {
    return false;
  }
  if (header.size() == 51 && header[49] == '-' && (header[50] == '0' || header[50] == '1')) {
    sampled = header[50] == '1';
  } else if (header.size() != 49) {
    return false;
  }
  trace.trace_id = header.substr(0, 32);
  trace.parent_span_id = header.substr(33, 16);
  return true;
}

std::string percent_decode(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      decoded += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

/// The sentry-* members of a W3C `baggage` header, without their prefix.
std::vector<std::pair<std::string, std::string>> sentry_baggage(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> entries;
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto member = http::trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    member = member.substr(0, member.find(';'));  // drops properties
    const auto equals = member.find('=');
    if (equals == std::string_view::npos || !member.starts_with("sentry-")) {
      continue;
    }
    try {
      entries.emplace_back(std::string(http::trim(member.substr(7, equals - 7))),
                           percent_decode(http::trim(member.substr(equals + 1))));
    } catch (const std::exception&) {
      continue;  // malformed escape: skip this member
    }
  }
  return entries;
}

std::optional<double> dsc_number(const TraceContext& trace, std::string_view key) {
  for (const auto& [name, value] : trace.dsc) {
    if (name == key) {
      try {
        return std::stod(value);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

void SessionAggregates::record(Outcome outcome) {
  const auto minute =
      std::chrono::duration_cast<std::chrono::minutes>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::scoped_lock lock(mutex_);
  auto& counts = buckets_[minute];
  switch (outcome) {
    case Outcome::exited:
      ++counts.exited;
      break;
    case Outcome::errored:
      ++counts.errored;
      break;
    case Outcome::crashed:
      ++counts.crashed;
      break;
  }
}

std::optional<boost::json::object> SessionAggregates::take(const std::string& release, const std::string& environment) {
  std::map<std::int64_t, Counts> buckets;
  {
    const std::scoped_lock lock(mutex_);
    buckets.swap(buckets_);
  }
  if (buckets.empty()) {
    return std::nullopt;
  }
  boost::json::array aggregates;
  for (const auto& [minute, counts] : buckets) {
    const std::chrono::system_clock::time_point started{std::chrono::minutes(minute)};
    aggregates.push_back({{"started", iso_timestamp(started)},
                          {"exited", counts.exited},
                          {"errored", counts.errored},
                          {"crashed", counts.crashed}});
  }
  return boost::json::object{{"aggregates", std::move(aggregates)},
                             {"attrs", {{"release", release}, {"environment", environment}}}};
}

Client::Client(const config::SentrySettings& settings, TransportOptions transport) {
  const auto dsn = settings.dsn.empty() ? Dsn{} : parse_dsn(settings.dsn);  // empty: Spotlight only
  defaults_ = {settings.release,
               settings.environment,
               host_name(),
               dsn.text,
               dsn.public_key,
               settings.traces_sample_rate,
               settings.send_default_pii,
               settings.profiles_sample_rate};
  if (transport.url.empty() && !dsn.text.empty()) {
    transport.url = dsn.envelope_url();
  }
  transport.auth = dsn.auth_header(std::string(sdk_name) + "/" + std::string(config::version()));
  if (transport.spotlight_url.empty()) {
    transport.spotlight_url = settings.spotlight;
  }
  transport.debug = settings.debug;
  transport_ = std::make_unique<Transport>(std::move(transport));
  transport_->on_tick([this] { send_sessions(); });
  if (settings.profiles_sample_rate > 0.0) {
    profiler_ = std::make_unique<Profiler>();
  }
}

TraceContext Client::start_trace(const http::Request& request) const {
  TraceContext trace;
  trace.span_id = random_hex(8);
  std::optional<bool> sampled;
  if (parse_sentry_trace(request["sentry-trace"], trace, sampled)) {
    trace.dsc = sentry_baggage(request["baggage"]);
  } else {
    trace.trace_id = random_hex(16);
  }
  trace.sample_rand = dsc_number(trace, "sample_rand").value_or(random_unit());
  trace.sampled = sampled.value_or(trace.sample_rand < defaults_.traces_sample_rate);
  trace.backpressure = trace.sampled && transport_->crowded();
  return trace;
}

void Client::start_profile(RequestScope& scope) {
  if (profiler_ && scope.trace().recording() && random_unit() < defaults_.profiles_sample_rate) {
    scope.profiled = profiler_->start();
  }
}

void Client::finish_request(RequestScope& scope, unsigned http_status) {
  const InsideClient inside;
  std::optional<ThreadProfile> profile;
  if (scope.profiled) {
    profile = profiler_->stop();
    scope.profiled = false;
  }
  using Outcome = SessionAggregates::Outcome;
  sessions_.record(scope.crashed ? Outcome::crashed : (scope.errored ? Outcome::errored : Outcome::exited));
  if (!scope.trace().sampled) {
    return;
  }
  if (scope.trace().backpressure || transport_->crowded()) {
    transport_->reports().record("queue_overflow", "transaction");
    return;
  }
  send_transaction(scope, http_status, std::move(profile));
}

void Client::send_transaction(RequestScope& scope, unsigned http_status, std::optional<ThreadProfile> profile) {
  // Only what dies with the request is copied here; the JSON is built on the sender thread.
  boost::json::object request_data;
  add_request_data(request_data, defaults_, scope.context, nullptr);
  const bool routed = scope.context != nullptr && scope.context->route != nullptr;
  Envelope envelope;
  envelope.category = "transaction";
  envelope.prepare = [this, request_data = std::move(request_data), trace = scope.trace(), spans = scope.take_spans(),
                      start = scope.start(), end = unix_seconds(), http_status, routed,
                      profile = std::move(profile)](Envelope& envelope) mutable {
    build_transaction(envelope, request_data, trace, spans, {start, end, http_status, routed});
    if (!profile) {
      return;
    }
    // As Sentry's SDKs do, a profile needs two samples at least: shorter requests send none.
    if (profile->samples.size() < 2) {
      transport_->reports().record("insufficient_data", "profile");
      return;
    }
    envelope.items.push_back(
        {"profile", profile_json(defaults_, envelope.items.front().payload.as_object(), *profile)});
  };
  transport_->enqueue(std::move(envelope));
}

void Client::build_transaction(Envelope& envelope, const boost::json::object& request_data, const TraceContext& trace,
                               const std::vector<SpanRecord>& spans, const TransactionTiming& timing) const {
  auto event = base_event(defaults_, random_hex(16));
  for (const auto& [key, value] : request_data) {
    event[key] = value;
  }
  event["type"] = "transaction";
  event["start_timestamp"] = timing.start;
  event["timestamp"] = timing.end;
  event["transaction_info"] = {{"source", timing.routed ? "route" : "url"}};
  auto& contexts = event["contexts"].as_object();
  auto context = trace_context(trace);
  context["status"] = span_status(timing.http_status);
  context["data"] = {{"http.response.status_code", timing.http_status}};
  contexts["trace"] = std::move(context);
  contexts["response"] = {{"status_code", timing.http_status}};
  auto& tags = event["tags"].is_object() ? event["tags"].as_object() : event["tags"].emplace_object();
  tags["http.status_code"] = std::to_string(timing.http_status);
  event["spans"] = spans_json(spans, trace.trace_id, timing.end);
  // Only a route names the transaction in the sampling context: raw URLs would split it per id.
  const std::string_view routed_name = timing.routed ? std::string_view(event["transaction"].as_string()) : "";
  envelope.header = envelope_header(defaults_, event.at("event_id").as_string().c_str(), &trace, routed_name);
  envelope.items.push_back({"transaction", std::move(event)});
}

std::string Client::capture_exception(const std::exception_ptr& error, const http::Context* context) {
  const InsideClient inside;
  auto event_id = random_hex(16);
  auto event = base_event(defaults_, event_id);
  event["level"] = "error";
  std::string type = "unknown";
  std::string value = "unknown exception";
  const void* object = nullptr;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& exception) {
    type = boost::core::demangle(typeid(exception).name());
    value = exception.what();
    object = &exception;
  } catch (...) {
    object = nullptr;
  }
  auto frames = throw_stack(object);
  const bool at_throw = !frames.empty();
  if (!at_throw) {
    frames = current_stack();
  }
  event["exception"] = {
      {"values",
       {{{"type", type},
         {"value", value},
         {"mechanism", {{"type", "oc-lettings.request"}, {"handled", false}, {"data", {{"at_throw", at_throw}}}}}}}}};
  auto* scope = current_scope();
  add_request_data(event, defaults_, context, scope);
  if (scope != nullptr) {
    scope->errored = true;
    scope->crashed = true;
  }
  auto symbolise = [frames = std::move(frames)](Envelope& envelope) {
    auto& exception = envelope.items.front().payload.at("exception").at("values").as_array().front().as_object();
    exception["stacktrace"] = {{"frames", symbolize(frames)}};
  };
  send_event(std::move(event), scope != nullptr ? &scope->trace() : nullptr, std::move(symbolise));
  return event_id;
}

void Client::capture_log(spdlog::level::level_enum level, std::string_view logger, std::string_view message,
                         bool breadcrumb_only) {
  const InsideClient inside;
  auto* scope = current_scope();
  if (!breadcrumb_only) {
    auto event = base_event(defaults_, random_hex(16));
    event["level"] = sentry_level(level);
    event["logger"] = logger;
    event["logentry"] = {{"message", message}, {"formatted", message}};
    if (scope != nullptr) {
      add_request_data(event, defaults_, scope->context, scope);
      scope->errored = scope->errored || level >= spdlog::level::err;
      send_event(std::move(event), &scope->trace());
    } else {
      const std::scoped_lock lock(global_breadcrumbs_mutex_);
      event["breadcrumbs"] = {{"values", breadcrumbs_json(global_breadcrumbs_)}};
      send_event(std::move(event), nullptr);
    }
  }
  Breadcrumb crumb{unix_seconds(), "log", std::string(logger), std::string(sentry_level(level)), std::string(message)};
  if (scope != nullptr) {
    scope->add_breadcrumb(std::move(crumb));
    return;
  }
  const std::scoped_lock lock(global_breadcrumbs_mutex_);
  keep_newest(global_breadcrumbs_, std::move(crumb));
}

void Client::send_event(boost::json::object event, const TraceContext* trace, std::function<void(Envelope&)> prepare,
                        std::string_view item_type) {
  Envelope envelope;
  envelope.header = envelope_header(defaults_, event.at("event_id").as_string().c_str(), trace);
  envelope.items.push_back({std::string(item_type), std::move(event)});
  envelope.prepare = std::move(prepare);
  transport_->enqueue(std::move(envelope));
}

void Client::send_sessions() {
  if (auto aggregates = sessions_.take(defaults_.release, defaults_.environment)) {
    Envelope envelope;
    envelope.header = envelope_header(defaults_, {}, nullptr);
    envelope.items.push_back({"sessions", std::move(*aggregates)});
    transport_->enqueue(std::move(envelope));
  }
}

bool Client::flush(std::chrono::milliseconds timeout) {
  send_sessions();
  if (transport_->reports().total() > 0) {
    Envelope reports;  // carries only the pending client report, attached when sent
    reports.header = envelope_header(defaults_, {}, nullptr);
    transport_->enqueue(std::move(reports));
  }
  return transport_->flush(timeout);
}

void Client::close(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  flush(timeout);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  transport_->shutdown(std::max(left, std::chrono::milliseconds(0)));
}

Client* client() noexcept {
  return running.load(std::memory_order_acquire);
}

void init(const config::SentrySettings& settings) {
  if ((settings.dsn.empty() && settings.spotlight.empty()) || instance) {
    return;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  instance = std::make_unique<Client>(settings);
  record_throw_stacks(true);
  spdlog::default_logger()->sinks().push_back(make_log_sink());
  running.store(instance.get(), std::memory_order_release);
  if (settings.debug) {
    const InsideClient inside;
    spdlog::info("sentry: sending to {} {} (release {}, environment {})", settings.dsn, settings.spotlight,
                 settings.release, settings.environment);
  }
}

void shutdown(std::chrono::milliseconds timeout) {
  if (!instance) {
    return;
  }
  instance->close(timeout);
  running.store(nullptr, std::memory_order_release);
  record_throw_stacks(false);
  instance.reset();
  curl_global_cleanup();
}

}  // namespace ocl::monitoring
