#pragma once
/// @file
/// @brief A bounded in-memory cache of whole public pages, dropped at every write and aged out after a bound.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.hpp"

namespace ocl::http {

class Route;

/// @brief A page kept by the cache: the response as the view made it, and when and under which generation.
struct CachedPage {
  Response response;
  const Route* route = nullptr;  ///< the route that rendered it, so a cached answer is named like a rendered one
  std::uint64_t generation = 0;
  std::chrono::steady_clock::time_point stored;
  std::size_t bytes = 0;
};

/// @brief Keeps rendered public pages so repeated requests skip the database and the templates.
///
/// Correctness rests on two rules: a write made through this process calls invalidate() (the
/// database pool reports every lease that changed rows), and a page is served at most `max_age`
/// after it was rendered, which bounds how long a write made elsewhere (another instance,
/// `loaddata`) can stay unseen. Pages rendered before an invalidation are never stored.
class PageCache {
 public:
  /// @brief How long and how much it keeps; a zero max_age turns the cache off.
  struct Limits {
    std::chrono::milliseconds max_age{1000};
    std::size_t max_bytes = std::size_t{8} << 20U;
    std::size_t max_page_bytes = std::size_t{256} << 10U;
  };

  explicit PageCache(Limits limits) : limits_(limits) {}

  /// @brief False when configured off.
  [[nodiscard]] bool enabled() const { return limits_.max_age.count() > 0; }
  /// @brief The key of a request that may be answered from the cache (GET and HEAD: its target), else nullopt.
  [[nodiscard]] static std::optional<std::string_view> key_of(const Request& request);
  /// @brief The page stored under `key` if it is still valid, else nullptr.
  [[nodiscard]] std::shared_ptr<const CachedPage> find(std::string_view key) const;
  /// @brief The current generation; read it before rendering and pass it to store().
  [[nodiscard]] std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  /// @brief Keeps `response` under `key`, unless an invalidation happened since `generation` was read or
  /// the page is too large; evicts the oldest pages to stay within max_bytes.
  void store(std::string_view key, const Response& response, std::uint64_t generation, const Route* route = nullptr);
  /// @brief Drops every page: the data they show may have changed.
  void invalidate();
  /// @brief How many pages are kept.
  [[nodiscard]] std::size_t size() const;
  /// @brief How many bytes the kept pages take (bodies and headers).
  [[nodiscard]] std::size_t bytes() const;

 private:
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  void evict_oldest_until(std::size_t room);

  Limits limits_;
  std::atomic<std::uint64_t> generation_{0};
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const CachedPage>, KeyHash, std::equal_to<>> pages_;
  std::deque<std::string> insertion_order_;
  std::size_t bytes_ = 0;
};

}  // namespace ocl::http
