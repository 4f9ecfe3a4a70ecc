#pragma once
/// @file
/// @brief Small helpers shared by the monitoring client: ids, clocks, header scrubbing.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace ocl::monitoring {

/// @brief `bytes` random bytes as lower-case hex (16 for an event or trace id, 8 for a span id).
std::string random_hex(std::size_t bytes);

/// @brief A uniformly random number in [0, 1).
double random_unit();

/// @brief Seconds since the Unix epoch, with sub-second precision (Sentry's timestamp form).
double unix_seconds(std::chrono::system_clock::time_point time = std::chrono::system_clock::now());

/// @brief RFC 3339 UTC time with milliseconds, e.g. "2024-05-01T10:00:00.123Z".
std::string iso_timestamp(std::chrono::system_clock::time_point time = std::chrono::system_clock::now());

/// @brief True for a header that may carry credentials or personal data (Cookie, Authorization,
/// X-CSRFToken, forwarding addresses, anything naming a token, secret, password or session).
bool is_sensitive_header(std::string_view name);

/// @brief True while the current thread runs client code, so its own log records are not captured.
bool& inside_client() noexcept;

/// @brief Marks the current thread as running client code for the guard's lifetime.
class InsideClient {
 public:
  InsideClient() : previous_(inside_client()) { inside_client() = true; }
  ~InsideClient() { inside_client() = previous_; }
  InsideClient(const InsideClient&) = delete;
  InsideClient& operator=(const InsideClient&) = delete;

 private:
  bool previous_;
};

}  // namespace ocl::monitoring
