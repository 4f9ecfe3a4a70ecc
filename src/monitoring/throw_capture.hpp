#pragma once
/// @file
/// @brief The switch and the record call of the throw hook. Includes nothing, so that the hook's
/// translation unit sees no other declaration of `__cxa_throw`.

namespace ocl::monitoring {

/// @brief Starts recording the stack of every thrown exception (see throw_hook.cpp); off by default.
void record_throw_stacks(bool enabled) noexcept;

/// @brief True while throw stacks are recorded.
bool recording_throw_stacks() noexcept;

/// @brief Called by the throw hook: remembers the current stack for the exception object `thrown`.
void remember_throw(const void* thrown) noexcept;

/// @brief Does nothing; defined beside the hook and called by record_throw_stacks() so that linking
/// the switch links the hook too. The linker takes an archive member only for a symbol still
/// undefined, and a runtime linked before the library may define `__cxa_throw` already
/// (AddressSanitizer's does): without this reference the hook would silently be left out.
void link_throw_hook() noexcept;

}  // namespace ocl::monitoring
