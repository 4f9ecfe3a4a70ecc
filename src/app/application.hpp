#pragma once
/// @file
/// @brief The whole site as one request handler: services, routes and middleware chain.

#include <memory>
#include <string>

#include "app/services.hpp"
#include "config/settings.hpp"
#include "db/database.hpp"
#include "http/context.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "templates/engine.hpp"

namespace ocl::app {

/// @brief Owns every service and answers requests (Beast's `handle_request`, as an object).
class Application final : public http::RequestHandler {
 public:
  /// @brief Opens the database and loads templates and static files.
  explicit Application(const config::Settings& settings);
  /// @brief Uses an already-open database (tests, benchmarks).
  Application(const config::Settings& settings, std::unique_ptr<db::Database> database);

  http::Response handle(const http::Request& request, const std::string& client_address) override;
  [[nodiscard]] http::Lane lane(const http::Request& request) const override;
  /// @brief A request of the I/O lane or a page the page cache holds, answered through the whole pipeline
  /// without leaving the I/O thread; the answer shares the body of a cached page or a static file.
  std::optional<http::Answer> answer_at_once(const http::Request& request, const std::string& client_address) override;

  [[nodiscard]] const http::Router& router() const { return router_; }
  [[nodiscard]] db::Database& database() { return *database_; }
  [[nodiscard]] const http::PageCache& page_cache() const { return page_cache_; }

 private:
  http::Answer respond(const http::Request& request, const std::string& client_address,
                       const std::shared_ptr<const http::CachedPage>& cached_page);
  http::Response handle_or_throw(const http::Request& request, const std::string& client_address,
                                 const std::shared_ptr<const http::CachedPage>& cached_page,
                                 std::shared_ptr<const std::string>& shared_body);

  const config::Settings& settings_;
  std::unique_ptr<db::Database> database_;
  templates::Engine templates_;
  http::StaticFiles static_files_;
  http::PageCache page_cache_;
  http::Router router_;
  Services services_;
  http::Handler pipeline_;
};

}  // namespace ocl::app
