#include <stdexcept>

#include <gtest/gtest.h>

#include "monitoring/stacktrace.hpp"

namespace ocl::monitoring {
namespace {

[[noreturn]] __attribute__((noinline)) void throw_from_here() {
  throw std::out_of_range("deep");
}

std::string functions(const boost::json::array& frames) {
  std::string names;
  for (const auto& frame : frames) {
    names += std::string(frame.at("function").as_string()) + "\n";
  }
  return names;
}

TEST(Stacktrace, RecordsTheStackOfTheThrowWhenEnabled) {
  record_throw_stacks(true);
  RawFrames frames;
  try {
    throw_from_here();
  } catch (const std::exception& error) {
    frames = throw_stack(&error);
  }
  record_throw_stacks(false);
  ASSERT_FALSE(frames.empty());
  const auto symbolised = symbolize(frames);
  const auto& innermost = symbolised.back().as_object();
  EXPECT_NE(std::string(innermost.at("function").as_string()).find("throw_from_here"), std::string::npos)
      << functions(symbolised);
  EXPECT_TRUE(std::string(innermost.at("filename").as_string()).ends_with("stacktrace_test.cpp"));
  EXPECT_GT(innermost.at("lineno").to_number<std::int64_t>(), 0);
  EXPECT_TRUE(innermost.at("in_app").as_bool());
}

TEST(Stacktrace, RecordsNothingWhenDisabled) {
  record_throw_stacks(false);
  try {
    throw_from_here();
  } catch (const std::exception& error) {
    EXPECT_TRUE(throw_stack(&error).empty());
  }
  EXPECT_TRUE(throw_stack(nullptr).empty());
}

TEST(Stacktrace, CurrentStackStartsAtTheCaller) {
  const auto symbolised = symbolize(current_stack());
  ASSERT_FALSE(symbolised.empty());
  EXPECT_NE(functions(symbolised).find("CurrentStackStartsAtTheCaller"), std::string::npos) << functions(symbolised);
}

}  // namespace
}  // namespace ocl::monitoring
