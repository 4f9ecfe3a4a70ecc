#include "http/date.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace ocl::http {
namespace {

TEST(HttpDate, FormatsImfFixdateInGmt) {
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's own example
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(HttpDate, CurrentDateIsNowToTheSecond) {
  const auto before = std::time(nullptr);
  const std::string current(current_http_date());
  const auto after = std::time(nullptr);
  EXPECT_TRUE(current == http_date(before) || current == http_date(after)) << current;
  EXPECT_TRUE(
      std::regex_match(current, std::regex(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)")));
}

}  // namespace
}  // namespace ocl::http
