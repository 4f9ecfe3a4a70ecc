#include "auth/cookies.hpp"
#include "http/text.hpp"

#include <ctime>

#include <fmt/format.h>

namespace ocl::auth {
namespace {

std::string http_date(std::chrono::system_clock::time_point time) {
  static constexpr std::string_view days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t stamp = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&stamp, &utc);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", days[utc.tm_wday], utc.tm_mday, months[utc.tm_mon],
                     utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

void find_in_header(std::string_view header, std::string_view name, std::optional<std::string>& found) {
  while (!header.empty()) {
    const auto end = header.find(';');
    const auto pair = http::trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && http::trim(pair.substr(0, equals)) == name) {
      auto value = http::trim(pair.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      found = std::string(value);
    }
  }
}

}  // namespace

std::optional<std::string> find_cookie(const http::Request& request, std::string_view name) {
  std::optional<std::string> found;
  const auto [first, last] = request.equal_range(http::HeaderField::cookie);
  for (auto field = first; field != last; ++field) {
    find_in_header(std::string_view(field->value().data(), field->value().size()), name, found);
  }
  return found;
}

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options) {
  const auto expires = std::chrono::system_clock::now() + options.max_age;
  return fmt::format("{}={}; expires={}; {}Max-Age={}; Path=/; SameSite=Lax{}", name, value, http_date(expires),
                     options.http_only ? "HttpOnly; " : "", options.max_age.count(), options.secure ? "; Secure" : "");
}

std::string delete_cookie_value(std::string_view name, bool secure) {
  return fmt::format("{}=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax{}", name,
                     secure ? "; Secure" : "");
}

}  // namespace ocl::auth
