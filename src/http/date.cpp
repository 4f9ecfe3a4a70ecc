#include "http/date.hpp"

#include <array>

namespace ocl::http {

std::string http_date(std::time_t time) {
  std::tm parts{};
  gmtime_r(&time, &parts);
  std::array<char, 32> text{};
  const auto length = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return {text.data(), length};
}

std::string_view current_http_date() {
  thread_local std::time_t formatted_second = -1;
  thread_local std::string formatted;
  const auto now = std::time(nullptr);
  if (now != formatted_second) {
    formatted = http_date(now);
    formatted_second = now;
  }
  return formatted;
}

}  // namespace ocl::http
