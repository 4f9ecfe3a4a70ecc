#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/json/parse.hpp>

#include "monitoring/dsn.hpp"
#include "monitoring/envelope.hpp"
#include "monitoring/event.hpp"
#include "monitoring/util.hpp"

namespace ocl::monitoring {
namespace {

using namespace std::chrono_literals;

std::string gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string output(64 * 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(output.data());
  stream.avail_out = static_cast<uInt>(output.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  output.resize(stream.total_out);
  inflateEnd(&stream);
  return output;
}

TEST(Dsn, ParsesKeyHostPortPathAndProject) {
  const auto dsn = parse_dsn("https://abc123@o1.ingest.example.com:8443/prefix/42");
  EXPECT_EQ(dsn.scheme, "https");
  EXPECT_EQ(dsn.public_key, "abc123");
  EXPECT_EQ(dsn.host, "o1.ingest.example.com");
  EXPECT_EQ(dsn.port, "8443");
  EXPECT_EQ(dsn.project_id, "42");
  EXPECT_EQ(dsn.envelope_url(), "https://o1.ingest.example.com:8443/prefix/api/42/envelope/");
  EXPECT_EQ(dsn.auth_header("c/1"), "Sentry sentry_version=7, sentry_key=abc123, sentry_client=c/1");
  EXPECT_EQ(parse_dsn("http://k@127.0.0.1/1").envelope_url(), "http://127.0.0.1/api/1/envelope/");
}

TEST(Dsn, KeepsTheBracketsOfAnIpv6Host) {
  // Found by fuzz/dsn_fuzzer: without them the envelope URL was "http://::1:9000/api/3/envelope/".
  const auto dsn = parse_dsn("http://key@[::1]:9000/3");
  EXPECT_EQ(dsn.host, "[::1]");
  EXPECT_EQ(dsn.port, "9000");
  EXPECT_EQ(dsn.envelope_url(), "http://[::1]:9000/api/3/envelope/");
  EXPECT_EQ(parse_dsn("https://key@[2001:db8::7]/sentry/12").envelope_url(),
            "https://[2001:db8::7]/sentry/api/12/envelope/");
}

TEST(Dsn, RejectsASecondAtSign) {
  // Found by fuzz/dsn_fuzzer: the URL parser read host "host" and path "@other.example/1", so the
  // envelope URL "https://host@other.example/api/1/envelope/" sent events to another host.
  EXPECT_THROW(parse_dsn("https://key@host@other.example/1"), InvalidDsn);
  EXPECT_THROW(parse_dsn("https://0@23456789abcdef@o123.ingest.sentry.io/4505"), InvalidDsn);
}

TEST(Dsn, RejectsMalformedDsns) {
  for (const auto* text :
       {"", "not a url", "ftp://k@host/1", "http://host/1", "http://k@/1", "http://k@host/", "http://k@host/project"}) {
    EXPECT_THROW(parse_dsn(text), InvalidDsn) << text;
  }
}

TEST(Envelope, SerialisesHeaderAndItemsWithLengths) {
  Envelope envelope;
  envelope.header = {{"event_id", "abc"}};
  envelope.items.push_back({"event", boost::json::object{{"message", "héllo"}}});
  envelope.items.push_back({"client_report", boost::json::object{{"discarded_events", boost::json::array{}}}});
  const auto text = serialize(envelope);
  EXPECT_EQ(text,
            "{\"event_id\":\"abc\"}\n"
            "{\"type\":\"event\",\"length\":20,\"content_type\":\"application/json\"}\n"
            "{\"message\":\"héllo\"}\n"
            "{\"type\":\"client_report\",\"length\":23}\n"
            "{\"discarded_events\":[]}\n");
  EXPECT_EQ(gunzip(gzip(text)), text);
  // The deflate state is reused: a later body must not carry anything over from an earlier one.
  const std::string longer(50'000, 'x');  // within gunzip's 64 KiB
  EXPECT_EQ(gunzip(gzip(longer)), longer);
  EXPECT_EQ(gunzip(gzip("")), "");
  EXPECT_EQ(gunzip(gzip(text)), text);
}

TEST(Envelope, MapsItemTypesToCategories) {
  EXPECT_EQ(category_of("event"), "error");
  EXPECT_EQ(category_of("transaction"), "transaction");
  EXPECT_EQ(category_of("sessions"), "session");
  EXPECT_EQ(category_of("client_report"), "internal");
  EXPECT_EQ(category_of("profile"), "profile");
}

TEST(RateLimits, SentryHeaderPausesTheListedCategories) {
  RateLimits limits;
  const auto now = RateLimits::Clock::now();
  EXPECT_TRUE(limits.update(429, "5", "60:transaction;error:organization:quota, 10::key", now));
  EXPECT_TRUE(limits.limited("transaction", now + 30s));
  EXPECT_TRUE(limits.limited("error", now + 30s));
  EXPECT_TRUE(limits.limited("session", now + 5s));  // the empty category list pauses all for 10 s
  EXPECT_FALSE(limits.limited("session", now + 11s));
  EXPECT_FALSE(limits.limited("transaction", now + 61s));
}

TEST(RateLimits, RetryAfterOn429PausesEverything) {
  RateLimits limits;
  const auto now = RateLimits::Clock::now();
  EXPECT_FALSE(limits.update(200, "", "", now));
  EXPECT_FALSE(limits.limited("error", now));
  EXPECT_TRUE(limits.update(429, "3", "", now));
  EXPECT_TRUE(limits.limited("error", now + 2s));
  EXPECT_FALSE(limits.limited("error", now + 4s));
  EXPECT_TRUE(limits.update(429, "", "", now));  // no Retry-After: 60 s
  EXPECT_TRUE(limits.limited("profile", now + 59s));
}

TEST(ClientReports, CountsByReasonAndCategoryUntilTaken) {
  ClientReports reports;
  EXPECT_FALSE(reports.take());
  reports.record("queue_overflow", "error");
  reports.record("queue_overflow", "error", 2);
  reports.record("ratelimit_backoff", "transaction");
  const auto report = reports.take();
  ASSERT_TRUE(report);
  const auto& discarded = report->at("discarded_events").as_array();
  ASSERT_EQ(discarded.size(), 2U);
  EXPECT_EQ(discarded[0].at("reason"), "queue_overflow");
  EXPECT_EQ(discarded[0].at("quantity"), 3);
  EXPECT_EQ(reports.total(), 4U);
  EXPECT_FALSE(reports.take());
}

TEST(Util, IdsTimestampsAndSensitiveHeaders) {
  EXPECT_EQ(random_hex(16).size(), 32U);
  EXPECT_NE(random_hex(8), random_hex(8));
  const auto unit = random_unit();
  EXPECT_GE(unit, 0.0);
  EXPECT_LT(unit, 1.0);
  EXPECT_EQ(iso_timestamp(std::chrono::system_clock::time_point{std::chrono::milliseconds(1'700'000'000'123)}),
            "2023-11-14T22:13:20.123Z");
  for (const auto* name : {"Cookie", "Authorization", "X-CSRFToken", "Proxy-Authorization", "X-Forwarded-For"}) {
    EXPECT_TRUE(is_sensitive_header(name)) << name;
  }
  for (const auto* name : {"Host", "User-Agent", "Accept", "Referer"}) {
    EXPECT_FALSE(is_sensitive_header(name)) << name;
  }
}

TEST(Event, SpanStatusFollowsTheHttpStatus) {
  EXPECT_EQ(span_status(200), "ok");
  EXPECT_EQ(span_status(302), "ok");
  EXPECT_EQ(span_status(400), "invalid_argument");
  EXPECT_EQ(span_status(403), "permission_denied");
  EXPECT_EQ(span_status(404), "not_found");
  EXPECT_EQ(span_status(429), "resource_exhausted");
  EXPECT_EQ(span_status(500), "internal_error");
  EXPECT_EQ(span_status(503), "unavailable");
}

}  // namespace
}  // namespace ocl::monitoring
