#include "app/page_caching.hpp"

#include "http/middleware.hpp"
#include "http/router.hpp"
#include "monitoring/scope.hpp"

namespace ocl::app {
namespace {

bool keepable(const http::Context& context, const http::Response& response) {
  return context.route != nullptr && context.route->cached() && response.result() == http::Status::ok &&
         response.find(http::HeaderField::set_cookie) == response.end() &&
         response[http::HeaderField::cache_control].find("no-store") == std::string_view::npos;
}

std::shared_ptr<const http::CachedPage> look_up(const http::PageCache& cache, const http::Context& context,
                                                std::string_view key) {
  monitoring::Span span("cache.get", key);
  auto page = context.cached_page ? context.cached_page : cache.find(key);
  span.set("cache.key", key);
  span.set("cache.hit", page != nullptr);
  if (page) {
    span.set("cache.item_size", page->bytes);
  }
  return page;
}

/// The page's headers, with the length of the body that is sent from the cache itself.
http::Response headers_of(const http::CachedPage& page) {
  http::Response headers{page.response.base()};
  headers.content_length(page.response.body().size());
  return headers;
}

}  // namespace

http::Middleware page_caching(http::PageCache& cache) {
  return [&cache](http::Context& context, const http::Handler& next) -> http::Response {
    const auto key = http::PageCache::key_of(context.request);
    if (!key || !cache.enabled()) {
      return next(context);
    }
    if (const auto page = look_up(cache, context, *key)) {
      context.route = page->route;  // as if routed: monitoring names the transaction by its pattern
      // Aliasing pointer: the page stays alive until the body is sent.
      context.shared_body = std::shared_ptr<const std::string>(page, &page->response.body());
      return headers_of(*page);
    }
    const auto generation = cache.generation();  // before rendering: a write meanwhile voids the page
    auto response = next(context);
    if (keepable(context, response)) {
      monitoring::Span span("cache.put", *key);
      span.set("cache.key", *key);
      span.set("cache.item_size", response.body().size());
      response.set(http::HeaderField::etag, http::weak_etag(response.body()));  // computed once, not per hit
      cache.store(*key, response, generation, context.route);
    }
    return response;
  };
}

}  // namespace ocl::app
