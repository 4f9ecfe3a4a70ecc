#include "site/urls.hpp"

#include <chrono>
#include <memory>

#include "http/errors.hpp"
#include "http/rate_limit.hpp"
#include "site/views.hpp"

namespace ocl::site {

void add_routes(http::Router& router, const app::Services& services) {
  const auto* s = &services;
  router.add("index", "/", [s](http::Context& c) { return home(*s, c); }).cached();
  router.add("healthz", "/healthz", [s](http::Context& c) { return healthz(*s, c); });
  router.add("readyz", "/readyz", [s](http::Context& c) { return readyz(*s, c); });
  router.add("static", "/static/<path:path>", [s](http::Context& c) { return static_file(*s, c); });
  // Each call sends an event: a client may spend a few a minute, not the project's Sentry quota.
  auto limiter = std::make_shared<http::RateLimiter>(
      static_cast<std::size_t>(services.settings.sentry_debug_per_minute), std::chrono::minutes(1));
  router.add("sentry-debug", "/sentry-debug/", [s, limiter](http::Context& c) -> http::Response {
    if (const auto wait = limiter->try_acquire(c.client_address)) {
      throw http::TooManyRequests(static_cast<int>(wait->count()), "/sentry-debug/ rate limit");
    }
    sentry_debug(*s, c);
  });
}

}  // namespace ocl::site
