#pragma once
/// @file
/// @brief One client connection: read a request, hand it to the application, write the response.

#include <atomic>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "http/server.hpp"

namespace ocl::http {

/// @brief What every connection shares: the handler, the worker pool, limits and the stop flag.
struct Server::State {
  State(RequestHandler& request_handler, boost::asio::thread_pool& worker_pool, const ServerOptions& server_options)
      : handler(request_handler), workers(worker_pool), options(server_options) {}

  RequestHandler& handler;
  boost::asio::thread_pool& workers;
  const ServerOptions& options;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
};

/// @brief Serves requests on one connection until the client closes, a timeout, an error or shutdown.
boost::asio::awaitable<void> run_session(boost::beast::tcp_stream stream, Server::State& state);

}  // namespace ocl::http
