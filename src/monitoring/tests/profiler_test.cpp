#include "monitoring/profiler.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "monitoring/event.hpp"

namespace ocl::monitoring {
namespace {

// Kept out of line so that it shows in the sampled stacks under its own name.
[[gnu::noinline]] double busy_for_profiler_test(std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  volatile double sink = 0;
  while (std::chrono::steady_clock::now() < until) {
    for (int step = 0; step < 1000; ++step) {
      sink = sink + std::sqrt(static_cast<double>(step));
    }
  }
  return sink;
}

// The functions of the two innermost frames past any sanitizer runtime frames: the busy loop, or
// what it calls. (ThreadSanitizer delays signals to the next call into its runtime, here reading
// the clock, so its samples all land there.)
std::string innermost_own_functions(const RawFrames& frames) {
  std::string functions;
  int kept = 0;
  for (const auto* address : frames) {
    std::string function(symbolize_frame(address).at("function").as_string());
    const bool sanitizer_runtime = function.starts_with("__tsan") || function.starts_with("__asan") ||
                                   function.starts_with("__ubsan") || function.starts_with("__sanitizer") ||
                                   function.starts_with("__interceptor");
    if (!sanitizer_runtime) {
      functions += function + "\n";
      if (++kept == 2) {
        break;
      }
    }
  }
  return functions;
}

TEST(Profiler, SamplesTheProfiledThreadWhileItWorks) {
  Profiler profiler(std::chrono::milliseconds(5));
  ASSERT_TRUE(profiler.start());
  EXPECT_FALSE(profiler.start()) << "one profile per thread at a time";
  busy_for_profiler_test(std::chrono::milliseconds(300));
  const auto profile = profiler.stop();
  ASSERT_GE(profile.samples.size(), 2U);
  EXPECT_GT(profile.thread_id, 0U);
  bool seen = false;
  std::uint64_t previous = 0;
  for (const auto& sample : profile.samples) {
    EXPECT_GE(sample.elapsed_ns, previous) << "samples in time order";
    previous = sample.elapsed_ns;
    ASSERT_FALSE(sample.frames.empty());
    seen = seen || innermost_own_functions(sample.frames).find("busy_for_profiler_test") != std::string::npos;
  }
  EXPECT_TRUE(seen) << "the busy function is at the top of some sample's stack";
  EXPECT_TRUE(profiler.stop().samples.empty()) << "stopped: nothing more";
}

TEST(Profiler, AThreadWithoutAProfileIsNotSampled) {
  Profiler profiler(std::chrono::milliseconds(5));
  busy_for_profiler_test(std::chrono::milliseconds(50));
  EXPECT_TRUE(profiler.stop().samples.empty());
}

TEST(ProfileJson, ListsEachFrameAndStackOnceAndNamesTheTransaction) {
  const auto* outer = reinterpret_cast<const void*>(&busy_for_profiler_test);  // NOLINT: an address to symbolise
  const auto* inner = reinterpret_cast<const void*>(&symbolize_frame);         // NOLINT: as above
  ThreadProfile profile{.thread_id = 42,
                        .thread_name = "worker",
                        .samples = {{0, {inner, outer}}, {10'000'000, {inner, outer}}, {20'000'000, {outer}}}};
  const boost::json::object transaction{{"event_id", "0123456789abcdef0123456789abcdef"},
                                        {"transaction", "/admin/login/"},
                                        {"start_timestamp", 1700000000.25},
                                        {"contexts", {{"trace", {{"trace_id", "fedcba9876543210fedcba9876543210"}}}}}};
  const auto json =
      profile_json(EventDefaults{.release = "oc-lettings@test", .environment = "test"}, transaction, profile);
  EXPECT_EQ(json.at("version"), "1");
  EXPECT_EQ(json.at("timestamp"), "2023-11-14T22:13:20.250Z");
  EXPECT_EQ(json.at("transaction").at("id"), "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(json.at("transaction").at("trace_id"), "fedcba9876543210fedcba9876543210");
  EXPECT_EQ(json.at("transaction").at("name"), "/admin/login/");
  EXPECT_EQ(json.at("transaction").at("active_thread_id"), "42");
  const auto& body = json.at("profile").as_object();
  EXPECT_EQ(body.at("frames").as_array().size(), 2U);
  EXPECT_EQ(body.at("stacks").as_array().size(), 2U) << "the repeated stack is listed once";
  const auto& samples = body.at("samples").as_array();
  ASSERT_EQ(samples.size(), 3U);
  EXPECT_EQ(samples[0].at("stack_id"), samples[1].at("stack_id"));
  EXPECT_EQ(samples[2].at("elapsed_since_start_ns"), "20000000");
  EXPECT_EQ(samples[2].at("thread_id"), "42");
  EXPECT_EQ(body.at("thread_metadata").at("42").at("name"), "worker");
  const std::string innermost(body.at("frames").at(0).at("function").as_string());
  EXPECT_NE(innermost.find("symbolize_frame"), std::string::npos) << innermost;
}

}  // namespace
}  // namespace ocl::monitoring
