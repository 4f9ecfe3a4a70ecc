#pragma once
/// @file
/// @brief Database faults (read-only, full disk, I/O errors, lock timeouts) as 503 answers.

#include "http/context.hpp"

namespace ocl::app {

/// @brief How long a client is told to wait (`Retry-After`) before retrying after a database fault.
inline constexpr int database_retry_after_seconds = 30;

/// @brief Turns db::UnavailableError into http::ServiceUnavailable (the 503 page, with `Retry-After`) and logs
/// one line naming the fault; constraint and other database errors pass through unchanged.
http::Middleware database_faults(int retry_after_seconds = database_retry_after_seconds);

}  // namespace ocl::app
