#pragma once
/// @file
/// @brief Reporting a broken invariant from a fuzz target.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace ocl::fuzz {

/// @brief Prints a broken invariant and aborts, so libFuzzer records the input as a crash.
[[noreturn]] inline void fail(std::string_view what) {
  std::fprintf(stderr, "invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace ocl::fuzz
