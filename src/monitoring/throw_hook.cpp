/// @file
/// @brief Interposes the C++ runtime's `__cxa_throw` so an error event can carry the stack of the
/// throw itself, not only of the catch site. Costs one relaxed atomic load per throw while monitoring is off.
///
/// Deliberately includes no header that declares `__cxa_throw` or throws: g++ declares it
/// implicitly, with `void*` for the type argument, at the first throw expression it compiles.

#include <dlfcn.h>

#include "monitoring/throw_capture.hpp"

namespace {

using ThrowFunction = void (*)(void*, void*, void (*)(void*));

ThrowFunction original_throw() noexcept {
  static const auto original = reinterpret_cast<ThrowFunction>(dlsym(RTLD_NEXT, "__cxa_throw"));
  return original;
}

}  // namespace

extern "C" {

/// @brief Records the stack (when enabled), then throws as the runtime does.
// NOLINTNEXTLINE(bugprone-reserved-identifier): this is the runtime's own name, interposed on purpose
[[noreturn]] void __cxa_throw(void* thrown, void* type, void (*destructor)(void*)) {
  if (ocl::monitoring::recording_throw_stacks()) {
    ocl::monitoring::remember_throw(thrown);
  }
  original_throw()(thrown, type, destructor);
  __builtin_unreachable();
}
}

void ocl::monitoring::link_throw_hook() noexcept {}
