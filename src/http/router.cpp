#include "http/router.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <boost/beast/http/verb.hpp>

#include "http/errors.hpp"

namespace ocl::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) {
      return parts;
    }
    start = slash + 1;
  }
}

Converter parse_converter(std::string_view name, std::string_view pattern) {
  if (name == "int") return Converter::integer;
  if (name == "str") return Converter::string;
  if (name == "slug") return Converter::slug;
  if (name == "path") return Converter::path;
  throw std::invalid_argument("unknown converter '" + std::string(name) + "' in " + std::string(pattern));
}

Route::Segment parse_segment(std::string_view part, std::string_view pattern) {
  if (!part.starts_with('<')) {
    return {Converter::literal, std::string(part)};
  }
  const auto colon = part.find(':');
  if (!part.ends_with('>') || colon == std::string_view::npos) {
    throw std::invalid_argument("malformed parameter '" + std::string(part) + "' in " + std::string(pattern));
  }
  return {parse_converter(part.substr(1, colon - 1), pattern),
          std::string(part.substr(colon + 1, part.size() - colon - 2))};
}

bool fits_int64(std::string_view digits) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc{} && end == digits.data() + digits.size();
}

bool converter_accepts(Converter converter, std::string_view value) {
  if (value.empty()) {
    return false;
  }
  switch (converter) {
    case Converter::integer:
      return std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; }) && fits_int64(value);
    case Converter::slug:
      return std::ranges::all_of(value, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      });
    case Converter::string:
    case Converter::path:
    case Converter::literal:
      return true;
  }
  return false;
}

}  // namespace

const std::string& PathParams::text(std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) {
      return value;
    }
  }
  throw std::out_of_range("no path parameter " + std::string(name));
}

std::int64_t PathParams::integer(std::string_view name) const {
  const auto& value = text(name);
  std::int64_t number = 0;
  std::from_chars(value.data(), value.data() + value.size(), number);
  return number;
}

Route::Route(std::string name, std::string pattern, std::vector<Method> methods, Handler view)
    : name_(std::move(name)), pattern_(std::move(pattern)), methods_(std::move(methods)), view_(std::move(view)) {
  if (!pattern_.starts_with('/')) {
    throw std::invalid_argument("route pattern must start with '/': " + pattern_);
  }
  const auto parts = split_path(pattern_);
  for (std::size_t index = 0; index < parts.size(); ++index) {
    auto segment = parse_segment(parts[index], pattern_);
    if (segment.converter == Converter::path && index + 1 != parts.size()) {
      throw std::invalid_argument("a <path:...> parameter must end the pattern: " + pattern_);
    }
    segments_.push_back(std::move(segment));
  }
  if (std::ranges::find(methods_, Method::get) != methods_.end() &&
      std::ranges::find(methods_, Method::head) == methods_.end()) {
    methods_.push_back(Method::head);
  }
}

bool Route::accepts(Method method) const {
  return std::ranges::find(methods_, method) != methods_.end();
}

std::string Route::allow_header() const {
  std::string allow;
  for (const auto method : methods_) {
    if (!allow.empty()) {
      allow += ", ";
    }
    allow += boost::beast::http::to_string(method);
  }
  return allow + ", OPTIONS";
}

bool Route::match(std::string_view path, PathParams& params) const {
  const auto parts = split_path(path);
  PathParams captured;
  for (std::size_t index = 0; index < segments_.size(); ++index) {
    const auto& segment = segments_[index];
    if (index >= parts.size()) {
      return false;
    }
    if (segment.converter == Converter::path) {
      const auto offset = static_cast<std::size_t>(parts[index].data() - path.data());
      const auto rest = path.substr(offset);
      if (rest.empty()) {
        return false;
      }
      captured.add(segment.text, std::string(rest));
      params = std::move(captured);
      return true;
    }
    if (segment.converter == Converter::literal) {
      if (parts[index] != segment.text) {
        return false;
      }
    } else if (converter_accepts(segment.converter, parts[index])) {
      captured.add(segment.text, std::string(parts[index]));
    } else {
      return false;
    }
  }
  if (parts.size() != segments_.size()) {
    return false;
  }
  params = std::move(captured);
  return true;
}

