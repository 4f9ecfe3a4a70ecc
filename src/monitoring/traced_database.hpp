#pragma once
/// @file
/// @brief Records a `db` span for every SQL statement by decorating the database's connections.

#include <memory>

#include "db/database.hpp"

namespace ocl::monitoring {

/// @brief A Connection that forwards to a leased connection and times each statement as a span.
class TracedConnection final : public db::Connection {
 public:
  /// @brief Wraps `lease`, whose connection stays borrowed while this object lives.
  explicit TracedConnection(db::Database::Lease lease);

  db::ResultSet query(std::string_view sql, std::span<const db::Value> params) override;
  std::int64_t execute(std::string_view sql, std::span<const db::Value> params) override;
  void execute_script(std::string_view sql) override;
  [[nodiscard]] db::Dialect dialect() const override { return lease_->dialect(); }
  void begin() override;
  void commit() override;
  void rollback() override;
  [[nodiscard]] bool reusable() const override { return lease_->reusable(); }
  bool take_changed() override { return lease_->take_changed(); }

 private:
  [[nodiscard]] const char* system() const;
  db::Database::Lease lease_;
};

/// @brief When monitoring is on, a pool of at most `max_connections` TracedConnections over `database`;
/// otherwise `database` itself.
std::unique_ptr<db::Database> traced(std::unique_ptr<db::Database> database, std::size_t max_connections);

}  // namespace ocl::monitoring
