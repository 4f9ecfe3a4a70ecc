#include "http/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/session.hpp"

namespace ocl::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

/// The listener: accepts connections and gives each its own coroutine on its own strand. It runs
/// on the acceptor's strand, where stop() also closes the acceptor: an acceptor is not safe to use
/// from two threads at once.
asio::awaitable<void> accept_connections(asio::io_context& io, tcp::acceptor& acceptor, Server::State& state) {
  while (acceptor.is_open()) {
    auto [error, socket] = co_await acceptor.async_accept(asio::make_strand(io), asio::as_tuple(asio::use_awaitable));
    if (error) {
      if (error == asio::error::operation_aborted || !acceptor.is_open()) {
        break;
      }
      // Out of file descriptors, typically: pause so the loop does not spin while connections close.
      spdlog::warn("accept failed: {}", error.message());
      asio::steady_timer pause{acceptor.get_executor(), std::chrono::milliseconds(50)};
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    auto executor = socket.get_executor();
    boost::beast::tcp_stream stream{std::move(socket)};
    if (state.open_connections >= state.options.max_connections) {
      asio::co_spawn(executor, refuse_connection(std::move(stream)), asio::detached);
      continue;
    }
    ++state.open_connections;  // here, not in the session, so the next accept already sees it
    asio::co_spawn(executor, run_session(std::move(stream), state), asio::detached);
  }
}

/// Waits until every connection has answered what it was reading and closed (bounded by
/// the grace period), then stops the I/O loop.
asio::awaitable<void> drain_then_stop(asio::io_context& io, Server::State& state, std::chrono::milliseconds grace) {
  asio::steady_timer timer{io};
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (state.open_connections > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (state.open_connections > 0) {
    spdlog::warn("shutting down with {} connection(s) still open", state.open_connections.load());
  }
  io.stop();
}

}  // namespace

Server::Server(ServerOptions options, RequestHandler& handler)
    : options_(std::move(options)),
      handler_(handler),
      io_(static_cast<int>(options_.io_threads)),
      workers_(options_.worker_threads),
      slow_workers_(options_.slow_threads),
      acceptor_(asio::make_strand(io_)),
      signals_(acceptor_.get_executor(), SIGINT, SIGTERM),  // stop() runs there too
      state_(std::make_unique<State>(handler_, workers_, slow_workers_, options_)) {}

Server::~Server() {
  if (!io_.stopped()) {
    io_.stop();
  }
  wait();
}

void Server::start() {
  const tcp::endpoint endpoint{asio::ip::make_address(options_.host), options_.port};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  bound_port_ = acceptor_.local_endpoint().port();

  signals_.async_wait([this](const boost::system::error_code& error, int signal) {
    if (!error) {
      spdlog::info("received signal {}, shutting down", signal);
      stop();
    }
  });
  asio::co_spawn(acceptor_.get_executor(), accept_connections(io_, acceptor_, *state_), asio::detached);
  for (unsigned index = 0; index < options_.io_threads; ++index) {
    threads_.emplace_back([this] { io_.run(); });
  }
}

void Server::stop() {
  asio::post(acceptor_.get_executor(), [this] {
    if (state_->stopping) {
      return;
    }
    state_->stop_and_wake_idle();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    asio::co_spawn(io_, drain_then_stop(io_, *state_, options_.shutdown_grace), asio::detached);
  });
}

void Server::wait() {
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
  threads_.clear();
  workers_.join();
  slow_workers_.join();
}

}  // namespace ocl::http
