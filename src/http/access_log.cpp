#include "http/access_log.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace ocl::http {
namespace {

spdlog::logger& access_logger() {
  static const auto logger = [] {
    auto existing = spdlog::get("access");
    return existing ? existing : spdlog::stdout_logger_mt("access");
  }();
  return *logger;
}

}  // namespace

std::string logfmt_quote(std::string_view value, std::size_t max_length) {
  std::string quoted = "\"";
  for (const char c : value.substr(0, max_length)) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      quoted += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

void log_access(const Request& request, const Answer& answer, const std::string& client,
                std::chrono::steady_clock::duration duration) {
  auto& logger = access_logger();
  if (!logger.should_log(spdlog::level::info)) {
    return;
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  logger.info("method={} path={} status={} bytes={} duration_ms={:.3f} client={} user_agent={}",
              std::string_view(request.method_string()), logfmt_quote(request.target()), answer.response.result_int(),
              answer.body().size(), static_cast<double>(micros) / 1000.0, client,
              logfmt_quote(request[HeaderField::user_agent], 256));
}

}  // namespace ocl::http
