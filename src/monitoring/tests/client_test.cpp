#include <thread>

#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "config/version.hpp"
#include "monitoring/client.hpp"
#include "monitoring/event.hpp"
#include "monitoring/scope.hpp"
#include "monitoring/transport.hpp"

namespace ocl::monitoring {
namespace {

config::SentrySettings settings(double traces_sample_rate = 1.0) {
  config::SentrySettings sentry;
  sentry.dsn = "http://public@127.0.0.1:9/1";  // nothing answers: envelopes are dropped
  sentry.release = "oc-lettings@test";
  sentry.traces_sample_rate = traces_sample_rate;
  return sentry;
}

http::Request request_with(std::initializer_list<std::pair<std::string, std::string>> headers) {
  http::Request request{http::Method::get, "/", 11};
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  return request;
}

std::string dsc_value(const Client& client, const TraceContext& trace, std::string_view key,
                      std::string_view transaction = {}) {
  const auto dsc = dynamic_sampling_context(trace, client.defaults(), transaction);
  const auto* value = dsc.if_contains(key);
  return value != nullptr ? std::string(value->as_string()) : std::string("<missing>");
}

TEST(Client, StartsANewSampledTraceWithItsOwnSamplingContext) {
  Client client(settings(1.0));
  const auto trace = client.start_trace(request_with({}));
  EXPECT_EQ(trace.trace_id.size(), 32U);
  EXPECT_EQ(trace.span_id.size(), 16U);
  EXPECT_TRUE(trace.parent_span_id.empty());
  EXPECT_TRUE(trace.sampled);
  EXPECT_FALSE(trace.frozen_dsc());
  EXPECT_TRUE(trace.dsc.empty());  // built on the sender thread, not by the request
  EXPECT_EQ(dsc_value(client, trace, "trace_id"), trace.trace_id);
  EXPECT_EQ(dsc_value(client, trace, "public_key"), "public");
  EXPECT_EQ(dsc_value(client, trace, "release"), "oc-lettings@test");
  EXPECT_EQ(dsc_value(client, trace, "sampled"), "true");
  EXPECT_EQ(dsc_value(client, trace, "sample_rate"), "1");
  EXPECT_EQ(dsc_value(client, trace, "transaction"), "<missing>");
  EXPECT_EQ(dsc_value(client, trace, "transaction", "/lettings/"), "/lettings/");
  client.close(std::chrono::milliseconds(0));
}

TEST(Client, ContinuesAnIncomingTraceAndFreezesItsBaggage) {
  Client client(settings(0.0));
  const auto trace = client.start_trace(request_with(
      {{"sentry-trace", "0123456789abcdef0123456789abcdef-0123456789abcdef-1"},
       {"baggage", "vendor=x, sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-release=a%40b;prop=1"}}));
  EXPECT_EQ(trace.trace_id, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(trace.parent_span_id, "0123456789abcdef");
  EXPECT_TRUE(trace.sampled);  // the caller's decision wins over the rate
  EXPECT_TRUE(trace.frozen_dsc());
  EXPECT_EQ(dsc_value(client, trace, "release"), "a@b");
  EXPECT_EQ(dsc_value(client, trace, "vendor"), "<missing>");
  EXPECT_EQ(dsc_value(client, trace, "transaction", "/lettings/"), "<missing>");  // passed on as it came
  client.close(std::chrono::milliseconds(0));
}

TEST(Client, IgnoresAMalformedSentryTraceAndSamplesByRate) {
  Client client(settings(0.0));
  for (const auto* header : {"nonsense", "0123456789abcdef0123456789abcdef-0123456789abcdef-7",
                             "0123456789ABCDEF0123456789abcdef-0123456789abcdef"}) {
    const auto trace = client.start_trace(request_with({{"sentry-trace", header}}));
    EXPECT_TRUE(trace.parent_span_id.empty()) << header;
    EXPECT_FALSE(trace.sampled) << header;
  }
  const auto unsampled =
      client.start_trace(request_with({{"sentry-trace", "0123456789abcdef0123456789abcdef-0123456789abcdef-0"}}));
  EXPECT_FALSE(unsampled.sampled);
  EXPECT_FALSE(unsampled.frozen_dsc());
  client.close(std::chrono::milliseconds(0));
}

TEST(Client, CountsDroppedEnvelopesWhenTheServerIsDown) {
  TransportOptions fast;
  fast.max_attempts = 2;
  fast.first_backoff = std::chrono::milliseconds(1);
  Client client(settings(), fast);
  client.capture_log(spdlog::level::warn, "test", "something", false);
  EXPECT_TRUE(client.transport().flush(std::chrono::seconds(5)));
  EXPECT_EQ(client.transport().delivered(), 0U);
  EXPECT_GE(client.transport().reports().total(), 1U);
  client.close(std::chrono::milliseconds(100));
}

TEST(Transport, TransactionsBackOffBeforeThePlacesKeptForErrors) {
  TransportOptions options;
  options.url = "http://127.0.0.1:9/api/1/envelope/";  // refused: the sender then waits out a long backoff
  options.capacity = 10;
  options.reserved = 3;
  options.first_backoff = std::chrono::minutes(1);
  Transport transport(options);
  const auto envelope = [] {
    Envelope queued;
    queued.category = "error";
    // With an item, so the sender really sends it and holds it in its backoff (an empty envelope is
    // dropped at once, and the sender then took the test's next envelopes while they were counted).
    queued.items.push_back({"event", "{}"});
    return queued;
  };
  ASSERT_TRUE(transport.enqueue(envelope()));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (transport.queued() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // until the sender holds it, in its backoff
  }
  ASSERT_EQ(transport.queued(), 0U);
  while (transport.queued() < 6) {
    EXPECT_FALSE(transport.crowded()) << transport.queued();
    ASSERT_TRUE(transport.enqueue(envelope()));
  }
  EXPECT_FALSE(transport.crowded());
  ASSERT_TRUE(transport.enqueue(envelope()));  // 7 waiting: only the 3 reserved places are left
  EXPECT_TRUE(transport.crowded());
  EXPECT_TRUE(transport.enqueue(envelope()));  // which errors still get
  EXPECT_TRUE(transport.enqueue(envelope()));
  EXPECT_TRUE(transport.enqueue(envelope()));
  EXPECT_FALSE(transport.enqueue(envelope()));  // full: dropped and counted
  EXPECT_GE(transport.reports().total(), 1U);
  transport.shutdown(std::chrono::milliseconds(0));
}

TEST(SessionAggregates, CountsOutcomesPerMinute) {
  SessionAggregates sessions;
  EXPECT_FALSE(sessions.take("r", "e"));
  sessions.record(SessionAggregates::Outcome::exited);
  sessions.record(SessionAggregates::Outcome::exited);
  sessions.record(SessionAggregates::Outcome::errored);
  sessions.record(SessionAggregates::Outcome::crashed);
  const auto payload = sessions.take("r", "e");
  ASSERT_TRUE(payload);
  const auto& bucket = payload->at("aggregates").as_array().back().as_object();
  std::int64_t total = 0;
  for (const auto& aggregate : payload->at("aggregates").as_array()) {
    for (const auto* key : {"exited", "errored", "crashed"}) {
      total += aggregate.at(key).to_number<std::int64_t>();
    }
  }
  EXPECT_EQ(total, 4);
  EXPECT_TRUE(std::string(bucket.at("started").as_string()).ends_with(":00.000Z"));
  EXPECT_EQ(payload->at("attrs").at("release"), "r");
}

TEST(Scope, SpansNestUnderTheInnermostOpenSpan) {
  TraceContext trace;
  trace.span_id = "aaaaaaaaaaaaaaaa";
  trace.sampled = true;
  RequestScope scope(trace);
  {
    const ActiveScope active(scope);
    const Span outer("middleware.http", "outer");
    {
      Span inner("db", "SELECT 1");
      inner.set("db.system", "sqlite");
    }
  }
  EXPECT_EQ(current_scope(), nullptr);
  ASSERT_EQ(scope.spans().size(), 2U);
  EXPECT_EQ(scope.spans()[0].parent_span_id, "aaaaaaaaaaaaaaaa");
  EXPECT_EQ(scope.spans()[1].parent_span_id, scope.spans()[0].span_id);
  EXPECT_EQ(scope.spans()[1].data.at("db.system"), "sqlite");
  EXPECT_GE(scope.spans()[1].end, scope.spans()[1].start);
  EXPECT_EQ(scope.active_span_id(), "aaaaaaaaaaaaaaaa");
}

TEST(Scope, NothingIsRecordedOutsideASampledRequest) {
  const Span nothing("db", "SELECT 1");  // no scope: no effect
  TraceContext trace;
  trace.sampled = false;
  RequestScope scope(trace);
  const ActiveScope active(scope);
  const Span unsampled("db", "SELECT 1");
  EXPECT_TRUE(scope.spans().empty());
  for (std::size_t i = 0; i < RequestScope::max_breadcrumbs + 5; ++i) {
    scope.add_breadcrumb({0, "log", "test", "info", std::to_string(i)});
  }
  EXPECT_EQ(scope.breadcrumbs().size(), RequestScope::max_breadcrumbs);
  EXPECT_EQ(scope.breadcrumbs().front().message, "5");
}

TEST(Settings, ReadsTheSentryVariables) {
  auto loaded = config::load_settings({{"SECRET_KEY", "k"},
                                       {"SENTRY_DNS", "http://key@127.0.0.1:9000/7"},
                                       {"SENTRY_TRACES_SAMPLE_RATE", "0.25"},
                                       {"SENTRY_SEND_DEFAULT_PII", "true"},
                                       {"SENTRY_SPOTLIGHT", "1"}});
  EXPECT_EQ(loaded.sentry.dsn, "http://key@127.0.0.1:9000/7");
  EXPECT_DOUBLE_EQ(loaded.sentry.traces_sample_rate, 0.25);
  EXPECT_TRUE(loaded.sentry.send_default_pii);
  EXPECT_EQ(loaded.sentry.spotlight, "http://localhost:8969/stream");
  EXPECT_EQ(loaded.sentry.release, "oc-lettings@" + std::string(config::version()));
  EXPECT_TRUE(config::load_settings({{"SECRET_KEY", "k"}}).sentry.dsn.empty());
}

TEST(Settings, AMalformedDsnOrRateNamesTheVariable) {
  try {
    config::load_settings({{"SECRET_KEY", "k"}, {"SENTRY_DSN", "not-a-dsn"}});
    FAIL() << "no error";
  } catch (const config::ConfigError& error) {
    EXPECT_EQ(error.variable(), "SENTRY_DSN");
  }
  EXPECT_THROW(config::load_settings({{"SECRET_KEY", "k"}, {"SENTRY_TRACES_SAMPLE_RATE", "2"}}), config::ConfigError);
}

}  // namespace
}  // namespace ocl::monitoring
