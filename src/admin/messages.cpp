#include "admin/messages.hpp"

#include <chrono>

#include <boost/json.hpp>

#include "auth/cookies.hpp"
#include "auth/signing.hpp"

namespace ocl::admin {
namespace {

constexpr std::string_view cookie_name = "messages";
constexpr std::string_view salt = "ocl.admin.messages";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void add_message(http::Response& response, const app::Services& services, std::string_view level,
                 std::string_view text) {
  boost::json::object message;
  message["level"] = level;
  message["text"] = text;
  const auto value = auth::sign_object(message, services.settings.secret_key, salt, false, unix_now());
  const auth::CookieOptions options{
      .max_age = std::chrono::seconds{300}, .http_only = true, .secure = !services.settings.debug};
  response.insert(http::HeaderField::set_cookie, auth::set_cookie_value(cookie_name, value, options));
}

templates::Data take_messages(const app::Services& services, const http::Context& context) {
  templates::Data list{templates::Data::type::list};
  const auto cookie = auth::find_cookie(context.request, cookie_name);
  if (!cookie) {
    return list;
  }
  const auto message = auth::unsign_object(*cookie, services.settings.secret_key, salt);
  if (!message || !message->contains("level") || !message->at("level").is_string() || !message->contains("text") ||
      !message->at("text").is_string()) {
    return list;
  }
  templates::Data item{templates::Data::type::object};
  const std::string level(message->at("level").as_string());
  item.set("level", level == "success" || level == "warning" ? level : "danger");
  item.set("text", std::string(message->at("text").as_string()));
  list.push_back(item);
  return list;
}

void clear_messages(const app::Services& services, const http::Context& context, http::Response& response) {
  if (auth::find_cookie(context.request, cookie_name)) {
    response.insert(http::HeaderField::set_cookie, auth::delete_cookie_value(cookie_name, !services.settings.debug));
  }
}

}  // namespace ocl::admin
