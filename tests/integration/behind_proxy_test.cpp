// The server behind a real HAProxy (`option forwardfor`), as on Render: clients are told apart by the address the
// proxy reports, a client's own forwarding headers are not believed, and the sign-in throttle's counts live in the
// database, shared by every instance and kept across restarts. Clients are distinct loopback addresses (127.0.0.x).

#include <atomic>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "admin_session.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

/// HAProxy with one frontend per server, each adding X-Forwarded-For; `https` frontends also say the client used
/// HTTPS, as a TLS-terminating proxy does.
class Haproxy {
 public:
  explicit Haproxy(const std::vector<std::uint16_t>& servers, bool https = false) {
    std::string config =
        "global\n  maxconn 256\n"
        "defaults\n  mode http\n  option forwardfor\n  timeout connect 1s\n  timeout client 2m\n"
        "  timeout server 2m\n";
    for (std::size_t index = 0; index < servers.size(); ++index) {
      ports_.push_back(unused_port());
      const auto name = "instance" + std::to_string(index);
      config += "frontend " + name + "\n  bind 127.0.0.1:" + std::to_string(ports_.back()) + "\n" +
                (https ? "  http-request set-header X-Forwarded-Proto https\n" : "") + "  default_backend " + name +
                "\nbackend " + name + "\n  server " + name + " 127.0.0.1:" + std::to_string(servers[index]) + "\n";
    }
    std::ofstream(work_.file("haproxy.cfg")) << config;
    program_.emplace("/usr/sbin/haproxy", std::vector<std::string>{"-db", "-f", work_.file("haproxy.cfg").string()});
    for (const auto port : ports_) {
      if (!wait_for_status(port, "/healthz", 200, 10s)) {
        throw std::runtime_error("HAProxy did not start: " + program_->output());
      }
    }
  }

  /// The frontend in front of the `index`th server, as seen from client address `source`.
  [[nodiscard]] Endpoint from(const std::string& source, std::size_t index = 0) const {
    return {ports_.at(index), source};
  }

 private:
  TempDir work_;
  std::vector<std::uint16_t> ports_;
  std::optional<BackgroundProgram> program_;
};

/// The access-log line of the request for `target` (a unique query string tells requests apart).
std::string access_line(const ServerProcess& server, const std::string& target) {
  const auto needle = "path=\"" + target + "\"";
  if (!server.wait_for_stdout(needle)) {
    return "(no access-log line for " + target + ")";
  }
  const auto output = server.stdout_text();
  const auto at = output.find(needle);
  const auto begin = output.rfind('\n', at) + 1;
  return output.substr(begin, output.find('\n', at) - begin);
}

unsigned get_status(const Endpoint& endpoint, const std::string& target, const HeaderList& headers = {}) {
  return http_request(endpoint.port, "GET", target, headers, {}, 10s, endpoint.source).result_int();
}

TEST(BehindProxy, TheAccessLogShowsTheClientTheProxyReportsNotWhatAClientClaims) {
  ServerProcess server;
  const Haproxy proxy({server.port()});

  ASSERT_EQ(get_status(proxy.from("127.0.0.2"), "/lettings/?via=proxy"), 200U);
  EXPECT_NE(access_line(server, "/lettings/?via=proxy").find(" client=127.0.0.2 "), std::string::npos)
      << access_line(server, "/lettings/?via=proxy");

  // A client's own X-Forwarded-For is followed by the proxy's: the right-most untrusted address is the client.
  ASSERT_EQ(get_status(proxy.from("127.0.0.3"), "/lettings/?forged=1", {{"X-Forwarded-For", "203.0.113.9"}}), 200U);
  EXPECT_NE(access_line(server, "/lettings/?forged=1").find(" client=127.0.0.3 "), std::string::npos)
      << access_line(server, "/lettings/?forged=1");

  // Straight to the server from an address that is not a trusted proxy: the header is ignored.
  ASSERT_EQ(get_status({server.port(), "127.0.0.4"}, "/lettings/?direct=1", {{"X-Forwarded-For", "203.0.113.9"}}),
            200U);
  EXPECT_NE(access_line(server, "/lettings/?direct=1").find(" client=127.0.0.4 "), std::string::npos)
      << access_line(server, "/lettings/?direct=1");

  // A malformed value from a trusted peer is ignored, never a 500.
  ASSERT_EQ(get_status({server.port()}, "/lettings/?malformed=1", {{"X-Forwarded-For", "not-an-address, ]["}}), 200U);
  EXPECT_NE(access_line(server, "/lettings/?malformed=1").find(" client=127.0.0.1 "), std::string::npos)
      << access_line(server, "/lettings/?malformed=1");
}

