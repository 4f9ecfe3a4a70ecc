/// Crash safety: admin writes from several clients, the server killed with SIGKILL half-way through;
/// afterwards the database is intact, holds every write the server acknowledged, and serves again.

#include <atomic>
#include <csignal>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "admin_session.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

using boost::beast::http::status;

constexpr int total_writes = 1000;
constexpr int client_count = 4;
constexpr int kill_after_acknowledged = 500;
constexpr std::string_view marker_prefix = "Crash Street ";

/// The unique street that identifies write `index`.
std::string marker(int index) {
  return std::string(marker_prefix) + std::to_string(index);
}

FormFields address_form(const std::string& token, int index) {
  return {{"csrfmiddlewaretoken", token},
          {"number", std::to_string(1 + index % 9000)},
          {"street", marker(index)},
          {"city", "Kill City"},
          {"state", "CA"},
          {"zip_code", "90210"},
          {"country_iso_code", "USA"},
          {"_save", "Save"}};
}

/// What the clients saw, shared between them and the thread that kills the server.
struct Ledger {
  std::atomic<int> next_index{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> acknowledged_count{0};
  std::atomic<int> signed_in{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::vector<int> acknowledged;      ///< answered 302: saved and committed
  std::vector<int> unanswered;        ///< sent, but the connection died first: may or may not be saved
  std::vector<int> refused;           ///< answered with anything else
  std::vector<std::string> failures;  ///< a client that could not even sign in, and why
};

/// One admin user's browser: signs in, then adds addresses until the server dies or all are sent.
void run_client(const ServerProcess& server, Ledger& ledger) {
  std::optional<AdminSession> admin;
  std::string token;
  try {
    admin.emplace(server, "admin", "Abc1234!");
    if (admin->logged_in()) {
      token = csrf_token_in(admin->get("/admin/").body());
    }
  } catch (const std::exception& error) {
    const std::scoped_lock lock(ledger.mutex);
    ledger.failures.push_back(std::string("signing in: ") + error.what());
  }
  if (token.empty()) {
    ledger.stop = true;
    return;
  }
  // Sign-ins answer one by one as their hashes end: the clients start writing together once all are in.
  ++ledger.signed_in;
  while (ledger.signed_in < client_count && !ledger.stop) {
    std::this_thread::yield();
  }
  while (!ledger.stop) {
    const int index = ledger.next_index++;
    if (index >= total_writes) {
      return;
    }
    ++ledger.in_flight;
    try {
      const auto response = admin->post("/admin/lettings/address/add/", address_form(token, index), false);
      --ledger.in_flight;
      const bool saved =
          response.result() == status::found && header(response, "Location") == "/admin/lettings/address/";
      const std::scoped_lock lock(ledger.mutex);
      (saved ? ledger.acknowledged : ledger.refused).push_back(index);
      ledger.acknowledged_count += saved ? 1 : 0;
    } catch (const std::exception&) {
      --ledger.in_flight;
      const std::scoped_lock lock(ledger.mutex);
      ledger.unanswered.push_back(index);
      ledger.stop = true;  // the server is gone
    }
  }
}

/// Waits until enough writes were acknowledged and some requests are in flight, then sends SIGKILL.
void kill_mid_way(ServerProcess& server, Ledger& ledger) {
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (std::chrono::steady_clock::now() < deadline && !ledger.stop &&
         (ledger.acknowledged_count < kill_after_acknowledged || ledger.in_flight < 2)) {
    std::this_thread::yield();
  }
  server.send_signal(SIGKILL);
}

/// Every street starting with the marker prefix, as saved in the database.
std::set<std::string> saved_markers(const std::string& database_url) {
  const auto database = open_test_database(database_url);
  std::set<std::string> streets;
  for (const auto& row :
       database->lease()->query("SELECT street FROM lettings_address WHERE street LIKE 'Crash Street %'").rows) {
    streets.insert(row.text(0));
  }
  return streets;
}

TEST(CrashSafetyTest, KillDashNineDuringAdminWritesLosesNoAcknowledgedWrite) {
  ServerProcess server;
  Ledger ledger;
  std::vector<std::thread> clients;
  for (int client = 0; client < client_count; ++client) {
    clients.emplace_back([&] { run_client(server, ledger); });
  }
  kill_mid_way(server, ledger);
  for (auto& client : clients) {
    client.join();
  }
  ASSERT_EQ(server.wait_for_exit(10s), 128 + SIGKILL);
  ASSERT_TRUE(ledger.failures.empty()) << ledger.failures.front() << '\n' << server.stderr_text();
  ASSERT_TRUE(ledger.refused.empty()) << ledger.refused.size() << " write(s) refused; first #" << ledger.refused[0];
  ASSERT_GE(ledger.acknowledged.size(), static_cast<std::size_t>(kill_after_acknowledged)) << server.stderr_text();
  EXPECT_LT(ledger.acknowledged.size(), static_cast<std::size_t>(total_writes)) << "the kill came too late";
  EXPECT_FALSE(ledger.unanswered.empty()) << "no request was in flight when the server was killed";

  // The database as the killed server left it: SQLite replays the committed part of the WAL on open.
  expect_consistent(server.database_url());
  const auto saved = saved_markers(server.database_url());
  std::cout << "acknowledged " << ledger.acknowledged.size() << ", unanswered " << ledger.unanswered.size()
            << ", saved " << saved.size() << '\n';
  for (const int index : ledger.acknowledged) {
    EXPECT_TRUE(saved.contains(marker(index))) << "acknowledged write #" << index << " is missing";
  }
  // Nothing half-done either: what is saved was sent, and each saved address has its admin log entry.
  EXPECT_LE(saved.size(), ledger.acknowledged.size() + ledger.unanswered.size());
  EXPECT_EQ(query_text(server.database_url(),
                       "SELECT COUNT(*) FROM django_admin_log WHERE action_flag = 1 AND object_repr LIKE "
                       "'% Crash Street %'"),
            std::to_string(saved.size()));

  // The same database serves again, reads and writes.
  ServerProcess restarted{{.seed = Seed::nothing, .overrides = {{"DATABASE_URL", server.database_url()}}}};
  EXPECT_EQ(restarted.get("/lettings/").result(), status::ok);
  EXPECT_EQ(restarted.get("/readyz").result(), status::ok);
  AdminSession admin{restarted, "admin", "Abc1234!"};
  ASSERT_TRUE(admin.logged_in());
  const auto token = csrf_token_in(admin.get("/admin/").body());
  EXPECT_EQ(admin.post("/admin/lettings/address/add/", address_form(token, total_writes), false).result(),
            status::found);
  EXPECT_TRUE(saved_markers(server.database_url()).contains(marker(total_writes)));
  EXPECT_EQ(restarted.terminate(), 0);
  expect_consistent(server.database_url());
}

}  // namespace
}  // namespace ocl::integration
