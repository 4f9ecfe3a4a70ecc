/// Real storage faults under the running server: a full disk (a small tmpfs filled up) and a read-only
/// database (a read-only bind mount). Writes get the 503 page and one log line, reads carry on where they
/// can, nothing is corrupted, and the site recovers without a restart once the fault is fixed.
/// Mounting needs root with CAP_SYS_ADMIN; the tests skip, saying so, only when mounting fails.

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "admin_session.hpp"
#include "db/sqlite_connection.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

using boost::beast::http::status;
namespace fs = std::filesystem;

/// A mount on `target`, detached on destruction (before the folder holding it is removed).
class Mount {
 public:
  /// Mounts; returns nullopt and sets `error` when the kernel refuses.
  static std::optional<Mount> make(const char* source, const fs::path& target, const char* type, unsigned long flags,
                                   const char* options, std::string& error) {
    fs::create_directories(target);
    if (::mount(source, target.c_str(), type, flags, options) != 0) {
      error = std::strerror(errno);
      return std::nullopt;
    }
    return Mount(target);
  }
  Mount(Mount&& other) noexcept : target_(std::exchange(other.target_, {})) {}
  Mount& operator=(Mount&& other) noexcept {
    if (this != &other) {
      detach();
      target_ = std::exchange(other.target_, {});
    }
    return *this;
  }
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;
  ~Mount() { detach(); }

  /// Switches a bind mount between read-only and read-write; false if the kernel refuses.
  [[nodiscard]] bool set_read_only(bool read_only) const {
    unsigned long flags = MS_REMOUNT | MS_BIND;
    if (read_only) {
      flags |= MS_RDONLY;
    }
    return ::mount(nullptr, target_.c_str(), nullptr, flags, nullptr) == 0;
  }
  [[nodiscard]] const fs::path& path() const { return target_; }

 private:
  explicit Mount(fs::path target) : target_(std::move(target)) {}
  void detach() {
    if (!target_.empty()) {
      ::umount2(target_.c_str(), MNT_DETACH);
    }
  }
  fs::path target_;
};

std::string skip_reason(const std::string& what, const std::string& error) {
  return "cannot " + what + " (" + error + "): storage fault tests need root with CAP_SYS_ADMIN";
}

/// Writes zeros into `path` until the file system has no block left; returns the bytes written.
std::size_t fill_disk(const fs::path& path) {
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::size_t total = 0;
  for (const std::size_t chunk : {std::size_t{1} << 20, std::size_t{4096}, std::size_t{512}, std::size_t{1}}) {
    const std::string zeros(chunk, '\0');
    while (::write(file, zeros.data(), zeros.size()) == static_cast<ssize_t>(chunk)) {
      total += chunk;
    }
  }
  ::close(file);
  return total;
}

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

FormFields address_form(const std::string& token, const std::string& street) {
  return {{"csrfmiddlewaretoken", token}, {"number", "5"},  {"street", street},
          {"city", "Faultline"},          {"state", "CA"},  {"zip_code", "94000"},
          {"country_iso_code", "USA"},    {"_save", "Save"}};
}

/// Adds an address through the admin form; returns the answer.
HttpResponse add_address(AdminSession& admin, const std::string& street) {
  const auto token = csrf_token_in(admin.get("/admin/").body());
  return admin.post("/admin/lettings/address/add/", address_form(token, street), false);
}

