#include "templates/engine.hpp"

#include <atomic>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>

#include "monitoring/scope.hpp"
#include "templates/embedded.hpp"

namespace ocl::templates {
namespace {

using Template = kainjow::mustache::mustache;

std::map<std::string, std::string, std::less<>> embedded_sources() {
  std::map<std::string, std::string, std::less<>> sources;
  for (const auto& [name, source] : embedded_templates()) {
    sources.emplace(name, source);
  }
  return sources;
}

/// Compiled templates are kept per thread: kainjow's render() is not const, so one
/// parsed template must not be shared between threads rendering at the same time.
Template& compiled(std::uint64_t engine_id, const std::string& name, const std::string& source) {
  thread_local std::unordered_map<std::uint64_t, std::unordered_map<std::string, std::unique_ptr<Template>>> cache;
  auto& slot = cache[engine_id][name];
  if (!slot) {
    slot = std::make_unique<Template>(source);
  }
  return *slot;
}

/// Replaces every `{{> name}}` by that template's source, recursively, so a page is parsed
/// once instead of re-parsing its partials on every render.
std::string inline_partials(const std::map<std::string, std::string, std::less<>>& sources, const std::string& name,
                            int depth = 0) {
  constexpr int max_depth = 8;
  if (depth > max_depth) {
    throw TemplateError(fmt::format("template {}: partials nested too deeply", name));
  }
  const auto& source = sources.at(name);
  std::string expanded;
  std::size_t position = 0;
  while (true) {
    const auto open = source.find("{{>", position);
    if (open == std::string::npos) {
      expanded.append(source, position);
      return expanded;
    }
    const auto close = source.find("}}", open);
    if (close == std::string::npos) {
      throw TemplateError(fmt::format("template {}: unclosed partial tag", name));
    }
    auto partial = source.substr(open + 3, close - open - 3);
    partial.erase(0, partial.find_first_not_of(' '));
    partial.erase(partial.find_last_not_of(' ') + 1);
    if (!sources.contains(partial)) {
      throw TemplateError(fmt::format("template {}: unknown partial {}", name, partial));
    }
    expanded.append(source, position, open - position);
    expanded += inline_partials(sources, partial, depth + 1);
    position = close + 2;
  }
}

}  // namespace

Engine::Engine() : Engine(embedded_sources()) {}

Engine::Engine(const std::map<std::string, std::string, std::less<>>& sources) {
  static std::atomic<std::uint64_t> next_id{1};
  id_ = next_id++;
  for (const auto& [name, source] : sources) {
    auto expanded = inline_partials(sources, name);
    const Template parsed{expanded};
    if (!parsed.is_valid()) {
      throw TemplateError(fmt::format("template {}: {}", name, parsed.error_message()));
    }
    sources_.emplace(name, std::move(expanded));
  }
}

std::string Engine::render(std::string_view name, const Data& data) const {
  const auto found = sources_.find(name);
  if (found == sources_.end()) {
    throw TemplateError("no template named " + std::string(name));
  }
  const monitoring::Span span("template.render", found->first);
  auto& tmpl = compiled(id_, found->first, found->second);
  auto output = tmpl.render(data);
  if (!tmpl.is_valid()) {
    throw TemplateError(fmt::format("template {}: {}", found->first, tmpl.error_message()));
  }
  return output;
}

}  // namespace ocl::templates
