/// Connection limits as a client meets them: long URLs, slow senders, idle keep-alive
/// connections and more connections than the server accepts.

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "server_process.hpp"

namespace ocl::integration {
namespace {

using Clock = std::chrono::steady_clock;

const std::string healthz_request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

class Limits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server =
        new ServerProcess({.seed = Seed::demo, .overrides = {{"REQUEST_TIMEOUT", "2"}, {"KEEP_ALIVE_TIMEOUT", "1"}}});
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static ServerProcess* server;
};

ServerProcess* Limits::server = nullptr;

/// Seconds from now until `action` returns.
template <typename Action>
double seconds_taken(Action action) {
  const auto started = Clock::now();
  action();
  return std::chrono::duration<double>(Clock::now() - started).count();
}

TEST_F(Limits, TargetLongerThanTheLimitAnswers414) {
  const std::string path = "/lettings/?q=" + std::string(9 * 1024, 'a');
  const auto raw = server->send_raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 414")) << raw.substr(0, 40);
}

TEST_F(Limits, RequestLineLongerThanTheHeaderLimitAnswers414) {
  const std::string path = "/" + std::string(20 * 1024, 'b');
  const auto raw = server->send_raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 414")) << raw.substr(0, 40);
}

TEST_F(Limits, TargetJustUnderTheLimitIsServed) {
  const auto response = server->get("/lettings/?q=" + std::string(8000, 'c'));
  EXPECT_EQ(response.result_int(), 200U);
}

TEST_F(Limits, ClientSendingOneByteASecondIsDroppedAtTheRequestTimeout) {
  RawConnection connection{server->port(), 0, 10s};
  for (int byte = 0; byte < 3; ++byte) {  // 3 s in all, past the 2 s request timeout
    connection.send(healthz_request.substr(byte, 1));
    std::this_thread::sleep_for(1s);
  }
  std::string received;
  const auto wait = seconds_taken([&] { received = connection.read_until_closed(); });
  EXPECT_EQ(received, "");
  EXPECT_LT(wait, 1.0) << "the connection was still open after the request timeout";
}

TEST_F(Limits, IdleKeepAliveConnectionIsClosedAfterItsTimeout) {
  RawConnection connection{server->port(), 0, 10s};
  ASSERT_TRUE(connection.send(healthz_request));
  const auto first = connection.read_at_least(1);
  ASSERT_TRUE(first.starts_with("HTTP/1.1 200")) << first.substr(0, 40);
  const auto elapsed = seconds_taken([&] { connection.read_until_closed(); });
  EXPECT_GT(elapsed, 0.5);
  EXPECT_LT(elapsed, 4.0);
  EXPECT_FALSE(connection.was_reset());
}

TEST_F(Limits, KeepAliveConnectionServesARequestWithinItsTimeout) {
  RawConnection connection{server->port(), 0, 10s};
  ASSERT_TRUE(connection.send(healthz_request));
  ASSERT_TRUE(connection.read_at_least(1).starts_with("HTTP/1.1 200"));
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  EXPECT_TRUE(connection.read_until_closed().find("HTTP/1.1 200") != std::string::npos);
}

/// Opens a connection and has one request answered on it, so the server surely counts it.
std::unique_ptr<RawConnection> open_answered_connection(std::uint16_t port) {
  auto connection = std::make_unique<RawConnection>(port, 0, 10s);
  EXPECT_TRUE(connection->send(healthz_request));
  EXPECT_TRUE(connection->read_at_least(1).starts_with("HTTP/1.1 200"));
  return connection;
}

TEST(ConnectionLimit, ConnectionsBeyondTheLimitGet503AndRoomComesBackWhenOneCloses) {
  const ServerProcess server_process{{.seed = Seed::demo, .overrides = {{"MAX_CONNECTIONS", "4"}}}};
  const auto* server = &server_process;
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int index = 0; index < 4; ++index) {
    held.push_back(open_answered_connection(server->port()));
  }
  RawConnection extra{server->port(), 0, 10s};
  extra.send(healthz_request);
  const auto refused = extra.read_until_closed();
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503")) << refused.substr(0, 40);
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;

  held.pop_back();  // the client closes one: the server notices and frees its place
  std::string answer;
  for (int attempt = 0; attempt < 40 && !answer.starts_with("HTTP/1.1 200"); ++attempt) {
    std::this_thread::sleep_for(50ms);
    answer = server->send_raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer.substr(0, 40);
}

}  // namespace
}  // namespace ocl::integration