TEST(BehindProxy, TheSchemeComesFromTheTrustedProxyOnly) {
  ServerProcess server({.overrides = {{"SECURE_SSL_REDIRECT", "true"}}});
  const Haproxy plain({server.port()});
  const Haproxy tls_terminating({server.port()}, true);

  EXPECT_EQ(get_status(tls_terminating.from("127.0.0.2"), "/lettings/"), 200U);
  EXPECT_EQ(get_status(plain.from("127.0.0.2"), "/lettings/"), 301U);
  EXPECT_EQ(get_status({server.port(), "127.0.0.2"}, "/lettings/", {{"X-Forwarded-Proto", "https"}}), 301U)
      << "a client cannot claim HTTPS itself";
}

TEST(BehindProxy, TwoInstancesShareTheThrottleAndARestartKeepsTheLock) {
  ServerProcess first;
  ServerProcess second({.seed = Seed::nothing, .overrides = {{"DATABASE_URL", first.database_url()}}});
  const auto database_url = first.database_url();
  {
    const Haproxy proxy({first.port(), second.port()});
    const std::string attacker = "127.0.0.2";
    // Five failures of one (username, client) pair, spread over both instances.
    for (int attempt = 0; attempt < 5; ++attempt) {
      const AdminSession failed(proxy.from(attacker, attempt % 2), "admin", "wrong-" + std::to_string(attempt));
      ASSERT_EQ(failed.sign_in_status(), 200U) << "attempt " << attempt;
    }
    for (std::size_t instance = 0; instance < 2; ++instance) {
      const AdminSession locked(proxy.from(attacker, instance), "admin", "Abc1234!");
      EXPECT_EQ(locked.sign_in_status(), 429U) << "instance " << instance << " refuses the locked pair";
      EXPECT_FALSE(locked.logged_in());
    }
    // The username alone is not locked: the admin, from another address, signs in on either instance.
    for (std::size_t instance = 0; instance < 2; ++instance) {
      const AdminSession admin(proxy.from("127.0.0.3", instance), "admin", "Abc1234!");
      EXPECT_EQ(admin.sign_in_status(), 302U) << "instance " << instance;
      EXPECT_TRUE(admin.logged_in());
    }
  }
  ASSERT_EQ(second.terminate(), 0);
  ASSERT_EQ(first.terminate(), 0);

  ServerProcess restarted({.seed = Seed::nothing, .overrides = {{"DATABASE_URL", database_url}}});
  const Haproxy proxy({restarted.port()});
  const AdminSession still_locked(proxy.from("127.0.0.2"), "admin", "Abc1234!");
  EXPECT_EQ(still_locked.sign_in_status(), 429U) << "the lock outlives the processes that counted it";
  const AdminSession admin(proxy.from("127.0.0.3"), "admin", "Abc1234!");
  EXPECT_EQ(admin.sign_in_status(), 302U);
}

TEST(BehindProxy, AnAttackerHammeringTheAdminNeverLocksTheAdminOut) {
  ServerProcess server;
  const Haproxy proxy({server.port()});
  std::atomic<bool> stop{false};
  std::thread attacker([&] {
    for (int attempt = 0; attempt < 500 && !stop; ++attempt) {
      const AdminSession failed(proxy.from("127.0.0.2"), "admin", "guess-" + std::to_string(attempt));
    }
  });
  const bool locked = server.wait_for_stderr("sign-in locked", 60s);
  // Signs in while the attacker goes on.
  const AdminSession admin(proxy.from("127.0.0.3"), "admin", "Abc1234!");
  stop = true;
  attacker.join();
  EXPECT_TRUE(locked);
  EXPECT_EQ(admin.sign_in_status(), 302U);
  EXPECT_TRUE(admin.logged_in());
  EXPECT_NE(server.stderr_text().find("username='admin' client=127.0.0.2"), std::string::npos)
      << "the lock names the attacker's address, not the proxy's";
}

}  // namespace
}  // namespace ocl::integration
