#include "http/forwarded.hpp"

#include <gtest/gtest.h>

namespace ocl::http {
namespace {

const auto proxy = *net::parse_address("10.0.0.2");
const auto stranger = *net::parse_address("198.51.100.4");

ForwardingTrust trusting(const char* list) {
  return {net::AddressRanges::parse(list), false};
}

Request request_with(std::initializer_list<std::pair<const char*, const char*>> headers) {
  Request request{Method::get, "/", 11};
  for (const auto& [name, value] : headers) {
    request.insert(name, value);
  }
  return request;
}

TEST(ForwardedTest, WithoutHeadersTheClientIsThePeer) {
  auto request = request_with({});
  const auto origin = resolve_forwarding(request, proxy, trusting("10.0.0.0/8"));
  EXPECT_EQ(origin.address, "10.0.0.2");
  EXPECT_FALSE(origin.https);
  EXPECT_FALSE(is_https(request));
}

TEST(ForwardedTest, FromATrustedProxyTheRightMostUntrustedAddressIsTheClient) {
  // A client may send its own X-Forwarded-For: only what the trusted proxies appended counts.
  auto request = request_with({{"X-Forwarded-For", "1.2.3.4, 203.0.113.9, 10.0.0.7"}, {"X-Forwarded-Proto", "https"}});
  const auto origin = resolve_forwarding(request, proxy, trusting("10.0.0.0/8"));
  EXPECT_EQ(origin.address, "203.0.113.9");
  EXPECT_TRUE(origin.https);
  EXPECT_TRUE(is_https(request));
}

TEST(ForwardedTest, RepeatedHeadersAreOneList) {
  auto request = request_with({{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-For", "10.0.0.7"}});
  EXPECT_EQ(resolve_forwarding(request, proxy, trusting("10.0.0.0/8")).address, "203.0.113.9");
}

TEST(ForwardedTest, WhenEveryHopIsTrustedTheLeftMostIsTheClient) {
  auto request = request_with({{"X-Forwarded-For", "10.0.0.9, 10.0.0.7"}});
  EXPECT_EQ(resolve_forwarding(request, proxy, trusting("10.0.0.0/8")).address, "10.0.0.9");
}

TEST(ForwardedTest, FromAnyOtherPeerTheHeadersAreIgnoredAndTheSchemeClaimRemoved) {
  auto request = request_with({{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "https"}});
  const auto origin = resolve_forwarding(request, stranger, trusting("10.0.0.0/8"));
  EXPECT_EQ(origin.address, "198.51.100.4");
  EXPECT_FALSE(origin.https);
  EXPECT_FALSE(is_https(request)) << "a view never sees the client's own claim";
  EXPECT_EQ(request.count("X-Forwarded-Proto"), 0U);
}

TEST(ForwardedTest, AddressesWithPortsAndBrackets) {
  auto request = request_with({{"X-Forwarded-For", "[2001:db8::17]:4711, 203.0.113.9:5000"}});
  EXPECT_EQ(resolve_forwarding(request, proxy, trusting("10.0.0.0/8")).address, "203.0.113.9");
  auto v6 = request_with({{"X-Forwarded-For", "[2001:db8::17]:4711"}});
  EXPECT_EQ(resolve_forwarding(v6, proxy, trusting("10.0.0.0/8")).address, "2001:db8::17");
  auto mapped = request_with({{"X-Forwarded-For", "::ffff:203.0.113.9"}});
  EXPECT_EQ(resolve_forwarding(mapped, proxy, trusting("10.0.0.0/8")).address, "203.0.113.9");
}

TEST(ForwardedTest, MalformedValuesAreIgnored) {
  for (const auto* value : {"not-an-address", "203.0.113.9, , 10.0.0.7", "[2001:db8::17", "999.1.1.1", ""}) {
    auto request = request_with({{"X-Forwarded-For", value}});
    EXPECT_EQ(resolve_forwarding(request, proxy, trusting("10.0.0.0/8")).address, "10.0.0.2") << value;
  }
}

TEST(ForwardedTest, Rfc7239ForwardedWithItsProto) {
  auto request = request_with(
      {{"Forwarded", R"(for=1.2.3.4, for="[2001:db8:cafe::17]:4711";proto=https, for=10.0.0.7;proto=http)"}});
  const auto origin = resolve_forwarding(request, proxy, trusting("10.0.0.0/8"));
  EXPECT_EQ(origin.address, "2001:db8:cafe::17");
  EXPECT_TRUE(origin.https) << "the scheme the client used to reach the first trusted proxy";
}

TEST(ForwardedTest, Rfc7239UnknownOrObfuscatedNodesLeaveThePeer) {
  for (const auto* value : {"for=unknown", "for=_hidden;proto=https", "for", "for=\"bad\""}) {
    auto request = request_with({{"Forwarded", value}});
    EXPECT_EQ(resolve_forwarding(request, proxy, trusting("10.0.0.0/8")).address, "10.0.0.2") << value;
  }
}

TEST(ForwardedTest, XForwardedForWinsOverForwarded) {
  auto request = request_with({{"Forwarded", "for=1.2.3.4"}, {"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(resolve_forwarding(request, proxy, trusting("10.0.0.0/8")).address, "203.0.113.9");
}

TEST(ForwardedTest, TheNearestProxysSchemeCounts) {
  auto request = request_with({{"X-Forwarded-Proto", "https, http"}});
  EXPECT_FALSE(resolve_forwarding(request, proxy, trusting("10.0.0.0/8")).https);
  auto upper = request_with({{"X-Forwarded-Proto", "HTTPS"}});
  EXPECT_TRUE(resolve_forwarding(upper, proxy, trusting("10.0.0.0/8")).https);
  EXPECT_EQ(upper["X-Forwarded-Proto"], "https") << "normalised for the later layers";
}

TEST(ForwardedTest, TheDeprecatedSettingBelievesTheSchemeFromAnyPeerButNotTheAddress) {
  auto request = request_with({{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "https"}});
  const auto origin = resolve_forwarding(request, stranger, {net::AddressRanges::parse("127.0.0.1"), true});
  EXPECT_EQ(origin.address, "198.51.100.4");
  EXPECT_TRUE(origin.https);
}

TEST(ForwardedTest, StarTrustsEveryPeer) {
  auto request = request_with({{"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(resolve_forwarding(request, stranger, trusting("*")).address, "203.0.113.9");
}

}  // namespace
}  // namespace ocl::http
