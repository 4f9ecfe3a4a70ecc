#pragma once
/// @file
/// @brief Stack traces for error events: raw return addresses captured cheaply, symbolised later
/// (on the sender thread) from the binary's debug information with libbacktrace.

#include <exception>
#include <vector>

#include <boost/json/array.hpp>

#include "monitoring/throw_capture.hpp"

namespace ocl::monitoring {

/// @brief Return addresses, innermost first.
using RawFrames = std::vector<const void*>;

/// @brief The stack where `object` was thrown on this thread, if the hook recorded it; else empty.
RawFrames throw_stack(const void* object);

/// @brief The current thread's stack, innermost first, without this function.
RawFrames current_stack();

/// @brief Sentry `frames` (outermost first) with function, file, line and in_app, from the binary.
boost::json::array symbolize(const RawFrames& frames);

/// @brief One Sentry frame (instruction_addr, function, file, line, in_app) for a return address.
boost::json::object symbolize_frame(const void* address);

}  // namespace ocl::monitoring
