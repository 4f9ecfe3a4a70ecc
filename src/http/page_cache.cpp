#include "http/page_cache.hpp"

#include <mutex>

namespace ocl::http {
namespace {

std::size_t size_of(const Response& response) {
  std::size_t bytes = response.body().size();
  for (const auto& field : response) {
    bytes += field.name_string().size() + field.value().size();
  }
  return bytes;
}

}  // namespace

std::optional<std::string_view> PageCache::key_of(const Request& request) {
  if (request.method() != Method::get && request.method() != Method::head) {
    return std::nullopt;
  }
  const auto target = request.target();
  return std::string_view(target.data(), target.size());
}

std::shared_ptr<const CachedPage> PageCache::find(std::string_view key) const {
  const std::shared_lock lock(mutex_);
  const auto found = pages_.find(key);
  if (found == pages_.end()) {
    return nullptr;
  }
  const auto& page = found->second;
  const bool fresh =
      page->generation == generation() && std::chrono::steady_clock::now() - page->stored < limits_.max_age;
  return fresh ? page : nullptr;
}

void PageCache::store(std::string_view key, const Response& response, std::uint64_t generation, const Route* route) {
  auto page = std::make_shared<CachedPage>(
      CachedPage{response, route, generation, std::chrono::steady_clock::now(), size_of(response) + key.size()});
  if (!enabled() || page->bytes > limits_.max_page_bytes || page->bytes > limits_.max_bytes) {
    return;
  }
  const std::unique_lock lock(mutex_);
  // Checked under the lock that invalidate() takes: a page rendered before a write is never kept.
  if (generation != this->generation()) {
    return;
  }
  if (const auto existing = pages_.find(key); existing != pages_.end()) {
    bytes_ -= existing->second->bytes;
    bytes_ += page->bytes;
    existing->second = std::move(page);
    evict_oldest_until(0);
    return;
  }
  evict_oldest_until(page->bytes);
  bytes_ += page->bytes;
  insertion_order_.emplace_back(key);
  pages_.emplace(key, std::move(page));
}

void PageCache::evict_oldest_until(std::size_t room) {
  while (bytes_ + room > limits_.max_bytes && !insertion_order_.empty()) {
    if (const auto oldest = pages_.find(insertion_order_.front()); oldest != pages_.end()) {
      bytes_ -= oldest->second->bytes;
      pages_.erase(oldest);
    }
    insertion_order_.pop_front();
  }
}

void PageCache::invalidate() {
  const std::unique_lock lock(mutex_);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  pages_.clear();
  insertion_order_.clear();
  bytes_ = 0;
}

std::size_t PageCache::size() const {
  const std::shared_lock lock(mutex_);
  return pages_.size();
}

std::size_t PageCache::bytes() const {
  const std::shared_lock lock(mutex_);
  return bytes_;
}

}  // namespace ocl::http
