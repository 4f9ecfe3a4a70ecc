#include "monitoring/middleware.hpp"

#include "monitoring/client.hpp"
#include "monitoring/log_sink.hpp"
#include "monitoring/scope.hpp"

namespace ocl::monitoring {
namespace {

/// Opens the request's scope (its transaction) around the whole pipeline.
http::Middleware tracing(Client& client) {
  return [&client](http::Context& context, const http::Handler& next) {
    RequestScope scope(client.start_trace(context.request));
    scope.context = &context;
    const ActiveScope active(scope);
    client.start_profile(scope);
    http::Response response;
    try {
      response = next(context);
    } catch (...) {
      scope.crashed = true;
      client.finish_request(scope, 500);
      throw;
    }
    client.finish_request(scope, response.result_int());
    return response;
  };
}

http::Middleware with_span(NamedMiddleware named) {
  return [name = std::move(named.name), middleware = std::move(named.middleware)](http::Context& context,
                                                                                  const http::Handler& next) {
    const Span span("middleware.http", name);
    return middleware(context, next);
  };
}

}  // namespace

std::vector<http::Middleware> instrument(std::vector<NamedMiddleware> middlewares) {
  std::vector<http::Middleware> pipeline;
  auto* running = client();
  if (running != nullptr) {
    pipeline.push_back(tracing(*running));
  }
  for (auto& named : middlewares) {
    pipeline.push_back(running != nullptr ? with_span(std::move(named)) : std::move(named.middleware));
  }
  return pipeline;
}

http::UnhandledErrorReporter reporter(http::UnhandledErrorReporter log) {
  if (client() == nullptr) {
    return log;
  }
  return [log = std::move(log)](const http::Context& context, const std::exception_ptr& error) {
    auto* running = client();
    auto event_id = running != nullptr ? running->capture_exception(error, &context) : std::string{};
    auto& only_breadcrumbs = log_breadcrumbs_only();
    only_breadcrumbs = true;
    try {
      log(context, error);
    } catch (...) {
      only_breadcrumbs = false;
      throw;
    }
    only_breadcrumbs = false;
    return event_id;
  };
}

}  // namespace ocl::monitoring
