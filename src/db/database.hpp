#pragma once
/// @file
/// @brief A pool of connections to one database, opened from a DATABASE_URL.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "db/database_url.hpp"

namespace ocl::db {

/// @brief A bounded pool of connections; `lease()` blocks until one is free.
///
/// Call it only from worker threads (never from an I/O thread): waiting for a
/// connection, like the query itself, may take time.
class Database {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;

  /// @brief A connection borrowed from the pool, returned when the lease is destroyed (and then
  /// closed instead of kept when it is no longer reusable).
  class Lease {
   public:
    Lease(Database& owner, std::unique_ptr<Connection> connection)
        : owner_(&owner), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    /// @brief Returns the connection currently held (if any) before taking over `other`'s.
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    Database* owner_;
    std::unique_ptr<Connection> connection_;
  };

  Database(DatabaseUrl url, Factory factory, std::size_t max_connections);

  /// @brief Borrows a connection, opening a new one while fewer than the maximum exist.
  Lease lease();
  /// @brief How many connections are open (leased or idle); never more than the maximum.
  [[nodiscard]] std::size_t open_connections();
  /// @brief The URL this database was opened from (password never logged).
  [[nodiscard]] const DatabaseUrl& url() const { return url_; }
  /// @brief Calls `listener` (from the thread returning the lease) each time a lease that changed rows ends,
  /// so caches of what was read can be dropped. Set it before the first lease.
  void on_change(std::function<void()> listener) { change_listener_ = std::move(listener); }

 private:
  void give_back(std::unique_ptr<Connection> connection);

  DatabaseUrl url_;
  Factory factory_;
  std::function<void()> change_listener_;
  std::size_t max_connections_;
  std::size_t open_connections_ = 0;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::mutex mutex_;
  std::condition_variable returned_;
};

/// @brief Opens the database a URL names (SQLite now; PostgreSQL through the same interface).
std::unique_ptr<Database> open_database(const DatabaseUrl& url, std::size_t max_connections);

}  // namespace ocl::db
