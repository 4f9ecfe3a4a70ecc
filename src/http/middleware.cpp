#include "http/middleware.hpp"

#include <spdlog/spdlog.h>

#include "http/errors.hpp"

namespace ocl::http {

Handler build_pipeline(const std::vector<Middleware>& middlewares, Handler endpoint) {
  Handler chain = std::move(endpoint);
  for (auto layer = middlewares.rbegin(); layer != middlewares.rend(); ++layer) {
    chain = [middleware = *layer, next = std::move(chain)](Context& context) { return middleware(context, next); };
  }
  return chain;
}

Middleware error_pages(ErrorPageRenderer render, UnhandledErrorReporter report) {
  return [render = std::move(render), report = std::move(report)](Context& context, const Handler& next) {
    try {
      return next(context);
    } catch (const MethodNotAllowed& error) {
      auto response = render(context, error.status(), {});
      response.set(HeaderField::allow, error.allow());
      return response;
    } catch (const HttpError& error) {
      return render(context, error.status(), {});
    } catch (...) {
      const auto event_id = report(context, std::current_exception());
      return render(context, Status::internal_server_error, event_id);
    }
  };
}

Middleware allowed_hosts(std::function<bool(std::string_view)> is_allowed) {
  return [is_allowed = std::move(is_allowed)](Context& context, const Handler& next) {
    const auto host = context.request[HeaderField::host];
    if (!is_allowed(host)) {
      spdlog::warn("Invalid HTTP_HOST header: '{}'. You may need to add it to ALLOWED_HOSTS.",
                   std::string_view(host).substr(0, 200));
      throw HttpError(Status::bad_request, "disallowed host");
    }
    return next(context);
  };
}

Middleware security_headers() {
  return [](Context& context, const Handler& next) {
    auto response = next(context);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "same-origin");
    response.set("Cross-Origin-Opener-Policy", "same-origin");
    response.set("X-Frame-Options", "DENY");
    return response;
  };
}

}  // namespace ocl::http
