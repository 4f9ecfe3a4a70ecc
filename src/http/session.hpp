#pragma once
/// @file
/// @brief One client connection: read a request, hand it to the application, write the response.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "http/server.hpp"

namespace ocl::http {

/// @brief What every connection shares: the handler, the worker pool, limits and the stop flag.
struct Server::State {
  State(RequestHandler& request_handler, boost::asio::thread_pool& worker_pool, boost::asio::thread_pool& slow_pool,
        const ServerOptions& server_options)
      : handler(request_handler), workers(worker_pool), slow_workers(slow_pool), options(server_options) {}

  RequestHandler& handler;
  boost::asio::thread_pool& workers;
  boost::asio::thread_pool& slow_workers;
  const ServerOptions& options;
  std::atomic<bool> stopping{false};
  std::atomic<int> open_connections{0};  ///< counted by the listener, uncounted by the session's end

  /// @brief Registers a connection waiting for its next request, with how to wake it at shutdown.
  /// Returns false (and registers nothing) when the server is already stopping.
  bool enter_idle(std::uint64_t connection, std::function<void()> wake);
  /// @brief Unregisters a connection that received bytes or is closing.
  void leave_idle(std::uint64_t connection);
  /// @brief Marks the server as stopping and wakes every idle connection so it closes.
  void stop_and_wake_idle();

 private:
  std::mutex idle_mutex_;
  std::unordered_map<std::uint64_t, std::function<void()>> idle_;
};

/// @brief Serves requests on one connection until the client closes, a timeout, an error or shutdown.
boost::asio::awaitable<void> run_session(boost::beast::tcp_stream stream, Server::State& state);

/// @brief Answers a connection over the limit with a 503 and closes it.
boost::asio::awaitable<void> refuse_connection(boost::beast::tcp_stream stream);

}  // namespace ocl::http
