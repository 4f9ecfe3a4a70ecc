#pragma once
/// @file
/// @brief What a view and a middleware see of one request.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.hpp"
#include "http/page_cache.hpp"
#include "http/url.hpp"

namespace ocl::http {

class Route;

/// @brief Values captured from the path by typed converters (`<int:letting_id>` -> "3").
class PathParams {
 public:
  void add(std::string name, std::string value) { values_.emplace_back(std::move(name), std::move(value)); }
  /// @brief The text captured for `name`; throws std::out_of_range if the route has no such parameter.
  [[nodiscard]] const std::string& text(std::string_view name) const;
  /// @brief The integer captured by an `int` converter (always in range: the router checked it).
  [[nodiscard]] std::int64_t integer(std::string_view name) const;
  [[nodiscard]] bool empty() const { return values_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

/// @brief One request on its way through the middleware chain to a view.
struct Context {
  const Request& request;
  Target target;                 ///< decoded path and raw query
  QueryParams query;             ///< decoded query parameters
  std::string client_address;    ///< peer IP address
  const Route* route = nullptr;  ///< the matched route, once the router ran
  PathParams params;             ///< the matched route's parameters
  /// @brief The page the I/O thread found in the page cache for this request: served as it is, so the
  /// request never waits on the database there.
  std::shared_ptr<const CachedPage> cached_page;
  /// @brief Set by a view or middleware whose body is bytes that outlive the request (a cached page, a
  /// static file): the response then holds the headers only, and these bytes are sent without a copy.
  std::shared_ptr<const std::string> shared_body;
};

/// @brief Turns a request into a response: a view, or the rest of a middleware chain.
using Handler = std::function<Response(Context&)>;

/// @brief Wraps the rest of the chain: may answer itself, or call `next` and adjust its response.
using Middleware = std::function<Response(Context&, const Handler& next)>;

}  // namespace ocl::http
