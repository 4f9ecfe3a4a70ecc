#include "monitoring/log_sink.hpp"

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>

#include "monitoring/client.hpp"
#include "monitoring/util.hpp"

namespace ocl::monitoring {
namespace {

class EventSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    auto* running = client();
    if (running == nullptr || inside_client() || message.level < spdlog::level::info) {
      return;
    }
    running->capture_log(message.level, std::string_view(message.logger_name.data(), message.logger_name.size()),
                         std::string_view(message.payload.data(), message.payload.size()), log_breadcrumbs_only());
  }
  void flush_() override {}
};

}  // namespace

std::shared_ptr<spdlog::sinks::sink> make_log_sink() {
  return std::make_shared<EventSink>();
}

bool& log_breadcrumbs_only() noexcept {
  thread_local bool only = false;
  return only;
}

}  // namespace ocl::monitoring
