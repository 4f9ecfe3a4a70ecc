#include "net/address_ranges.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace ocl::net {
namespace {

bool contains(const AddressRanges& ranges, const char* address) {
  return ranges.contains(*parse_address(address));
}

TEST(AddressRangesTest, TheDefaultTrustsLoopbackOnly) {
  const auto ranges = AddressRanges::parse("127.0.0.1,::1");
  EXPECT_TRUE(contains(ranges, "127.0.0.1"));
  EXPECT_TRUE(contains(ranges, "::1"));
  EXPECT_TRUE(contains(ranges, "::ffff:127.0.0.1")) << "an IPv4-mapped peer of a dual-stack socket";
  EXPECT_FALSE(contains(ranges, "127.0.0.2"));
  EXPECT_FALSE(contains(ranges, "10.0.0.1"));
  EXPECT_TRUE(ranges.only_loopback());
  EXPECT_FALSE(ranges.matches_any());
}

TEST(AddressRangesTest, CidrRangesOfBothFamilies) {
  const auto ranges = AddressRanges::parse(" 10.0.0.0/8 , 2001:db8::/32,192.168.1.7");
  EXPECT_TRUE(contains(ranges, "10.255.3.4"));
  EXPECT_FALSE(contains(ranges, "11.0.0.1"));
  EXPECT_TRUE(contains(ranges, "2001:db8:1::9"));
  EXPECT_FALSE(contains(ranges, "2001:db9::1"));
  EXPECT_TRUE(contains(ranges, "192.168.1.7"));
  EXPECT_FALSE(contains(ranges, "192.168.1.8"));
  EXPECT_FALSE(ranges.only_loopback());
  EXPECT_EQ(ranges.to_string(), "10.0.0.0/8,2001:db8::/32,192.168.1.7/32");
}

TEST(AddressRangesTest, StarMatchesEveryAddress) {
  const auto ranges = AddressRanges::parse("*");
  EXPECT_TRUE(ranges.matches_any());
  EXPECT_TRUE(contains(ranges, "203.0.113.9"));
  EXPECT_TRUE(contains(ranges, "2001:db8::1"));
  EXPECT_EQ(ranges.to_string(), "*");
}

TEST(AddressRangesTest, AnEmptyListMatchesNothing) {
  const auto ranges = AddressRanges::parse(" , ");
  EXPECT_TRUE(ranges.empty());
  EXPECT_FALSE(contains(ranges, "127.0.0.1"));
}

TEST(AddressRangesTest, MalformedEntriesAreRefusedByName) {
  for (const auto* list : {"localhost", "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "1.2.3", "::1/129", "10.0.0.0/x"}) {
    try {
      static_cast<void>(AddressRanges::parse(std::string("127.0.0.1,") + list));
      ADD_FAILURE() << list << " was accepted";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(list), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace ocl::net
