#pragma once
/// @file
/// @brief The middleware that answers public pages from the page cache and keeps what it renders.

#include "http/context.hpp"
#include "http/page_cache.hpp"

namespace ocl::app {

/// @brief Answers GET and HEAD from `cache` (the page the I/O thread pinned, or a fresh lookup); otherwise
/// renders, and keeps 200 answers of routes marked cached() that set no cookie and do not say no-store.
/// Look-ups and stores are `cache.get` / `cache.put` spans when monitoring is on.
http::Middleware page_caching(http::PageCache& cache);

}  // namespace ocl::app
