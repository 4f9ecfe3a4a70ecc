#include "monitoring/scope.hpp"

#include "monitoring/util.hpp"

namespace ocl::monitoring {
namespace {

RequestScope*& current() noexcept {
  thread_local RequestScope* scope = nullptr;
  return scope;
}

constexpr std::size_t not_recorded = static_cast<std::size_t>(-1);

}  // namespace

RequestScope::RequestScope(TraceContext trace) : trace_(std::move(trace)), start_(unix_seconds()) {}

std::size_t RequestScope::open_span(std::string_view op, std::string_view description) {
  if (spans_.size() >= max_spans) {
    return not_recorded;
  }
  SpanRecord span;
  span.span_id = random_hex(8);
  span.parent_span_id = active_span_id();
  span.op = op;
  span.description = description;
  span.start = unix_seconds();
  spans_.push_back(std::move(span));
  open_.push_back(spans_.size() - 1);
  return spans_.size() - 1;
}

void RequestScope::close_span(std::size_t index) {
  if (index >= spans_.size()) {
    return;
  }
  spans_[index].end = unix_seconds();
  std::erase(open_, index);
}

void keep_newest(std::vector<Breadcrumb>& breadcrumbs, Breadcrumb breadcrumb) {
  if (breadcrumbs.size() >= RequestScope::max_breadcrumbs) {
    breadcrumbs.erase(breadcrumbs.begin());
  }
  breadcrumbs.push_back(std::move(breadcrumb));
}

const std::string& RequestScope::active_span_id() const {
  return open_.empty() ? trace_.span_id : spans_[open_.back()].span_id;
}

RequestScope* current_scope() noexcept {
  return current();
}

ActiveScope::ActiveScope(RequestScope& scope) : previous_(current()) {
  current() = &scope;
}

ActiveScope::~ActiveScope() {
  current() = previous_;
}

void Span::open(RequestScope& scope, std::string_view op, std::string_view description) {
  const auto index = scope.open_span(op, description);
  if (index != not_recorded) {
    scope_ = &scope;
    index_ = index;
  }
}

}  // namespace ocl::monitoring
