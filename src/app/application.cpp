#include "app/application.hpp"

#include <spdlog/spdlog.h>

#include "admin/urls.hpp"
#include "app/database_faults.hpp"
#include "app/page_caching.hpp"
#include "auth/urls.hpp"
#include "config/cpu_budget.hpp"
#include "http/errors.hpp"
#include "http/middleware.hpp"
#include "http/responses.hpp"
#include "lettings/urls.hpp"
#include "monitoring/middleware.hpp"
#include "monitoring/traced_database.hpp"
#include "profiles/urls.hpp"
#include "site/urls.hpp"
#include "site/views.hpp"

namespace ocl::app {
namespace {

/// Logs an unhandled exception as Django's "django.request" logger does; returns no event id
/// (monitoring, when configured, supplies one).
std::string log_unhandled(const http::Context& context, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& exception) {
    spdlog::error("Internal Server Error: {}: {}", context.target.path, exception.what());
  } catch (...) {
    spdlog::error("Internal Server Error: {}: unknown exception", context.target.path);
  }
  return {};
}

/// The platform's and the container's health checks: answered under any host and over plain HTTP.
const std::vector<std::string> probe_paths{"/healthz", "/readyz"};

std::size_t database_connections() {
  return 2 * config::usable_cores() + 1;
}

}  // namespace

Application::Application(const config::Settings& settings)
    : Application(settings, monitoring::traced(db::open_database(settings.database, database_connections()),
                                               database_connections())) {}

Application::Application(const config::Settings& settings, std::unique_ptr<db::Database> database)
    : settings_(settings),
      database_(std::move(database)),
      static_files_(settings.static_root),
      page_cache_({.max_age = std::chrono::milliseconds(settings.page_cache.max_age_ms),
                   .max_bytes = static_cast<std::size_t>(settings.page_cache.max_megabytes) << 20U}),
      services_{settings_, *database_, templates_, router_, static_files_} {
  // Every lease that wrote drops the cached pages before its request answers.
  database_->on_change([this] { page_cache_.invalidate(); });
  auth::add_routes(router_, services_);
  admin::add_routes(router_, services_);
  site::add_routes(router_, services_);
  lettings::add_routes(router_, services_);
  profiles::add_routes(router_, services_);

  const auto* services = &services_;
  auto render_error = [services](const http::Context& context, http::Status status, const std::string& event_id) {
    return site::error_page(*services, context, status, event_id);
  };
  // The session left X-Forwarded-Proto only where a trusted proxy said the client used HTTPS.
  const auto is_secure = [](const http::Request& request) { return http::is_https(request); };
  std::vector<monitoring::NamedMiddleware> middlewares{
      // Outside error_pages, so error pages carry the security headers too.
      {"security_headers",
       http::security_headers({settings_.hsts_seconds, settings_.hsts_include_subdomains, settings_.hsts_preload},
                              is_secure)},
      {"error_pages", http::error_pages(render_error, monitoring::reporter(log_unhandled))},
      // Inside error_pages: a database fault becomes the 503 page instead of an unhandled 500.
      {"database_faults", database_faults()},
      {"allowed_hosts",
       http::allowed_hosts([this](std::string_view host) { return settings_.host_allowed(host); }, probe_paths)},
  };
  if (settings_.ssl_redirect) {
    // After the host check, so a redirect never names a host the site does not serve; before the page cache, so
    // a plain-HTTP request is redirected even when the page was cached for an HTTPS one.
    middlewares.push_back({"ssl_redirect", http::ssl_redirect(is_secure, probe_paths)});
  }
  middlewares.push_back({"conditional_get", http::conditional_get()});
  // Innermost: a cached page is the view's answer, before ETags and headers.
  middlewares.push_back({"page_caching", page_caching(page_cache_)});
  pipeline_ = http::build_pipeline(monitoring::instrument(std::move(middlewares)), router_.endpoint());
}

http::Lane Application::lane(const http::Request& request) const {
  const auto target = request.target();
  if (target.starts_with("/static/") || target == "/healthz") {
    return http::Lane::io;
  }
  // Every POST that may hash a password: sign-in, password changes, adding a user.
  const bool hashes_password = request.method() == http::Method::post &&
                               (target.starts_with("/admin/login/") || target.starts_with("/admin/password_change/") ||
                                target.starts_with("/admin/auth/user/"));
  return hashes_password ? http::Lane::slow : http::Lane::worker;
}

std::optional<http::Answer> Application::answer_at_once(const http::Request& request,
                                                        const std::string& client_address) {
  if (lane(request) == http::Lane::io) {
    return respond(request, client_address, nullptr);
  }
  const auto key = http::PageCache::key_of(request);
  if (!key || !page_cache_.enabled()) {
    return std::nullopt;
  }
  auto page = page_cache_.find(*key);
  if (!page) {
    return std::nullopt;
  }
  return respond(request, client_address, page);
}

http::Response Application::handle(const http::Request& request, const std::string& client_address) {
  auto answer = respond(request, client_address, nullptr);
  if (answer.shared_body) {
    answer.response.body() = *answer.shared_body;  // callers of handle() get the bytes themselves
  }
  return std::move(answer.response);
}

http::Answer Application::respond(const http::Request& request, const std::string& client_address,
                                  const std::shared_ptr<const http::CachedPage>& cached_page) {
  http::Answer answer;
  auto& response = answer.response;
  std::shared_ptr<const std::string> shared_body;
  try {
    response = handle_or_throw(request, client_address, cached_page, shared_body);
  } catch (const std::exception& error) {
    // Only reached if rendering the error page itself failed.
    spdlog::critical("error page failed: {}", error.what());
    response = http::text_response(request, http::Status::internal_server_error, "Server Error (500)\n");
    shared_body = nullptr;
  }
  if (shared_body && response.result() == http::Status::ok && response.body().empty()) {
    // Content-Length already gives the shared body's size; a HEAD answer sends no body at all.
    if (request.method() != http::Method::head) {
      answer.shared_body = std::move(shared_body);
    }
    return answer;
  }
  if (response.result() != http::Status::not_modified) {
    response.prepare_payload();  // every answer carries its Content-Length, so keep-alive works
  }
  if (request.method() == http::Method::head) {
    const auto length = response.body().size();
    response.body().clear();
    response.content_length(length);
  }
  return answer;
}

http::Response Application::handle_or_throw(const http::Request& request, const std::string& client_address,
                                            const std::shared_ptr<const http::CachedPage>& cached_page,
                                            std::shared_ptr<const std::string>& shared_body) {
  // A target with broken percent-encoding or invalid UTF-8 gets an empty path, which no
  // route matches: it still passes the host check and gets the 404 page with its headers.
  auto target = http::parse_target(request.target()).value_or(http::Target{{}, std::string(request.target()), {}});
  auto query = http::parse_query(target.raw_query);
  http::Context context{request, std::move(target), std::move(query), client_address};
  context.cached_page = cached_page;
  auto response = pipeline_(context);
  shared_body = std::move(context.shared_body);
  return response;
}

}  // namespace ocl::app