std::string Route::build(std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
  std::string path;
  for (std::size_t index = 0; index < segments_.size(); ++index) {
    if (index > 0) {
      path += '/';
    }
    const auto& segment = segments_[index];
    if (segment.converter == Converter::literal) {
      path += segment.text;
      continue;
    }
    const auto* argument = std::ranges::find_if(args, [&](const auto& arg) { return arg.first == segment.text; });
    if (argument == args.end()) {
      throw std::out_of_range("reverse(" + name_ + "): missing argument " + segment.text);
    }
    if (!converter_accepts(segment.converter, argument->second)) {
      throw std::out_of_range("reverse(" + name_ + "): bad value for " + segment.text);
    }
    path += percent_encode_segment(argument->second);
  }
  return path;
}

Router& Router::add(std::string name, std::string pattern, Handler view, std::vector<Method> methods) {
  if (!name.empty() && std::ranges::any_of(routes_, [&](const auto& route) { return route->name() == name; })) {
    throw std::invalid_argument("duplicate route name " + name);
  }
  routes_.push_back(std::make_unique<Route>(std::move(name), std::move(pattern), std::move(methods), std::move(view)));
  return *this;
}

Router& Router::cached() {
  if (routes_.empty()) {
    throw std::logic_error("Router::cached() needs a route added before it");
  }
  routes_.back()->allow_caching();
  return *this;
}

RouteMatch Router::match(Method method, std::string_view path, bool append_slash) const {
  RouteMatch result;
  if (path.empty()) {
    return result;  // an undecodable target
  }
  for (const auto& route : routes_) {
    PathParams params;
    if (!route->match(path, params)) {
      continue;
    }
    if (route->accepts(method)) {
      return {RouteMatch::Kind::found, route.get(), std::move(params)};
    }
    if (result.route == nullptr) {
      result = {RouteMatch::Kind::method_not_allowed, route.get(), std::move(params)};
    }
  }
  if (result.route != nullptr) {
    return result;
  }
  if (append_slash && !path.ends_with('/')) {
    const auto slashed = match(method, std::string(path) + "/", false);
    if (slashed.kind != RouteMatch::Kind::not_found) {
      return {RouteMatch::Kind::append_slash, nullptr, {}};
    }
  }
  return result;
}

std::string Router::reverse(std::string_view name,
                            std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
  for (const auto& route : routes_) {
    if (route->name() == name) {
      return route->build(args);
    }
  }
  throw std::out_of_range("reverse: no route named " + std::string(name));
}

Handler Router::endpoint() const {
  return [this](Context& context) -> Response {
    auto matched = match(context.request.method(), context.target.path);
    switch (matched.kind) {
      case RouteMatch::Kind::found:
        context.route = matched.route;
        context.params = std::move(matched.params);
        return matched.route->view()(context);
      case RouteMatch::Kind::method_not_allowed:
        context.route = matched.route;
        if (context.request.method() == Method::options) {
          Response response{Status::ok, context.request.version()};
          response.set(HeaderField::allow, matched.route->allow_header());
          return response;
        }
        throw MethodNotAllowed(matched.route->allow_header());
      case RouteMatch::Kind::append_slash: {
        if (context.target.raw_path.starts_with("//")) {
          break;  // "//host" would become a protocol-relative redirect to another site
        }
        Response response{Status::moved_permanently, context.request.version()};
        auto location = context.target.raw_path + "/";
        if (!context.target.raw_query.empty()) {
          location += "?" + context.target.raw_query;
        }
        response.set(HeaderField::location, location);
        return response;
      }
      case RouteMatch::Kind::not_found:
        break;
    }
    throw NotFound();
  };
}

}  // namespace ocl::http
