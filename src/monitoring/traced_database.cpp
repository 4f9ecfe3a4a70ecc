#include "monitoring/traced_database.hpp"

#include "monitoring/client.hpp"
#include "monitoring/scope.hpp"

namespace ocl::monitoring {
namespace {

/// Runs one statement inside a `db` span carrying `db.system`.
template <typename Work>
auto in_span(std::string_view sql, const char* system, Work&& work) {
  Span span("db", sql);
  span.set("db.system", system);
  return work();
}

}  // namespace

TracedConnection::TracedConnection(db::Database::Lease lease) : lease_(std::move(lease)) {}

db::ResultSet TracedConnection::query(std::string_view sql, std::span<const db::Value> params) {
  return in_span(sql, system(), [&] { return lease_->query(sql, params); });
}

std::int64_t TracedConnection::execute(std::string_view sql, std::span<const db::Value> params) {
  return in_span(sql, system(), [&] { return lease_->execute(sql, params); });
}

void TracedConnection::execute_script(std::string_view sql) {
  in_span(sql, system(), [&] { lease_->execute_script(sql); });
}

void TracedConnection::begin() {
  in_span("BEGIN", system(), [&] { lease_->begin(); });
}

void TracedConnection::commit() {
  in_span("COMMIT", system(), [&] { lease_->commit(); });
}

void TracedConnection::rollback() {
  in_span("ROLLBACK", system(), [&] { lease_->rollback(); });
}

const char* TracedConnection::system() const {
  return lease_->dialect() == db::Dialect::postgresql ? "postgresql" : "sqlite";
}

std::unique_ptr<db::Database> traced(std::unique_ptr<db::Database> database, std::size_t max_connections) {
  if (client() == nullptr) {
    return database;
  }
  std::shared_ptr<db::Database> inner = std::move(database);
  auto url = inner->url();
  auto factory = [inner]() -> std::unique_ptr<db::Connection> {
    return std::make_unique<TracedConnection>(inner->lease());
  };
  return std::make_unique<db::Database>(std::move(url), std::move(factory), max_connections);
}

}  // namespace ocl::monitoring
