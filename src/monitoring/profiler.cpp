#include "monitoring/profiler.hpp"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <csignal>

#include <array>
#include <atomic>
#include <cerrno>
#include <ctime>
#include <memory>

#include <boost/stacktrace/safe_dump_to.hpp>

namespace ocl::monitoring {
namespace {

using Address = const void*;  // what safe_dump_to writes: boost::stacktrace::frame::native_frame_ptr_t

/// One raw sample, written by the signal handler: fixed size, no allocation.
struct RawSample {
  std::uint64_t time_ns = 0;
  std::size_t depth = 0;
  std::array<Address, Profiler::max_depth> frames{};
};

/// A thread that ran a profile once; kept for the life of the process (threads are pool threads).
struct ThreadSlot {
  pthread_t thread = pthread_self();
  std::uint64_t thread_id = static_cast<std::uint64_t>(::syscall(SYS_gettid));
  std::atomic<bool> active{false};
  std::atomic<std::size_t> count{0};
  std::uint64_t start_ns = 0;
  std::array<RawSample, Profiler::max_samples> samples{};
};

std::mutex registry_mutex;
std::vector<std::unique_ptr<ThreadSlot>>& registry() {
  static std::vector<std::unique_ptr<ThreadSlot>> slots;
  return slots;
}
thread_local ThreadSlot* current_slot = nullptr;

std::uint64_t monotonic_ns() noexcept {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000U + static_cast<std::uint64_t>(now.tv_nsec);
}

// Runs on the interrupted thread; uses only async-signal-safe calls.
extern "C" void take_sample(int /*signal*/) {
  const int saved_errno = errno;
  auto* slot = current_slot;
  if (slot != nullptr && slot->active.load(std::memory_order_acquire)) {
    const auto index = slot->count.load(std::memory_order_relaxed);
    if (index < Profiler::max_samples) {
      auto& sample = slot->samples[index];
      sample.time_ns = monotonic_ns();
      // Skips this handler and the kernel's signal trampoline: the first frame is the interrupted one.
      sample.depth = boost::stacktrace::safe_dump_to(2, sample.frames.data(), sizeof(sample.frames));
      slot->count.store(index + 1, std::memory_order_release);
    }
  }
  errno = saved_errno;
}

void install_handler() {
  struct sigaction action {};
  action.sa_handler = take_sample;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGPROF, &action, nullptr);
  // The unwinder loads its library on first use: do it here, not in the handler.
  std::array<Address, 4> warm_up{};
  boost::stacktrace::safe_dump_to(0, warm_up.data(), sizeof(warm_up));
}

std::string thread_name(pthread_t thread) {
  std::array<char, 32> name{};
  if (pthread_getname_np(thread, name.data(), name.size()) != 0) {
    return {};
  }
  return name.data();
}

}  // namespace

Profiler::Profiler(std::chrono::milliseconds interval) : interval_(interval) {
  install_handler();
  sampler_ = std::thread([this] { run(); });
}

Profiler::~Profiler() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  sampler_.join();
}

void Profiler::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    const std::scoped_lock slots(registry_mutex);
    for (const auto& slot : registry()) {
      if (slot->active.load(std::memory_order_acquire)) {
        pthread_kill(slot->thread, SIGPROF);
      }
    }
  }
}

bool Profiler::start() {
  if (current_slot == nullptr) {
    auto slot = std::make_unique<ThreadSlot>();
    current_slot = slot.get();
    const std::scoped_lock lock(registry_mutex);
    registry().push_back(std::move(slot));
  }
  if (current_slot->active.load(std::memory_order_acquire)) {
    return false;
  }
  current_slot->count.store(0, std::memory_order_relaxed);
  current_slot->start_ns = monotonic_ns();
  current_slot->active.store(true, std::memory_order_release);
  return true;
}

ThreadProfile Profiler::stop() {
  ThreadProfile profile;
  auto* slot = current_slot;
  if (slot == nullptr || !slot->active.load(std::memory_order_acquire)) {
    return profile;
  }
  // After this store the handler records nothing more here: it runs on this very thread.
  slot->active.store(false, std::memory_order_release);
  profile.thread_id = slot->thread_id;
  profile.thread_name = thread_name(slot->thread);
  const auto count = slot->count.load(std::memory_order_acquire);
  profile.samples.reserve(count);
  for (std::size_t index = 0; index < count; ++index) {
    const auto& raw = slot->samples[index];
    StackSample sample{raw.time_ns - slot->start_ns, {}};
    const auto depth = std::min(raw.depth, raw.frames.size());
    sample.frames.assign(raw.frames.begin(), raw.frames.begin() + static_cast<std::ptrdiff_t>(depth));
    profile.samples.push_back(std::move(sample));
  }
  return profile;
}

}  // namespace ocl::monitoring
