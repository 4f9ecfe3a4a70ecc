#include "app/database_faults.hpp"

#include <spdlog/spdlog.h>

#include "db/value.hpp"
#include "http/errors.hpp"

namespace ocl::app {

http::Middleware database_faults(int retry_after_seconds) {
  return [retry_after_seconds](http::Context& context, const http::Handler& next) {
    try {
      return next(context);
    } catch (const db::UnavailableError& error) {
      // Named as Django's request logger names a 503, so log searches find both.
      spdlog::error("Service Unavailable: {} {}: database unavailable ({}): {}",
                    std::string_view(context.request.method_string()), context.target.path, error.reason(),
                    error.what());
      throw http::ServiceUnavailable(retry_after_seconds, error.reason());
    }
  };
}

}  // namespace ocl::app
