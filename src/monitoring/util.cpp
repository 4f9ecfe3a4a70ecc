#include "monitoring/util.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <random>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace ocl::monitoring {
namespace {

std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::ranges::transform(result, result.begin(), [](unsigned char c) { return std::tolower(c); });
  return result;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string text(bytes * 2, '0');
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i % 16 == 0) {
      bits = generator()();
    }
    text[i] = digits[bits & 0xFU];
    bits >>= 4U;
  }
  return text;
}

double random_unit() {
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator());
}

double unix_seconds(std::chrono::system_clock::time_point time) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  return static_cast<double>(micros) / 1e6;
}

std::string iso_timestamp(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time - seconds).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", seconds, millis);
}

bool is_sensitive_header(std::string_view name) {
  static constexpr std::array<std::string_view, 13> markers = {
      "authorization", "cookie",  "csrf",      "token",     "secret",    "password",  "passwd",
      "session",       "api-key", "x-api-key", "forwarded", "x-real-ip", "signature",
  };
  const auto key = lower(name);
  return std::ranges::any_of(markers, [&](std::string_view marker) { return key.find(marker) != std::string::npos; });
}

bool& inside_client() noexcept {
  thread_local bool inside = false;
  return inside;
}

}  // namespace ocl::monitoring
