#pragma once
/// @file
/// @brief Runs the real `oc-lettings` binary for the integration tests: temporary folders, databases,
/// CLI runs, a server on a free loopback port and small HTTP clients to talk to it.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/types.h>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "test_database.hpp"

namespace ocl::integration {

using namespace std::chrono_literals;

/// @brief Environment variables given to a child process (nothing else is inherited).
using Environment = std::map<std::string, std::string>;
/// @brief Request headers in the order they are sent.
using HeaderList = std::vector<std::pair<std::string, std::string>>;
/// @brief A parsed HTTP response.
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

/// @brief The repository root (where `fixtures/`, `static/` and `tests/data/` live).
std::filesystem::path source_path(std::string_view relative = {});

/// @brief Reads a whole file as bytes; throws if it cannot be read.
std::string read_file(const std::filesystem::path& path);

/// @brief A fresh directory under the system temp directory, removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path file(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// @brief What a finished CLI run left behind.
struct CliResult {
  int exit_code = -1;  ///< 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

/// @brief `sqlite:////abs/path.sqlite3` for a database file.
std::string sqlite_url(const std::filesystem::path& database);

/// @brief The variables every run gets: a secret key, DEBUG off, loopback hosts allowed,
/// the database, the repository's static folder and INFO logging.
Environment base_environment(const std::filesystem::path& database);

/// @brief Runs `oc-lettings ARGS...` with exactly `environment`, in `work_dir`; kills it after `timeout`.
CliResult run_cli(const std::vector<std::string>& args, const Environment& environment,
                  const std::filesystem::path& work_dir, std::chrono::milliseconds timeout = 30s);

/// @brief Copies the Django site's database (tests/data, never opened in place) to `target`, writable.
void copy_django_database(const std::filesystem::path& target);

/// @brief Creates `target` with `migrate` then `loaddata FIXTURES...`; throws with the CLI's stderr on failure.
void load_fixture_database(const std::filesystem::path& target, const std::vector<std::filesystem::path>& fixtures);

/// @brief How to start a server.
struct ServerConfig {
  Seed seed = Seed::shared_copy;
  std::vector<std::string> extra_args;      ///< after `serve --port 0`
  Environment overrides;                    ///< set on top of base_environment()
  std::vector<std::string> removed;         ///< variables taken out of the environment
  std::chrono::milliseconds startup = 10s;  ///< how long to wait for the "listening on" line
};

/// @brief A socket for requests the HTTP client cannot send (malformed, partial or slow ones).
class RawConnection {
 public:
  /// @brief Connects to 127.0.0.1:port; a non-zero `receive_buffer` shrinks SO_RCVBUF before connecting.
  explicit RawConnection(std::uint16_t port, int receive_buffer = 0, std::chrono::milliseconds timeout = 10s);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  /// @brief Sends every byte; false if the peer closed first.
  bool send(std::string_view bytes);
  /// @brief Reads until at least `count` bytes arrived in total (or the peer closed, or the timeout).
  std::string read_at_least(std::size_t count);
  /// @brief Reads until the peer closes the connection (or the timeout).
  std::string read_until_closed();
  /// @brief True once the peer aborted the connection (RST) instead of closing it.
  [[nodiscard]] bool was_reset() const { return reset_; }

 private:
  bool receive_some();
  int socket_ = -1;
  bool reset_ = false;
  std::string received_;
  std::size_t handed_out_ = 0;
};

/// @brief One request on its own connection from `source` (a loopback address) to 127.0.0.1:port; Host is
/// 127.0.0.1:port unless `headers` has one.
HttpResponse http_request(std::uint16_t port, std::string_view method, const std::string& target,
                          const HeaderList& headers = {}, const std::string& body = {},
                          std::chrono::milliseconds timeout = 10s, const std::string& source = "127.0.0.1");

/// @brief Polls GET `target` on 127.0.0.1:port until it answers `status`; false after `limit`.
bool wait_for_status(std::uint16_t port, const std::string& target, unsigned status, std::chrono::seconds limit);

/// @brief A loopback port nothing listens on right now (for programs that cannot pick their own).
std::uint16_t unused_port();

/// @brief Another program (a load balancer, say) run for a test, killed on destruction.
class BackgroundProgram {
 public:
  /// @brief Starts `program ARGS...` in a folder of its own, with only PATH in its environment.
  BackgroundProgram(const std::filesystem::path& program, const std::vector<std::string>& args);
  ~BackgroundProgram();
  BackgroundProgram(const BackgroundProgram&) = delete;
  BackgroundProgram& operator=(const BackgroundProgram&) = delete;

  /// @brief A folder the program may use (it runs there).
  [[nodiscard]] const std::filesystem::path& directory() const { return directory_.path(); }
  /// @brief What it wrote to stdout and stderr so far.
  [[nodiscard]] std::string output() const;

 private:
  TempDir directory_;
  pid_t pid_;
};

/// @brief The real server as a child process on a free loopback port, killed and cleaned up on destruction.
class ServerProcess {
 public:
  explicit ServerProcess(ServerConfig config = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// @brief The SQLite file the server runs on (in the SQLite suite).
  [[nodiscard]] const std::filesystem::path& database() const { return database_.sqlite_file(); }
  /// @brief The server's DATABASE_URL: the SQLite file, or its own PostgreSQL database.
  [[nodiscard]] const std::string& database_url() const { return database_.url(); }
  [[nodiscard]] const std::filesystem::path& directory() const { return directory_.path(); }
  /// @brief The environment the server runs with (handy for CLI runs on the same database).
  [[nodiscard]] const Environment& environment() const { return environment_; }

  /// @brief One request on its own connection; Host is 127.0.0.1:port unless `headers` has one.
  HttpResponse request(std::string_view method, const std::string& target, const HeaderList& headers = {},
                       const std::string& body = {}, std::chrono::milliseconds timeout = 10s) const;
  HttpResponse get(const std::string& target, const HeaderList& headers = {}) const;
  HttpResponse head(const std::string& target, const HeaderList& headers = {}) const;
  /// @brief Sends raw bytes and returns everything the server answered until it closed the connection.
  std::string send_raw(std::string_view bytes) const;

  /// @brief Sends SIGTERM (or `signal`), waits up to `timeout`; returns the exit code, -1 if it had to be killed.
  int terminate(int signal = 15, std::chrono::milliseconds timeout = 10s);
  /// @brief Sends a signal without waiting.
  void send_signal(int signal) const;
  /// @brief Waits up to `timeout` for the process to end; its exit code, or nullopt if still running.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  [[nodiscard]] std::string stdout_text() const;
  [[nodiscard]] std::string stderr_text() const;
  /// @brief Polls stdout (or stderr) until it contains `needle`; false after `timeout`.
  bool wait_for_stdout(std::string_view needle, std::chrono::milliseconds timeout = 5s) const;
  bool wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout = 5s) const;

 private:
  void wait_until_listening(std::chrono::milliseconds timeout);
  void kill_if_running();

  TempDir directory_;
  TestDatabase database_;
  Environment environment_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::uint16_t port_ = 0;
};

/// @brief A response header as a std::string (empty when absent), for readable assertion messages.
inline std::string header(const HttpResponse& response, boost::beast::http::field name) {
  return std::string(response[name]);
}
inline std::string header(const HttpResponse& response, std::string_view name) {
  return std::string(response[boost::beast::string_view(name.data(), name.size())]);
}

}  // namespace ocl::integration