void expect_service_unavailable_page(const HttpResponse& response) {
  EXPECT_EQ(response.result(), status::service_unavailable);
  EXPECT_EQ(header(response, "Retry-After"), "30");
  EXPECT_EQ(header(response, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(response.body().find("Service unavailable"), std::string::npos);
  EXPECT_NE(response.body().find("Please try again"), std::string::npos);
  EXPECT_EQ(response.body().find("SQLITE"), std::string::npos);  // no internals shown
}

std::string street_count(const fs::path& database, const std::string& street) {
  return query_text(sqlite_url(database), "SELECT COUNT(*) FROM lettings_address WHERE street = '" + street + "'");
}

ServerConfig serving(const fs::path& database) {
  return ServerConfig{.seed = Seed::nothing, .overrides = {{"DATABASE_URL", sqlite_url(database)}}};
}

TEST(StorageFaultsTest, FullDiskAnswers503AndRecoversOnceSpaceIsFreed) {
  OCL_SKIP_UNLESS_SQLITE();
  const TempDir scratch;
  std::string error;
  const auto disk = Mount::make("tmpfs", scratch.file("disk"), "tmpfs", 0, "size=4m", error);
  if (!disk) {
    GTEST_SKIP() << skip_reason("mount a tmpfs", error);
  }
  const auto database = disk->path() / "db.sqlite3";
  copy_django_database(database);
  ServerProcess server{serving(database)};
  AdminSession admin{server, "admin", "Abc1234!"};
  ASSERT_TRUE(admin.logged_in()) << server.stderr_text();
  ASSERT_EQ(add_address(admin, "Before Full Street").result(), status::found);

  ASSERT_GT(fill_disk(disk->path() / "filler"), 0U);
  expect_service_unavailable_page(add_address(admin, "While Full Street"));
  EXPECT_EQ(server.get("/lettings/").result(), status::ok);  // reads need no space
  EXPECT_EQ(server.get("/readyz").result(), status::ok);
  EXPECT_TRUE(server.wait_for_stderr("database unavailable (SQLITE_FULL)"));
  EXPECT_EQ(count_of(server.stderr_text(), "Service Unavailable:"), 1U) << server.stderr_text();

  fs::remove(disk->path() / "filler");
  EXPECT_EQ(add_address(admin, "After Full Street").result(), status::found);
  EXPECT_TRUE(AdminSession(server, "admin", "Abc1234!").logged_in());
  EXPECT_EQ(query_text(sqlite_url(database), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(street_count(database, "Before Full Street"), "1");
  EXPECT_EQ(street_count(database, "While Full Street"), "0");
  EXPECT_EQ(street_count(database, "After Full Street"), "1");
  EXPECT_EQ(server.terminate(), 0);
  EXPECT_EQ(query_text(sqlite_url(database), "PRAGMA integrity_check"), "ok");
}

/// The database's folder seen through a bind mount that the test switches to read-only.
class ReadOnlyDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OCL_SKIP_UNLESS_SQLITE();
    fs::create_directories(scratch.file("data"));
    copy_django_database(scratch.file("data") / "db.sqlite3");
    std::string error;
    view = Mount::make(scratch.file("data").c_str(), scratch.file("view"), nullptr, MS_BIND, nullptr, error);
    if (!view) {
      GTEST_SKIP() << skip_reason("bind-mount a folder", error);
    }
    database = view->path() / "db.sqlite3";
  }

  /// Leaves the database in WAL mode, as a server that ran on it before leaves it.
  void switch_to_wal() const { db::SqliteConnection connection(database.string()); }

  TempDir scratch;
  std::optional<Mount> view;
  fs::path database;
};

/// Signs in by hand (a read-only database cannot store the session) and returns the answer.
HttpResponse post_login(const ServerProcess& server) {
  const auto page = server.get("/admin/login/");
  const auto set_cookie = header(page, "Set-Cookie");
  const auto body =
      form_body({{"csrfmiddlewaretoken", csrf_token_in(page.body())}, {"username", "admin"}, {"password", "Abc1234!"}});
  const HeaderList headers{{"Cookie", set_cookie.substr(0, set_cookie.find(';'))},
                           {"Content-Type", "application/x-www-form-urlencoded"}};
  return server.request("POST", "/admin/login/", headers, body);
}

TEST_F(ReadOnlyDatabaseTest, WritesAnswer503WhileReadsWorkThenRecoverOnceWritable) {
  ASSERT_TRUE(view->set_read_only(true));
  ServerProcess server{serving(database)};
  EXPECT_EQ(server.get("/lettings/").result(), status::ok);
  EXPECT_EQ(server.get("/profiles/AirWow/").result(), status::ok);
  EXPECT_EQ(server.get("/admin/login/").result(), status::ok);
  EXPECT_EQ(server.get("/readyz").result(), status::ok);  // reads work: the site stays in rotation
  expect_service_unavailable_page(post_login(server));
  EXPECT_TRUE(server.wait_for_stderr("database unavailable (SQLITE_READONLY)")) << server.stderr_text();
  EXPECT_EQ(count_of(server.stderr_text(), "Service Unavailable:"), 1U) << server.stderr_text();

  ASSERT_TRUE(view->set_read_only(false));
  AdminSession admin{server, "admin", "Abc1234!"};
  ASSERT_TRUE(admin.logged_in()) << server.stderr_text();
  EXPECT_EQ(add_address(admin, "Writable Again Street").result(), status::found);
  EXPECT_EQ(street_count(database, "Writable Again Street"), "1");
  EXPECT_EQ(query_text(sqlite_url(database), "PRAGMA integrity_check"), "ok");
}

TEST_F(ReadOnlyDatabaseTest, UnreadableWalDatabaseAnswers503EverywhereThenRecovers) {
  switch_to_wal();  // read-only WAL without its shared-memory file: SQLite cannot even read
  ASSERT_TRUE(view->set_read_only(true));
  ServerProcess server{serving(database)};
  expect_service_unavailable_page(server.get("/lettings/"));
  EXPECT_EQ(server.get("/readyz").result(), status::service_unavailable);
  EXPECT_EQ(server.get("/healthz").result(), status::ok);
  EXPECT_TRUE(server.wait_for_stderr("database unavailable (SQLITE_CANTOPEN)")) << server.stderr_text();

  ASSERT_TRUE(view->set_read_only(false));
  EXPECT_EQ(server.get("/lettings/").result(), status::ok);
  EXPECT_EQ(server.get("/readyz").result(), status::ok);
  AdminSession admin{server, "admin", "Abc1234!"};
  ASSERT_TRUE(admin.logged_in()) << server.stderr_text();
  EXPECT_EQ(add_address(admin, "Wal Again Street").result(), status::found);
  EXPECT_EQ(query_text(sqlite_url(database), "PRAGMA integrity_check"), "ok");
}

TEST_F(ReadOnlyDatabaseTest, TheKernelRefusesReadOnlyWhileTheServerHoldsTheFileForWriting) {
  // Documents why the read-only tests start read-only: Linux will not remount a file system read-only
  // while a process has a file on it open for writing (EBUSY), so a running server never sees its
  // open database turn read-only; it sees it at start or after reopening a connection.
  ServerProcess server{serving(database)};
  AdminSession admin{server, "admin", "Abc1234!"};
  ASSERT_TRUE(admin.logged_in());
  EXPECT_FALSE(view->set_read_only(true));
  EXPECT_EQ(add_address(admin, "Still Writable Street").result(), status::found);
}

}  // namespace
}  // namespace ocl::integration
