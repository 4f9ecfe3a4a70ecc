#include "monitoring/stacktrace.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>

#include <boost/json/object.hpp>
#include <boost/stacktrace/frame.hpp>
#include <boost/stacktrace/safe_dump_to.hpp>
#include <boost/stacktrace/stacktrace.hpp>

namespace ocl::monitoring {
namespace {

constexpr std::size_t max_frames = 64;

/// One remembered throw: the exception object and the stack at the throw.
struct ThrowRecord {
  const void* object = nullptr;
  std::array<boost::stacktrace::frame::native_frame_ptr_t, max_frames> frames{};
  std::size_t count = 0;
};

/// The last few throws of this thread (a throw inside a catch handler must not hide the first).
struct ThrowHistory {
  static constexpr std::size_t size = 4;
  std::array<ThrowRecord, size> records{};
  std::size_t next = 0;
};

std::atomic<bool> recording{false};

ThrowHistory& history() noexcept {
  thread_local ThrowHistory records;
  return records;
}

bool is_in_app(const std::string& file) {
  return !file.empty() && !file.starts_with("/usr/") && file.find("/boost/") == std::string::npos;
}

boost::json::object sentry_frame(const boost::stacktrace::frame& frame) {
  std::array<char, 32> address{};
  std::snprintf(address.data(), address.size(), "%p", frame.address());
  boost::json::object result{{"instruction_addr", address.data()}};
  auto name = frame.name();
  result["function"] = name.empty() ? std::string("<unknown>") : name;
  const auto file = frame.source_file();
  if (!file.empty()) {
    result["filename"] = file;
    result["abs_path"] = file;
    result["lineno"] = frame.source_line();
  }
  result["in_app"] = is_in_app(file);
  return result;
}

}  // namespace

void record_throw_stacks(bool enabled) noexcept {
  link_throw_hook();
  recording = enabled;
}

bool recording_throw_stacks() noexcept {
  return recording.load(std::memory_order_relaxed);
}

void remember_throw(const void* thrown) noexcept {
  auto& records = history();
  auto& record = records.records[records.next];
  records.next = (records.next + 1) % ThrowHistory::size;
  record.object = thrown;
  // Skips this function and the hook itself, so the first frame is the throwing function.
  record.count = boost::stacktrace::safe_dump_to(2, record.frames.data(), sizeof(record.frames));
  record.count = std::min(record.count, max_frames);
}

RawFrames throw_stack(const void* object) {
  auto& records = history().records;
  const auto found = std::ranges::find(records, object, &ThrowRecord::object);
  if (object == nullptr || found == records.end()) {
    return {};
  }
  found->object = nullptr;  // used once: a later exception at the same address must not match it
  return RawFrames(found->frames.begin(), found->frames.begin() + static_cast<std::ptrdiff_t>(found->count));
}

RawFrames current_stack() {
  std::array<boost::stacktrace::frame::native_frame_ptr_t, max_frames> frames{};
  const auto count = std::min(boost::stacktrace::safe_dump_to(1, frames.data(), sizeof(frames)), max_frames);
  return RawFrames(frames.begin(), frames.begin() + static_cast<std::ptrdiff_t>(count));
}

boost::json::object symbolize_frame(const void* address) {
  return sentry_frame(boost::stacktrace::frame(address));
}

boost::json::array symbolize(const RawFrames& frames) {
  boost::json::array result;
  for (std::size_t index = frames.size(); index-- > 0;) {  // Sentry lists the outermost frame first
    if (frames[index] != nullptr) {
      result.push_back(sentry_frame(boost::stacktrace::frame(frames[index])));
    }
  }
  return result;
}

}  // namespace ocl::monitoring
