#include "site/views.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "db/migrations.hpp"
#include "http/errors.hpp"
#include "http/responses.hpp"
#include "site/page.hpp"

namespace ocl::site {
namespace {

struct ErrorText {
  std::string_view title;
  std::string_view message;
};

ErrorText error_text(http::Status status) {
  switch (status) {
    case http::Status::bad_request:
      return {"Bad request", "The request could not be understood by the server."};
    case http::Status::forbidden:
      return {"Forbidden", "You do not have permission to see this page."};
    case http::Status::not_found:
      return {"Page not found", "The page you are looking for does not exist or has moved."};
    case http::Status::method_not_allowed:
      return {"Method not allowed", "This page cannot answer that kind of request."};
    case http::Status::too_many_requests:
      return {"Too many requests", "You have asked for this page too often. Please try again in a minute."};
    case http::Status::service_unavailable:
      return {"Service unavailable", "The site is briefly unavailable. Please try again in a moment."};
    default:
      return {"Server error", "Something went wrong on our side. It has been logged and we are looking into it."};
  }
}

}  // namespace

http::Response home(const app::Services& services, http::Context& context) {
  auto data = page_data("Home", Section::home);
  data.set("lettings_url", services.router.reverse("lettings:index"));
  data.set("profiles_url", services.router.reverse("profiles:index"));
  return render_page(services, context.request, "site/index", data);
}

http::Response healthz(const app::Services& /*services*/, http::Context& context) {
  auto response = http::text_response(context.request, http::Status::ok, "ok\n");
  response.set(http::HeaderField::cache_control, "no-store");
  return response;
}

http::Response readyz(const app::Services& services, http::Context& context) {
  // Ready means "can serve reads". Writes are not probed: with a full or read-only disk the public
  // pages still work, and taking the instance out of rotation would only hide them (a restart
  // fixes no disk); each refused write answers 503 and logs its cause instead.
  bool ready = false;
  try {
    auto connection = services.database.lease();
    ready = db::has_schema(*connection);
  } catch (const std::exception& error) {
    spdlog::warn("readiness check failed: {}", error.what());
  }
  auto response = http::text_response(context.request, ready ? http::Status::ok : http::Status::service_unavailable,
                                      ready ? "ready\n" : "database unavailable\n");
  response.set(http::HeaderField::cache_control, "no-store");
  return response;
}

http::Response static_file(const app::Services& services, http::Context& context) {
  const auto* file = services.static_files.find(context.params.text("path"));
  if (file == nullptr) {
    throw http::NotFound("no static file");
  }
  auto answer = services.static_files.respond(context.request, *file);
  context.shared_body = std::move(answer.shared_body);
  return std::move(answer.response);
}

http::Response sentry_debug(const app::Services& /*services*/, http::Context& /*context*/) {
  spdlog::info("info");
  spdlog::error("error");
  throw std::domain_error("division by zero");
}

http::Response error_page(const app::Services& services, const http::Context& context, http::Status status,
                          const std::string& event_id) {
  const auto text = error_text(status);
  auto data = page_data(text.title, Section::none);
  data.set("status", std::to_string(static_cast<unsigned>(status)));
  data.set("title", std::string(text.title));
  data.set("message", std::string(text.message));
  if (!event_id.empty()) {
    data.set("event_id", event_id);
  }
  auto response = render_page(services, context.request, "site/error", data, status);
  response.set(http::HeaderField::cache_control, "no-store");
  return response;
}

}  // namespace ocl::site
