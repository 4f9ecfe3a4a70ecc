#pragma once
/// @file
/// @brief The HTTP/1.1 server: I/O threads for sockets, worker threads for request handling.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "config/cpu_budget.hpp"
#include "http/forwarded.hpp"
#include "http/message.hpp"

namespace ocl::http {

/// @brief Where a request is answered, by how long it may take.
enum class Lane {
  io,      ///< no I/O and little CPU (static files, /healthz): on the I/O thread itself
  worker,  ///< database reads and page rendering: on the worker pool
  slow,    ///< deliberately slow work (password hashing): on its own small pool, so it queues
           ///< there instead of taking the workers the public pages need
};

/// @brief The application as the server sees it: a pure function from request to response.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  /// @brief Answers one request; must not throw.
  virtual Response handle(const Request& request, const std::string& client_address) = 0;
  /// @brief The lane the request runs in.
  [[nodiscard]] virtual Lane lane(const Request& request) const = 0;
  /// @brief Called first, on the I/O thread: an answer that needs no slow work (a cached page, whose
  /// body it may share), or nullopt to run handle() in the request's lane.
  virtual std::optional<Answer> answer_at_once(const Request& /*request*/, const std::string& /*client_address*/) {
    return std::nullopt;
  }
};

/// @brief Listening address, thread counts, limits and timeouts.
struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  ///< 0 picks a free port (see Server::port())
  /// One per core the process may use: more would take turns on the same cores, and a request
  /// waiting for its thread's turn waits a whole scheduler time slice.
  unsigned io_threads = config::usable_cores();
  unsigned worker_threads = 2 * config::usable_cores();
  /// One core is always left to the other lanes.
  unsigned slow_threads = std::max(2U, config::usable_cores()) - 1;
  std::chrono::milliseconds request_timeout{30'000};      ///< to read one whole request from its first byte
  std::chrono::milliseconds keep_alive_timeout{15'000};   ///< how long a connection may idle between requests
  std::chrono::milliseconds shutdown_grace{10'000};       ///< how long in-flight requests may finish after SIGTERM
  std::uint32_t header_limit = 16 * 1024;                 ///< request line + headers, bytes
  std::uint32_t target_limit = 8 * 1024;                  ///< the request target (path and query), bytes
  std::uint64_t body_limit = std::uint64_t{1024} * 1024;  ///< request body, bytes
  std::size_t max_header_fields = 100;                    ///< more fields get a 431 (gunicorn's limit)
  ForwardingTrust forwarding;                             ///< whose X-Forwarded-* headers are believed
  /// Open connections beyond this get a 503 and are closed, so a flood cannot exhaust file descriptors.
  int max_connections = 1000;
};

/// @brief Accepts connections and runs one coroutine per connection until stopped.
class Server {
 public:
  Server(ServerOptions options, RequestHandler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// @brief Binds, starts the threads and stops gracefully on SIGINT/SIGTERM; throws on bind failure.
  void start();
  /// @brief Blocks until the server has stopped.
  void wait();
  /// @brief Stops accepting, lets in-flight requests finish within the grace period, then stops.
  void stop();
  /// @brief The bound port (useful with port 0).
  [[nodiscard]] std::uint16_t port() const { return bound_port_; }

  struct State;  ///< what every connection shares (defined in server.cpp)

 private:
  ServerOptions options_;
  RequestHandler& handler_;
  boost::asio::io_context io_;
  boost::asio::thread_pool workers_;
  boost::asio::thread_pool slow_workers_;
  boost::asio::ip::tcp::acceptor acceptor_;  ///< on its own strand, with signals_ and stop()
  boost::asio::signal_set signals_;
  std::unique_ptr<State> state_;
  std::vector<std::thread> threads_;
  std::uint16_t bound_port_ = 0;
};

}  // namespace ocl::http
