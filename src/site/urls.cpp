#include "site/urls.hpp"

#include "site/views.hpp"

namespace ocl::site {

void add_routes(http::Router& router, const app::Services& services) {
  const auto* s = &services;
  router.add("index", "/", [s](http::Context& c) { return home(*s, c); }).cached();
  router.add("healthz", "/healthz", [s](http::Context& c) { return healthz(*s, c); });
  router.add("readyz", "/readyz", [s](http::Context& c) { return readyz(*s, c); });
  router.add("static", "/static/<path:path>", [s](http::Context& c) { return static_file(*s, c); });
  router.add("sentry-debug", "/sentry-debug/", [s](http::Context& c) -> http::Response { sentry_debug(*s, c); });
}

}  // namespace ocl::site
