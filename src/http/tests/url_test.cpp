#include "http/url.hpp"

#include <gtest/gtest.h>

namespace ocl::http {
namespace {

TEST(PercentDecode, DecodesValidEscapes) {
  EXPECT_EQ(percent_decode("jos%C3%A9"), "josé");
  EXPECT_EQ(percent_decode("a%20b"), "a b");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
}

TEST(PercentDecode, RefusesBrokenEscapesAndInvalidUtf8) {
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("%4"));
  EXPECT_FALSE(percent_decode("%zz"));
  EXPECT_FALSE(percent_decode("abc%E2%82"));     // truncated sequence
  EXPECT_FALSE(percent_decode("%C0%AF"));        // overlong '/'
  EXPECT_FALSE(percent_decode("%ED%A0%80"));     // surrogate
  EXPECT_FALSE(percent_decode("%00"));           // NUL
  EXPECT_FALSE(percent_decode("%F4%90%80%80"));  // past U+10FFFF
}

TEST(Utf8, AcceptsMultibyteText) {
  EXPECT_TRUE(is_valid_utf8("名前_user 🏡"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
}

TEST(PercentEncode, KeepsUnreservedAndUsernameCharacters) {
  EXPECT_EQ(percent_encode_segment("a+b@c-d.e_f~"), "a+b@c-d.e_f~");
  EXPECT_EQ(percent_encode_segment("a/b c"), "a%2Fb%20c");
  EXPECT_EQ(percent_encode_segment("é"), "%C3%A9");
}

TEST(ParseTarget, SplitsPathAndQuery) {
  const auto target = parse_target("/profiles/jos%C3%A9/?page=2&x");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path, "/profiles/josé/");
  EXPECT_EQ(target->raw_path, "/profiles/jos%C3%A9/");
  EXPECT_EQ(target->raw_query, "page=2&x");
  EXPECT_FALSE(parse_target("http://example.com/"));
  EXPECT_FALSE(parse_target(""));
  EXPECT_FALSE(parse_target("/bad%zz/"));
}

TEST(ParseQuery, DecodesPairsAndDropsBrokenOnes) {
  const auto params = parse_query("q=a+b&page=2&&bad=%zz&flag&q=second");
  ASSERT_EQ(params.size(), 4U);
  EXPECT_EQ(params[0], (std::pair<std::string, std::string>{"q", "a b"}));
  EXPECT_EQ(find_param(params, "page"), "2");
  EXPECT_EQ(find_param(params, "flag"), "");
  EXPECT_EQ(find_param(params, "q"), "a b");
  EXPECT_FALSE(find_param(params, "bad"));
}

}  // namespace
}  // namespace ocl::http
