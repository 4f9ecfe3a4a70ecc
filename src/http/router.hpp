#pragma once
/// @file
/// @brief URL routing with Django-style typed patterns and reverse URL building by name.

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/context.hpp"

namespace ocl::http {

/// @brief A path converter, as Django's `<int:...>`, `<str:...>`, `<slug:...>`, `<path:...>`.
enum class Converter { literal, integer, string, slug, path };

/// @brief One registered route: a name, a pattern, the methods it accepts and its view.
class Route {
 public:
  struct Segment {
    Converter converter = Converter::literal;
    std::string text;  ///< literal text, or the parameter name
  };

  Route(std::string name, std::string pattern, std::vector<Method> methods, Handler view);

  [[nodiscard]] const std::string& name() const { return name_; }
  /// @brief The pattern as written ("/lettings/<int:letting_id>/"), e.g. for transaction names.
  [[nodiscard]] const std::string& pattern() const { return pattern_; }
  [[nodiscard]] const Handler& view() const { return view_; }
  /// @brief True for a public page the same for every visitor, which the page cache may keep.
  [[nodiscard]] bool cached() const { return cached_; }
  /// @brief Lets the page cache keep this route's pages.
  void allow_caching() { cached_ = true; }
  [[nodiscard]] bool accepts(Method method) const;
  /// @brief "GET, HEAD, OPTIONS"-style list for an `Allow` header.
  [[nodiscard]] std::string allow_header() const;
  /// @brief Matches a decoded path, filling `params` on success.
  [[nodiscard]] bool match(std::string_view path, PathParams& params) const;
  /// @brief Builds the path for `args` (name -> value), percent-encoding values.
  [[nodiscard]] std::string build(std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;

 private:
  std::string name_;
  std::string pattern_;
  std::vector<Method> methods_;
  Handler view_;
  std::vector<Segment> segments_;
  bool cached_ = false;
};

/// @brief The outcome of routing one request.
struct RouteMatch {
  enum class Kind { found, not_found, method_not_allowed, append_slash };
  Kind kind = Kind::not_found;
  const Route* route = nullptr;  ///< for found and method_not_allowed
  PathParams params;
};

/// @brief Holds the routes in registration order; the first whose pattern matches wins.
class Router {
 public:
  /// @brief Registers a route. GET routes also answer HEAD. Throws std::invalid_argument for a bad pattern or a
  /// duplicate name.
  Router& add(std::string name, std::string pattern, Handler view, std::vector<Method> methods = {Method::get});
  /// @brief Marks the route added last as a public page, the same for every visitor, that the page cache
  /// may keep (Django's `cache_page`).
  Router& cached();
  /// @brief Routes a request; with `append_slash`, a miss whose path + "/" would match says so (Django's APPEND_SLASH).
  [[nodiscard]] RouteMatch match(Method method, std::string_view path, bool append_slash = true) const;
  /// @brief The path of the named route (Django's `reverse`); throws std::out_of_range for an unknown name or argument.
  [[nodiscard]] std::string reverse(
      std::string_view name, std::initializer_list<std::pair<std::string_view, std::string_view>> args = {}) const;
  /// @brief The Handler that routes a Context and runs the matched view (the end of the middleware chain).
  [[nodiscard]] Handler endpoint() const;

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace ocl::http
