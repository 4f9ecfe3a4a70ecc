#include "db/sqlite_errors.hpp"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "db/database.hpp"
#include "db/sqlite_connection.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::db {
namespace {

/// The exception throw_sqlite_error raises for `code`, caught as its most derived type's name.
std::string raised_for(int code) {
  try {
    throw_sqlite_error(code, "message");
  } catch (const ConstraintError&) {
    return "constraint";
  } catch (const UnavailableError& error) {
    return "unavailable " + error.reason();
  } catch (const DatabaseError&) {
    return "database";
  }
}

TEST(SqliteErrors, FaultsOfTheDiskOrLocksAreUnavailable) {
  EXPECT_EQ(raised_for(SQLITE_READONLY), "unavailable SQLITE_READONLY");
  EXPECT_EQ(raised_for(SQLITE_READONLY_DBMOVED), "unavailable SQLITE_READONLY");
  EXPECT_EQ(raised_for(SQLITE_FULL), "unavailable SQLITE_FULL");
  EXPECT_EQ(raised_for(SQLITE_IOERR), "unavailable SQLITE_IOERR");
  EXPECT_EQ(raised_for(SQLITE_IOERR_WRITE), "unavailable SQLITE_IOERR");
  EXPECT_EQ(raised_for(SQLITE_IOERR_FSYNC), "unavailable SQLITE_IOERR");
  EXPECT_EQ(raised_for(SQLITE_CANTOPEN), "unavailable SQLITE_CANTOPEN");
  EXPECT_EQ(raised_for(SQLITE_BUSY), "unavailable SQLITE_BUSY");
  EXPECT_EQ(raised_for(SQLITE_BUSY_SNAPSHOT), "unavailable SQLITE_BUSY");
  EXPECT_EQ(raised_for(SQLITE_LOCKED), "unavailable SQLITE_LOCKED");
}

TEST(SqliteErrors, ConstraintsAndOtherErrorsStayWhatTheyAre) {
  EXPECT_EQ(raised_for(SQLITE_CONSTRAINT), "constraint");
  EXPECT_EQ(raised_for(SQLITE_CONSTRAINT_UNIQUE), "constraint");
  EXPECT_EQ(raised_for(SQLITE_CONSTRAINT_FOREIGNKEY), "constraint");
  EXPECT_EQ(raised_for(SQLITE_ERROR), "database");
  EXPECT_EQ(raised_for(SQLITE_CORRUPT), "database");
  EXPECT_EQ(raised_for(SQLITE_MISMATCH), "database");
}

TEST(SqliteErrors, NamesUseThePrimaryCode) {
  EXPECT_EQ(sqlite_error_name(SQLITE_IOERR_SHORT_READ), "SQLITE_IOERR");
  EXPECT_EQ(sqlite_error_name(SQLITE_CORRUPT), "SQLITE_CORRUPT");
  EXPECT_EQ(sqlite_error_name(SQLITE_MISMATCH), "SQLITE_ERROR 20");
}

TEST(SqliteErrors, OnlyLockWaitsKeepTheConnection) {
  EXPECT_TRUE(keeps_connection(SQLITE_BUSY));
  EXPECT_TRUE(keeps_connection(SQLITE_LOCKED));
  EXPECT_TRUE(keeps_connection(SQLITE_CONSTRAINT_UNIQUE));
  EXPECT_TRUE(keeps_connection(SQLITE_ERROR));
  EXPECT_FALSE(keeps_connection(SQLITE_READONLY));
  EXPECT_FALSE(keeps_connection(SQLITE_FULL));
  EXPECT_FALSE(keeps_connection(SQLITE_IOERR_WRITE));
  EXPECT_FALSE(keeps_connection(SQLITE_CANTOPEN));
}

class SqliteFaultTest : public ::testing::Test {
 protected:
  SqliteFaultTest() : connection(directory.file("faults.sqlite3")) {
    connection.execute_script("CREATE TABLE item (id integer PRIMARY KEY, data blob NOT NULL);");
  }

  /// The reason of the UnavailableError `work` raises, or "" when it raises none.
  template <typename Work>
  static std::string unavailable_reason(Work&& work) {
    try {
      work();
    } catch (const UnavailableError& error) {
      return error.reason();
    }
    return {};
  }

