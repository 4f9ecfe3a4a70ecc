#pragma once
/// @file
/// @brief A sampling profiler for profiled requests: the stack of each request's thread about 100 times a second.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "monitoring/stacktrace.hpp"

namespace ocl::monitoring {

/// @brief One sampled stack: return addresses, innermost first, and when it was taken.
struct StackSample {
  std::uint64_t elapsed_ns = 0;  ///< since the profile started
  RawFrames frames;
};

/// @brief What a profile collected on one thread.
struct ThreadProfile {
  std::uint64_t thread_id = 0;  ///< the kernel's thread id
  std::string thread_name;
  std::vector<StackSample> samples;
};

/// @brief Samples the threads that are running a profiled request: a sampler thread sends them SIGPROF
/// every `interval`, and the handler copies the interrupted stack (async-signal-safe) into the thread's
/// own buffer. Threads without a profile running are never interrupted.
class Profiler {
 public:
  static constexpr auto default_interval = std::chrono::milliseconds(10);  // 100 Hz, as Sentry's SDKs
  static constexpr std::size_t max_samples = 1000;                         // 10 s at 100 Hz
  static constexpr std::size_t max_depth = 48;

  explicit Profiler(std::chrono::milliseconds interval = default_interval);
  ~Profiler();
  Profiler(const Profiler&) = delete;
  Profiler& operator=(const Profiler&) = delete;

  /// @brief Starts sampling the calling thread; false when a profile already runs on it.
  bool start();
  /// @brief Stops sampling the calling thread and returns its samples (none if start() was not called).
  ThreadProfile stop();

 private:
  void run();

  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread sampler_;
};

}  // namespace ocl::monitoring
