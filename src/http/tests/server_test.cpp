#include "http/server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace ocl::http {
namespace {

namespace asio = boost::asio;

/// Every request on the slow lane. "/quick" runs first and, before it answers, waits until "/held"
/// has been handed to the lane behind it; "/held" then keeps the lane's one thread until released.
class GatedHandler final : public RequestHandler {
 public:
  Response handle(const Request& request, const std::string& /*client_address*/) override {
    if (request.target() == "/held") {
      released_.wait_for(std::chrono::seconds(20));  // bounded: a failing test still ends
    } else {
      quick_started_.set_value();
      held_is_queued_.wait_for(std::chrono::seconds(20));
      // lane() runs just before the request is posted to the pool; give that post time to land, so
      // "/held" is queued ahead of whatever this answer's completion needs from the pool.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    Response response{Status::ok, request.version()};
    response.body() = std::string(request.target());
    response.prepare_payload();
    return response;
  }

  [[nodiscard]] Lane lane(const Request& request) const override {
    if (request.target() == "/held") {
      held_queued_.set_value();
    }
    return Lane::slow;
  }

  /// @brief Ready once "/quick" runs on the slow thread (so "/held" can only queue behind it).
  [[nodiscard]] std::shared_future<void> quick_started() const { return quick_is_started_; }
  void release() { release_.set_value(); }

 private:
  // Futures taken up front: the promises are set on other threads than the ones that wait.
  std::promise<void> quick_started_;
  std::shared_future<void> quick_is_started_ = quick_started_.get_future().share();
  mutable std::promise<void> held_queued_;
  std::shared_future<void> held_is_queued_ = held_queued_.get_future().share();
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
};

/// One GET on a new connection; returns the body.
std::string get(std::uint16_t port, const std::string& target) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  Request request{Method::get, target, 11};
  request.set(HeaderField::host, "127.0.0.1");
  beast_http::write(socket, request);
  boost::beast::flat_buffer buffer;
  Response response;
  beast_http::read(socket, buffer, response);
  return response.body();
}

TEST(Server, SlowLaneAnswerIsNotHeldBehindTheJobsQueuedAfterIt) {
  GatedHandler handler;
  ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.slow_threads = 1;
  Server server(options, handler);
  server.start();

  auto quick_started = handler.quick_started();
  auto quick = std::async(std::launch::async, [&] { return get(server.port(), "/quick"); });
  ASSERT_EQ(quick_started.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto held = std::async(std::launch::async, [&] { return get(server.port(), "/held"); });

  // The one slow thread is busy with "/held" until released: "/quick" must already have its answer.
  const bool answered = quick.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  handler.release();
  EXPECT_TRUE(answered) << "the answer to /quick waited for /held, queued after it, to finish";
  EXPECT_EQ(quick.get(), "/quick");
  EXPECT_EQ(held.get(), "/held");
  server.stop();
  server.wait();
}

}  // namespace
}  // namespace ocl::http
