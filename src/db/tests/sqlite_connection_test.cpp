#include "db/sqlite_connection.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sqlite3.h>

#include "db/database.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::db {
namespace {

class SqliteConnectionTest : public ::testing::Test {
 protected:
  SqliteConnectionTest() : connection(directory.file("test.sqlite3")) {
    connection.execute_script(
        "CREATE TABLE item (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, name varchar(10) NOT NULL UNIQUE,"
        " amount integer unsigned NOT NULL CHECK (amount >= 0), price real NULL, data blob NULL);");
  }

  testing::TempDirectory directory;
  SqliteConnection connection;
};

TEST_F(SqliteConnectionTest, OpensWithWalForeignKeysAndFullSync) {
  EXPECT_EQ(connection.query("PRAGMA journal_mode").rows.at(0).text(0), "wal");
  EXPECT_EQ(connection.query("PRAGMA foreign_keys").rows.at(0).integer(0), 1);
  EXPECT_EQ(connection.query("PRAGMA synchronous").rows.at(0).integer(0), 2);  // FULL: commits survive power loss
  EXPECT_EQ(connection.query("PRAGMA busy_timeout").rows.at(0).integer(0), 5000);
  EXPECT_EQ(connection.dialect(), Dialect::sqlite);
}

TEST_F(SqliteConnectionTest, ValuesComeBackWithTheirTypes) {
  connection.execute(
      "INSERT INTO item (name, amount, price, data) VALUES (?, ?, ?, CAST(? AS BLOB))",
      {Value{std::string("caf\xc3\xa9")}, Value{std::int64_t{9'000'000'000}}, Value{2.5}, Value{std::string("raw")}});
  const auto result = connection.query("SELECT id, name, amount, price, data, NULL FROM item");
  ASSERT_EQ(result.rows.size(), 1U);
  const auto& row = result.rows.front();
  EXPECT_EQ(row.integer(0), 1);
  EXPECT_EQ(row.text(1), "caf\xc3\xa9");
  EXPECT_EQ(row.integer(2), 9'000'000'000);
  EXPECT_DOUBLE_EQ(std::get<double>(row.value(3)), 2.5);
  EXPECT_EQ(row.text(4), "raw");
  EXPECT_TRUE(row.is_null(5));
  EXPECT_EQ(result.columns, (std::vector<std::string>{"id", "name", "amount", "price", "data", "NULL"}));
}

TEST_F(SqliteConnectionTest, ExecuteReturnsChangedRows) {
  connection.execute("INSERT INTO item (name, amount) VALUES ('a', 1)");
  connection.execute("INSERT INTO item (name, amount) VALUES ('b', 2)");
  EXPECT_EQ(connection.execute("UPDATE item SET amount = amount + 1"), 2);
  EXPECT_EQ(connection.execute("DELETE FROM item WHERE name = ?", {Value{std::string("zzz")}}), 0);
}

TEST_F(SqliteConnectionTest, ConstraintViolationsRaiseConstraintError) {
  connection.execute("INSERT INTO item (name, amount) VALUES ('a', 1)");
  EXPECT_THROW(connection.execute("INSERT INTO item (name, amount) VALUES ('a', 2)"), ConstraintError);
  EXPECT_THROW(connection.execute("INSERT INTO item (name, amount) VALUES ('b', -1)"), ConstraintError);
  EXPECT_THROW(connection.execute("INSERT INTO item (name, amount) VALUES (NULL, 1)"), ConstraintError);
  try {
    connection.execute("INSERT INTO item (name, amount) VALUES ('a', 3)");
  } catch (const ConstraintError& error) {
    EXPECT_NE(std::string(error.what()).find("UNIQUE constraint failed: item.name"), std::string::npos);
  }
  EXPECT_EQ(testing::count_rows(connection, "item"), 1);
}

TEST_F(SqliteConnectionTest, OtherErrorsRaiseDatabaseErrorButNotConstraintError) {
  try {
    connection.query("SELECT missing_column FROM item");
    FAIL() << "expected DatabaseError";
  } catch (const ConstraintError&) {
    FAIL() << "not a constraint error";
  } catch (const UnavailableError&) {
    FAIL() << "not an availability error";
  } catch (const DatabaseError& error) {
    EXPECT_NE(std::string(error.what()).find("no such column: missing_column"), std::string::npos);
  }
}

TEST_F(SqliteConnectionTest, StatementsArePreparedOnceAndReboundOnReuse) {
  const auto before = connection.prepared_statement_count();
  for (std::int64_t index = 0; index < 50; ++index) {
    connection.execute("INSERT INTO item (name, amount) VALUES (?, ?)",
                       {Value{"n" + std::to_string(index)}, Value{index}});
  }
  EXPECT_EQ(connection.prepared_statement_count(), before + 1);
  for (std::int64_t index = 0; index < 50; ++index) {
    const auto rows = connection.query("SELECT amount FROM item WHERE name = ?", {Value{"n" + std::to_string(index)}});
    ASSERT_EQ(rows.rows.size(), 1U);
    EXPECT_EQ(rows.rows.front().integer(0), index);
  }
  EXPECT_EQ(connection.prepared_statement_count(), before + 2);
}

TEST_F(SqliteConnectionTest, DistinctStatementsStayWithinTheCacheAndLongOnesAreNotKept) {
  // As the admin's search makes them: one more clause per word, so one more text per word count.
  for (std::int64_t index = 0; index < 300; ++index) {
    const auto rows = connection.query("SELECT ? + " + std::to_string(index), {Value{std::int64_t{1}}});
    EXPECT_EQ(rows.rows.at(0).integer(0), index + 1);
  }
  EXPECT_EQ(connection.prepared_statement_count(), 256U);
  const auto again = connection.query("SELECT ? + 0", {Value{std::int64_t{5}}});
  EXPECT_EQ(again.rows.at(0).integer(0), 5) << "an evicted statement is prepared again";

  const std::string long_text = "SELECT ? + 1 /* " + std::string(4096, 'x') + " */";
  const auto before = connection.prepared_statement_count();
  for (int run = 0; run < 2; ++run) {
    const auto rows = connection.query(long_text, {Value{std::int64_t{1}}});
    EXPECT_EQ(rows.rows.at(0).integer(0), 2);
  }
  EXPECT_EQ(connection.prepared_statement_count(), before) << "a long text runs once and is not kept";
}

TEST_F(SqliteConnectionTest, AFailedStatementCanBeReused) {
  const std::string_view insert = "INSERT INTO item (name, amount) VALUES (?, ?)";
  connection.execute(insert, {Value{std::string("x")}, Value{std::int64_t{1}}});
  EXPECT_THROW(connection.execute(insert, {Value{std::string("x")}, Value{std::int64_t{1}}}), ConstraintError);
  EXPECT_EQ(connection.execute(insert, {Value{std::string("y")}, Value{std::int64_t{2}}}), 1);
}

TEST_F(SqliteConnectionTest, ParametersAreBoundNeverSpliced) {
  const std::string hostile = "x'); DROP TABLE item; --";
  connection.execute("INSERT INTO item (name, amount) VALUES (?, 1)", {Value{hostile.substr(0, 10)}});
  EXPECT_EQ(connection.query("SELECT name FROM item").rows.at(0).text(0), hostile.substr(0, 10));
  EXPECT_THROW(connection.query("SELECT 1; SELECT 2"), DatabaseError);
  EXPECT_THROW(connection.query("SELECT ?", {}), DatabaseError);
  EXPECT_THROW(connection.query("SELECT 1", {Value{std::int64_t{1}}}), DatabaseError);
}

TEST_F(SqliteConnectionTest, TransactionsCommitRollBackAndRefuseNesting) {
  in_transaction(connection, [&] { connection.execute("INSERT INTO item (name, amount) VALUES ('kept', 1)"); });
  EXPECT_THROW(in_transaction(connection,
                              [&] {
                                connection.execute("INSERT INTO item (name, amount) VALUES ('lost', 1)");
                                throw std::runtime_error("abort");
                              }),
               std::runtime_error);
  EXPECT_EQ(testing::rows_as_text(connection, "SELECT name FROM item"), std::vector<std::string>{"kept|"});
  connection.begin();
  EXPECT_TRUE(connection.in_transaction());
  EXPECT_THROW(connection.begin(), DatabaseError);
  connection.rollback();
  EXPECT_FALSE(connection.in_transaction());
  EXPECT_NO_THROW(connection.rollback());
}

TEST_F(SqliteConnectionTest, DeferredForeignKeysFailAtCommit) {
  connection.execute_script(
      "CREATE TABLE parent (id integer PRIMARY KEY);"
      "CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id) DEFERRABLE INITIALLY "
      "DEFERRED);");
  EXPECT_THROW(in_transaction(connection, [&] { connection.execute("INSERT INTO child VALUES (1, 42)"); }),
               ConstraintError);
  EXPECT_FALSE(connection.in_transaction());
  EXPECT_EQ(testing::count_rows(connection, "child"), 0);
}

TEST_F(SqliteConnectionTest, BusyDatabaseRaisesUnavailableError) {
  SqliteConnection other(directory.file("test.sqlite3"));
  connection.begin();
  connection.execute("INSERT INTO item (name, amount) VALUES ('locked', 1)");
  other.execute("PRAGMA busy_timeout = 50");
  EXPECT_THROW(other.begin(), UnavailableError);
  connection.rollback();
}

TEST(SqliteConnectionOpen, UnopenablePathRaisesUnavailableError) {
  EXPECT_THROW(SqliteConnection("/nonexistent-directory/sub/db.sqlite3"), UnavailableError);
}

/// Opens `count` connections to `path` from as many threads released at once, each then writing a
/// row as a site's first requests would; returns the error messages.
std::vector<std::string> open_at_once(const std::string& path, int count) {
  std::latch start{count};
  std::mutex mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int index = 0; index < count; ++index) {
    threads.emplace_back([&] {
      start.arrive_and_wait();  // released together, so the opens really overlap
      try {
        SqliteConnection opened(path);
        opened.execute("INSERT INTO hit DEFAULT VALUES");
      } catch (const DatabaseError& error) {
        const std::lock_guard lock{mutex};
        errors.emplace_back(error.what());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  return errors;
}

// Switching to WAL takes an exclusive lock for which SQLite never calls the busy handler: when every
// new connection asked for it, some of those opened alongside others failed at once with
// "database is locked" (a site's first requests answered 503).
TEST(SqliteConnectionOpen, ConnectionsOpenedTogetherAllSucceedOnARollbackJournalFile) {
  for (int round = 0; round < 20; ++round) {
    testing::TempDirectory directory;
    const auto path = directory.file("rollback.sqlite3");
    {
      sqlite3* raw = nullptr;
      ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
      ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE hit (id integer PRIMARY KEY)", nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(raw);
    }
    EXPECT_EQ(open_at_once(path, 16), std::vector<std::string>{}) << "round " << round;
    SqliteConnection check(path);
    EXPECT_EQ(check.query("PRAGMA journal_mode").rows.at(0).text(0), "wal");
    EXPECT_EQ(testing::count_rows(check, "hit"), 16);
  }
}

TEST(SqliteConnectionOpen, ConnectionsOpenedTogetherAllSucceedOnAClosedWalFile) {
  for (int round = 0; round < 5; ++round) {
    testing::TempDirectory directory;
    const auto path = directory.file("closed-wal.sqlite3");
    {
      SqliteConnection converting(path);  // the file stays in WAL mode once closed
      converting.execute_script("CREATE TABLE hit (id integer PRIMARY KEY);");
    }
    EXPECT_EQ(open_at_once(path, 16), std::vector<std::string>{}) << "round " << round;
  }
}

TEST(SqliteConnectionOpen, ConnectionsOpenedTogetherAllSucceedOnAWalFileInUse) {
  testing::TempDirectory directory;
  const auto path = directory.file("wal.sqlite3");
  SqliteConnection first(path);  // converts the file, and stays open as a pool's first connection does
  first.execute_script("CREATE TABLE hit (id integer PRIMARY KEY);");
  for (int round = 0; round < 5; ++round) {
    EXPECT_EQ(open_at_once(path, 16), std::vector<std::string>{}) << "round " << round;
  }
  EXPECT_EQ(testing::count_rows(first, "hit"), 80);
}

TEST(DatabasePool, LeasesNeverExceedTheMaximumAndConnectionsAreReused) {
  testing::TempDirectory directory;
  auto database = open_database(parse_database_url("sqlite:///" + directory.file("pool.sqlite3")), 3);
  {
    auto lease = database->lease();
    lease->execute_script("CREATE TABLE hit (id integer PRIMARY KEY AUTOINCREMENT, worker integer NOT NULL);");
  }
  std::atomic<int> active{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> workers;
  for (int worker = 0; worker < 8; ++worker) {
    workers.emplace_back([&, worker] {
      for (int round = 0; round < 20; ++round) {
        auto lease = database->lease();
        const int now = ++active;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        lease->execute("INSERT INTO hit (worker) VALUES (?)", {Value{std::int64_t{worker}}});
        --active;
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  EXPECT_LE(peak.load(), 3);
  EXPECT_LE(database->open_connections(), 3U);
  EXPECT_GE(database->open_connections(), 1U);
  auto lease = database->lease();
  EXPECT_EQ(testing::count_rows(*lease, "hit"), 160);
}

TEST(DatabasePool, LeaseWaitsUntilAConnectionIsReturned) {
  testing::TempDirectory directory;
  auto database = open_database(parse_database_url("sqlite:///" + directory.file("wait.sqlite3")), 1);
  auto first = std::make_optional(database->lease());
  std::atomic<bool> got_second{false};
  std::thread waiter([&] {
    auto second = database->lease();
    got_second = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(got_second.load());
  first.reset();
  waiter.join();
  EXPECT_TRUE(got_second.load());
  EXPECT_EQ(database->open_connections(), 1U);
}

TEST(DatabasePool, MoveAssigningALeaseReturnsTheConnectionItHeld) {
  testing::TempDirectory directory;
  auto database = open_database(parse_database_url("sqlite:///" + directory.file("move.sqlite3")), 2);
  auto lease = database->lease();
  lease = database->lease();
  auto other = database->lease();
  EXPECT_EQ(database->open_connections(), 2U);
}

TEST(DatabasePool, AFailedOpenFreesItsSlot) {
  int attempts = 0;
  Database database(
      DatabaseUrl{},
      [&attempts]() -> std::unique_ptr<Connection> {
        ++attempts;
        throw UnavailableError("down");
      },
      1);
  EXPECT_THROW(database.lease(), UnavailableError);
  EXPECT_THROW(database.lease(), UnavailableError);
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(database.open_connections(), 0U);
}

}  // namespace
}  // namespace ocl::db
