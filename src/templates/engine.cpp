#include "templates/engine.hpp"

#include <atomic>
#include <memory>
#include <unordered_map>

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

}  // namespace

Engine::Engine() : Engine(embedded_sources()) {}

Engine::Engine(std::map<std::string, std::string, std::less<>> sources) : sources_(std::move(sources)) {
  static std::atomic<std::uint64_t> next_id{1};
  id_ = next_id++;
  partials_ = Data{Data::type::object};
  for (const auto& [name, source] : sources_) {
    const Template parsed{source};
    if (!parsed.is_valid()) {
      throw TemplateError("template " + name + ": " + parsed.error_message());
    }
    partials_.set(name, source);
  }
}

std::string Engine::render(std::string_view name, const Data& data) const {
  const auto found = sources_.find(name);
  if (found == sources_.end()) {
    throw TemplateError("no template named " + std::string(name));
  }
  auto& tmpl = compiled(id_, found->first, found->second);
  kainjow::mustache::context<std::string> context{&partials_};
  context.push(&data);
  auto output = tmpl.render(context);
  if (!tmpl.is_valid()) {
    throw TemplateError("template " + found->first + ": " + tmpl.error_message());
  }
  return output;
}

}  // namespace ocl::templates