  testing::TempDirectory directory;
  SqliteConnection connection;
};

TEST_F(SqliteFaultTest, AWriteRefusedAsReadOnlyRetiresTheConnection) {
  connection.execute_script("PRAGMA query_only = ON;");
  EXPECT_TRUE(connection.reusable());
  EXPECT_EQ(unavailable_reason([&] { connection.execute("INSERT INTO item (data) VALUES ('x')"); }), "SQLITE_READONLY");
  EXPECT_FALSE(connection.reusable());
  EXPECT_EQ(testing::count_rows(connection, "item"), 0);  // reads still work
}

TEST_F(SqliteFaultTest, AFullDatabaseRollsBackAndRetiresTheConnection) {
  const auto pages = connection.query("PRAGMA page_count").rows.at(0).integer(0);
  connection.query("PRAGMA max_page_count = " + std::to_string(pages));
  const auto reason = unavailable_reason([&] {
    in_transaction(connection, [&] { connection.execute("INSERT INTO item (data) VALUES (zeroblob(1000000))"); });
  });
  EXPECT_EQ(reason, "SQLITE_FULL");
  EXPECT_FALSE(connection.in_transaction());
  EXPECT_FALSE(connection.reusable());
  EXPECT_EQ(testing::count_rows(connection, "item"), 0);
  EXPECT_EQ(connection.query("PRAGMA integrity_check").rows.at(0).text(0), "ok");
}

TEST_F(SqliteFaultTest, ALockTimeoutKeepsTheConnection) {
  SqliteConnection other(directory.file("faults.sqlite3"));
  connection.begin();
  other.execute("PRAGMA busy_timeout = 50");
  EXPECT_EQ(unavailable_reason([&] { other.begin(); }), "SQLITE_BUSY");
  EXPECT_TRUE(other.reusable());
  connection.rollback();
}

TEST_F(SqliteFaultTest, AnUnopenableFileIsCantOpen) {
  EXPECT_EQ(unavailable_reason([] { SqliteConnection("/nonexistent-directory/sub/db.sqlite3"); }), "SQLITE_CANTOPEN");
}

/// A connection whose reusability the test sets; counts how many are alive.
class FlaggedConnection final : public Connection {
 public:
  explicit FlaggedConnection(int& alive) : alive_(alive) { ++alive_; }
  ~FlaggedConnection() override { --alive_; }
  FlaggedConnection(const FlaggedConnection&) = delete;
  FlaggedConnection& operator=(const FlaggedConnection&) = delete;

  using Connection::execute;
  using Connection::query;
  ResultSet query(std::string_view /*sql*/, std::span<const Value> /*params*/) override { return {}; }
  std::int64_t execute(std::string_view /*sql*/, std::span<const Value> /*params*/) override { return 0; }
  void execute_script(std::string_view /*sql*/) override {}
  [[nodiscard]] Dialect dialect() const override { return Dialect::sqlite; }
  void begin() override {}
  void commit() override {}
  void rollback() override {}
  [[nodiscard]] bool reusable() const override { return reusable_; }

  bool reusable_ = true;

 private:
  int& alive_;
};

TEST(DatabasePoolFaults, AConnectionNoLongerReusableIsClosedAndReplaced) {
  int alive = 0;
  int opened = 0;
  Database database(
      DatabaseUrl{},
      [&]() -> std::unique_ptr<Connection> {
        ++opened;
        return std::make_unique<FlaggedConnection>(alive);
      },
      1);
  {
    auto lease = database.lease();
    dynamic_cast<FlaggedConnection&>(*lease).reusable_ = false;
  }
  EXPECT_EQ(alive, 0);
  EXPECT_EQ(database.open_connections(), 0U);
  { auto lease = database.lease(); }
  { auto lease = database.lease(); }
  EXPECT_EQ(opened, 2);  // the healthy replacement is reused
  EXPECT_EQ(alive, 1);
  EXPECT_EQ(database.open_connections(), 1U);
}

}  // namespace
}  // namespace ocl::db
