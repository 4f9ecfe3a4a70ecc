#pragma once
/// @file
/// @brief A bounded cache of prepared statements by SQL text, the least recently used evicted first.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ocl::db {

/// @brief Prepared statements of one connection, keyed by their SQL text.
///
/// Bounded because statement texts are not all fixed: the admin's search adds one clause per word,
/// its sorting one term per column, so a connection would otherwise keep a statement for every
/// combination it was ever asked (memory that only grows, on the server too for PostgreSQL). Long
/// texts, which such combinations make, are not kept at all.
template <typename Statement>
class StatementCache {
 public:
  /// @brief Statements kept at most, and the longest SQL text worth keeping.
  struct Limits {
    std::size_t capacity = 256;
    std::size_t max_sql_bytes = 4096;
  };

  StatementCache() = default;
  explicit StatementCache(Limits limits) : limits_(limits) {}

  /// @brief The statement kept for `sql`, now the most recently used; nullptr if none.
  Statement* find(std::string_view sql) {
    const auto found = entries_.find(sql);
    if (found == entries_.end()) {
      return nullptr;
    }
    found->second.last_use = ++clock_;
    return &found->second.statement;
  }

  /// @brief Whether a statement for `sql` may be kept (short enough).
  [[nodiscard]] bool keeps(std::string_view sql) const { return sql.size() <= limits_.max_sql_bytes; }

  /// @brief Keeps `statement` for `sql` (which keeps() accepted); returns the least recently used statement
  /// if one had to leave to make room, so the caller can release it where it lives.
  std::optional<Statement> insert(std::string_view sql, Statement statement, Statement*& kept) {
    std::optional<Statement> evicted;
    if (entries_.size() >= limits_.capacity && !entries_.empty()) {
      auto oldest = entries_.begin();
      for (auto entry = entries_.begin(); entry != entries_.end(); ++entry) {
        if (entry->second.last_use < oldest->second.last_use) {
          oldest = entry;
        }
      }
      evicted = std::move(oldest->second.statement);
      entries_.erase(oldest);
    }
    auto [entry, inserted] = entries_.emplace(std::string(sql), Entry{std::move(statement), ++clock_});
    kept = &entry->second.statement;
    return evicted;
  }

  /// @brief Forgets every statement (for PostgreSQL: the server session that held them ended).
  void clear() { entries_.clear(); }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Statement statement;
    std::uint64_t last_use = 0;
  };

  Limits limits_;
  std::uint64_t clock_ = 0;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace ocl::db
