#include "db/database.hpp"

#include <utility>

#include "db/postgresql_connection.hpp"
#include "db/sqlite_connection.hpp"

namespace ocl::db {

Database::Lease::~Lease() {
  if (connection_) {
    owner_->give_back(std::move(connection_));
  }
}

Database::Lease& Database::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (connection_) {
      owner_->give_back(std::move(connection_));
    }
    owner_ = other.owner_;
    connection_ = std::move(other.connection_);
  }
  return *this;
}

Database::Database(DatabaseUrl url, Factory factory, std::size_t max_connections)
    : url_(std::move(url)),
      factory_(std::move(factory)),
      max_connections_(max_connections == 0 ? 1 : max_connections) {}

Database::Lease Database::lease() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty() || open_connections_ < max_connections_; });
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  // Reserve the slot, then open outside the lock: opening may wait on the disk or the network.
  ++open_connections_;
  lock.unlock();
  try {
    return Lease(*this, factory_());
  } catch (...) {
    lock.lock();
    --open_connections_;
    lock.unlock();
    returned_.notify_one();
    throw;
  }
}

std::size_t Database::open_connections() {
  const std::scoped_lock lock(mutex_);
  return open_connections_;
}

void Database::give_back(std::unique_ptr<Connection> connection) {
  // The lease ends after its transaction committed (or rolled back), so whoever reads next sees the change.
  if (connection->take_changed() && change_listener_) {
    change_listener_();
  }
  const bool reusable = connection->reusable();
  if (!reusable) {
    connection.reset();  // closed outside the lock: closing may touch the disk
  }
  {
    const std::scoped_lock lock(mutex_);
    if (reusable) {
      idle_.push_back(std::move(connection));
    } else {
      --open_connections_;
    }
  }
  returned_.notify_one();
}

std::unique_ptr<Database> open_database(const DatabaseUrl& url, std::size_t max_connections) {
  if (url.scheme == DatabaseUrl::Scheme::postgresql) {
    auto factory = [address = url.original]() -> std::unique_ptr<Connection> {
      return std::make_unique<PostgresqlConnection>(address);
    };
    return std::make_unique<Database>(url, std::move(factory), max_connections);
  }
  auto factory = [path = url.path]() -> std::unique_ptr<Connection> {
    return std::make_unique<SqliteConnection>(path);
  };
  return std::make_unique<Database>(url, std::move(factory), max_connections);
}

}  // namespace ocl::db
