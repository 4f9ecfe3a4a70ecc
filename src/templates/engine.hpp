#pragma once
/// @file
/// @brief Renders the embedded Mustache templates, HTML-escaping every `{{value}}`.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include <kainjow/mustache.hpp>

namespace ocl::templates {

/// @brief The data a template is rendered with (kainjow::mustache objects, lists and strings).
using Data = kainjow::mustache::data;

/// @brief Raised for an unknown template or one that fails to parse or render.
class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// @brief All templates by name; any template can include another with `{{> name}}` (inlined at load).
class Engine {
 public:
  /// @brief Loads the embedded templates and checks that each one parses.
  Engine();
  /// @brief Loads the given name -> source templates instead (tests).
  explicit Engine(const std::map<std::string, std::string, std::less<>>& sources);

  /// @brief Renders template `name` with `data`; throws TemplateError.
  [[nodiscard]] std::string render(std::string_view name, const Data& data) const;
  [[nodiscard]] bool contains(std::string_view name) const { return sources_.contains(name); }

 private:
  std::map<std::string, std::string, std::less<>> sources_;  ///< with partials already inlined
  std::uint64_t id_ = 0;                                     ///< keys the per-thread cache of compiled templates
};

}  // namespace ocl::templates
