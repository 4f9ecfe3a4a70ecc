#include "db/statement_cache.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace ocl::db {
namespace {

using Cache = StatementCache<std::string>;

std::string* keep(Cache& cache, const std::string& sql, std::optional<std::string>* evicted = nullptr) {
  std::string* kept = nullptr;
  auto out = cache.insert(sql, "statement for " + sql, kept);
  if (evicted != nullptr) {
    *evicted = std::move(out);
  }
  return kept;
}

TEST(StatementCache, FindsWhatItKeeps) {
  Cache cache;
  EXPECT_EQ(cache.find("SELECT 1"), nullptr);
  const auto* kept = keep(cache, "SELECT 1");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(*kept, "statement for SELECT 1");
  EXPECT_EQ(cache.find("SELECT 1"), kept);
  EXPECT_EQ(cache.size(), 1U);
}

TEST(StatementCache, EvictsTheLeastRecentlyUsedWhenFull) {
  Cache cache{{.capacity = 3, .max_sql_bytes = 100}};
  keep(cache, "a");
  keep(cache, "b");
  keep(cache, "c");
  ASSERT_NE(cache.find("a"), nullptr);  // "b" is now the least recently used
  std::optional<std::string> evicted;
  keep(cache, "d", &evicted);
  ASSERT_TRUE(evicted);
  EXPECT_EQ(*evicted, "statement for b") << "handed back, so the caller can release it";
  EXPECT_EQ(cache.size(), 3U);
  EXPECT_EQ(cache.find("b"), nullptr);
  EXPECT_NE(cache.find("a"), nullptr);
  EXPECT_NE(cache.find("c"), nullptr);
  EXPECT_NE(cache.find("d"), nullptr);
}

TEST(StatementCache, NothingIsEvictedBelowCapacity) {
  Cache cache{{.capacity = 2, .max_sql_bytes = 100}};
  std::optional<std::string> evicted;
  keep(cache, "a", &evicted);
  EXPECT_FALSE(evicted);
  keep(cache, "b", &evicted);
  EXPECT_FALSE(evicted);
}

TEST(StatementCache, LongTextsAreNotWorthKeeping) {
  const Cache cache{{.capacity = 2, .max_sql_bytes = 10}};
  EXPECT_TRUE(cache.keeps(std::string(10, 'x')));
  EXPECT_FALSE(cache.keeps(std::string(11, 'x')));
}

TEST(StatementCache, ClearForgetsEverything) {
  Cache cache;
  keep(cache, "a");
  cache.clear();
  EXPECT_EQ(cache.size(), 0U);
  EXPECT_EQ(cache.find("a"), nullptr);
}

}  // namespace
}  // namespace ocl::db
