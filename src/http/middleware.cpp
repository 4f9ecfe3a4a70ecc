#include "http/middleware.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/errors.hpp"
#include "http/static_files.hpp"

namespace ocl::http {

namespace {

bool is_exempt(const std::vector<std::string>& exempt, const Context& context) {
  return std::ranges::find(exempt, context.target.path) != exempt.end();
}

}  // namespace

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
    } catch (const RetryLater& error) {
      auto response = render(context, error.status(), {});
      response.set(HeaderField::retry_after, std::to_string(error.retry_after()));
      return response;
    } catch (const HttpError& error) {
      return render(context, error.status(), {});
    } catch (...) {
      const auto event_id = report(context, std::current_exception());
      return render(context, Status::internal_server_error, event_id);
    }
  };
}

Middleware allowed_hosts(std::function<bool(std::string_view)> is_allowed, std::vector<std::string> exempt) {
  return [is_allowed = std::move(is_allowed), exempt = std::move(exempt)](Context& context, const Handler& next) {
    const auto host = context.request[HeaderField::host];
    if (!is_allowed(host) && !is_exempt(exempt, context)) {
      spdlog::warn("Invalid HTTP_HOST header: '{}'. You may need to add it to ALLOWED_HOSTS.",
                   std::string_view(host).substr(0, 200));
      throw HttpError(Status::bad_request, "disallowed host");
    }
    return next(context);
  };
}

namespace {

std::string hsts_value(const HstsPolicy& hsts) {
  auto value = "max-age=" + std::to_string(hsts.seconds);
  if (hsts.include_subdomains) {
    value += "; includeSubDomains";
  }
  if (hsts.preload) {
    value += "; preload";
  }
  return value;
}

/// The pages load nothing but the site's own files: no inline script or style, no frames.
constexpr std::string_view default_content_security_policy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

/// Answers that must not be validated: private or uncacheable ones, those setting cookies, and those
/// carrying a strong validator of their own (static files answer their conditional requests themselves).
bool wants_etag(const Response& response) {
  const auto etag = response[HeaderField::etag];
  return response.result() == Status::ok && (etag.empty() || etag.starts_with("W/")) &&
         response.find(HeaderField::set_cookie) == response.end() &&
         response[HeaderField::cache_control].find("no-store") == std::string_view::npos;
}

}  // namespace

std::string weak_etag(std::string_view body) {
  return fmt::format("W/\"{:016x}\"", std::hash<std::string_view>{}(body));
}

Middleware conditional_get() {
  return [](Context& context, const Handler& next) {
    auto response = next(context);
    const auto method = context.request.method();
    if ((method != Method::get && method != Method::head) || !wants_etag(response)) {
      return response;
    }
    // A cached page carries the tag computed when it was stored.
    if (response.find(HeaderField::etag) == response.end()) {
      response.set(HeaderField::etag, weak_etag(response.body()));
    }
    const auto etag = response[HeaderField::etag];
    if (etag_matches(context.request[HeaderField::if_none_match], etag.substr(2))) {
      response.result(Status::not_modified);
      response.body().clear();
      response.erase(HeaderField::content_type);
      response.erase(HeaderField::content_length);
    }
    return response;
  };
}

Middleware security_headers(HstsPolicy hsts, SecureRequestTest is_secure) {
  const auto hsts_header = hsts.seconds > 0 ? hsts_value(hsts) : std::string{};
  return [hsts_header, is_secure = std::move(is_secure)](Context& context, const Handler& next) {
    auto response = next(context);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "same-origin");
    response.set("Cross-Origin-Opener-Policy", "same-origin");
    response.set("X-Frame-Options", "DENY");
    if (response.find("Content-Security-Policy") == response.end()) {
      response.set("Content-Security-Policy", default_content_security_policy);
    }
    // Browsers ignore HSTS over plain HTTP, and sending it there would advertise nothing true.
    if (!hsts_header.empty() && is_secure && is_secure(context.request)) {
      response.set(HeaderField::strict_transport_security, hsts_header);
    }
    return response;
  };
}

Middleware ssl_redirect(SecureRequestTest is_secure, std::vector<std::string> exempt) {
  return [is_secure = std::move(is_secure), exempt = std::move(exempt)](Context& context, const Handler& next) {
    if (is_secure(context.request) || is_exempt(exempt, context)) {
      return next(context);
    }
    const auto location =
        "https://" + std::string(context.request[HeaderField::host]) + std::string(context.request.target());
    Response response{Status::moved_permanently, context.request.version()};
    response.set(HeaderField::location, location);
    return response;
  };
}

}  // namespace ocl::http
