#include "server_process.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace ocl::integration {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace fs = std::filesystem;

constexpr auto poll_interval = 10ms;

// ---------------------------------------------------------------------------------------------
// Child processes

/// argv/envp as C arrays, built before spawning so the child needs no allocation.
class CStrings {
 public:
  explicit CStrings(std::vector<std::string> items) : items_(std::move(items)) {
    for (auto& item : items_) {
      pointers_.push_back(item.data());
    }
    pointers_.push_back(nullptr);
  }
  char* const* data() { return pointers_.data(); }

 private:
  std::vector<std::string> items_;
  std::vector<char*> pointers_;
};

std::vector<std::string> environment_entries(const Environment& environment) {
  std::vector<std::string> entries;
  for (const auto& [name, value] : environment) {
    entries.push_back(name + "=" + value);
  }
  return entries;
}

/// Starts `program` with stdin from /dev/null and stdout/stderr into files.
pid_t spawn_program(const fs::path& program, const std::vector<std::string>& args, const Environment& environment,
                    const fs::path& work_dir, const fs::path& out, const fs::path& err) {
  std::vector<std::string> argv{program.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  CStrings c_argv{argv};
  CStrings c_envp{environment_entries(environment)};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, work_dir.c_str());
  pid_t pid = -1;
  const int error = posix_spawn(&pid, program.c_str(), &actions, nullptr, c_argv.data(), c_envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    throw std::runtime_error("cannot start " + program.string() + ": " + std::strerror(error));
  }
  return pid;
}

/// Starts the server binary.
pid_t spawn(const std::vector<std::string>& args, const Environment& environment, const fs::path& work_dir,
            const fs::path& out, const fs::path& err) {
  return spawn_program(OCL_SERVER_BINARY, args, environment, work_dir, out, err);
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

/// Polls waitpid until the child ends or `timeout` passes.
std::optional<int> wait_child(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const auto result = ::waitpid(pid, &status, WNOHANG);
    if (result == pid) {
      return exit_code_of(status);
    }
    if (result < 0 || std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(poll_interval);
  }
}

std::string read_if_exists(const fs::path& path) {
  std::ifstream file{path, std::ios::binary};
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

/// Fails the running test when a sanitizer build of the server reported an error on stderr (the report
/// ends the process, whose exit code the test may not look at, or comes at exit, e.g. a leak).
void expect_no_sanitizer_report(std::string_view run, const std::string& err) {
  static const std::regex report{R"((Address|Leak|Thread|UndefinedBehavior|Memory)Sanitizer:)"};
  EXPECT_FALSE(std::regex_search(err, report)) << run << " reported a sanitizer error:\n" << err;
}

std::string command_line(const std::vector<std::string>& args) {
  std::string line = "oc-lettings";
  for (const auto& arg : args) {
    line += " " + arg;
  }
  return line;
}

bool poll_file_for(const fs::path& path, std::string_view needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (read_if_exists(path).find(needle) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(poll_interval);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// HTTP client

struct Exchange {
  std::uint16_t port;
  beast::http::request<beast::http::string_body> request;
  bool head;
  std::chrono::milliseconds timeout;
  std::string source;
};

asio::awaitable<HttpResponse> exchange(Exchange exchange) {
  beast::tcp_stream stream{co_await asio::this_coro::executor};
  stream.expires_after(exchange.timeout);
  // Any 127.x.y.z is this machine: binding to one before connecting makes a distinct client address.
  stream.socket().open(asio::ip::tcp::v4());
  stream.socket().bind({asio::ip::make_address(exchange.source), 0});
  co_await stream.async_connect(asio::ip::tcp::endpoint{asio::ip::make_address("127.0.0.1"), exchange.port},
                                asio::use_awaitable);
  co_await beast::http::async_write(stream, exchange.request, asio::use_awaitable);
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(64U * 1024U * 1024U);
  parser.skip(exchange.head);
  co_await beast::http::async_read(stream, buffer, parser, asio::use_awaitable);
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return parser.release();
}

bool has_header(const HeaderList& headers, std::string_view name) {
  return std::ranges::any_of(headers, [name](const auto& header) { return beast::iequals(header.first, name); });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Files and folders

fs::path source_path(std::string_view relative) {
  return fs::path(OCL_SOURCE_DIR) / relative;
}

std::string read_file(const fs::path& path) {
  std::ifstream file{path, std::ios::binary};
  if (!file) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ =
      fs::temp_directory_path() / ("ocl-integration-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

// ---------------------------------------------------------------------------------------------
// CLI and databases

std::string sqlite_url(const fs::path& database) {
  return "sqlite:///" + fs::absolute(database).string();
}

Environment base_environment(const fs::path& database) {
  return {
      {"SECRET_KEY", "integration-test-secret-key"},   {"DEBUG", "false"},
      {"ALLOWED_HOSTS", "127.0.0.1,localhost"},        {"DATABASE_URL", sqlite_url(database)},
      {"STATIC_ROOT", source_path("static").string()}, {"LOG_LEVEL", "INFO"},
  };
}

CliResult run_cli(const std::vector<std::string>& args, const Environment& environment, const fs::path& work_dir,
                  std::chrono::milliseconds timeout) {
  const TempDir output;
  const auto out = output.file("stdout.txt");
  const auto err = output.file("stderr.txt");
  const auto pid = spawn(args, environment, work_dir, out, err);
  auto code = wait_child(pid, timeout);
  if (!code) {
    ::kill(pid, SIGKILL);
    code = wait_child(pid, 5s);
  }
  CliResult result{code.value_or(-1), read_if_exists(out), read_if_exists(err)};
  expect_no_sanitizer_report(command_line(args), result.err);
  return result;
}

void copy_django_database(const fs::path& target) {
  fs::copy_file(OCL_DJANGO_DATABASE, target, fs::copy_options::overwrite_existing);
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
}

void load_fixture_database(const fs::path& target, const std::vector<fs::path>& fixtures) {
  const auto environment = base_environment(target);
  std::vector<std::string> load{"loaddata"};
  for (const auto& fixture : fixtures) {
    load.push_back(fixture.string());
  }
  for (const auto& args : {std::vector<std::string>{"migrate"}, load}) {
    const auto result = run_cli(args, environment, target.parent_path());
    if (result.exit_code != 0) {
      throw std::runtime_error("oc-lettings " + args.front() + " failed: " + result.err);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Raw sockets

RawConnection::RawConnection(std::uint16_t port, int receive_buffer, std::chrono::milliseconds timeout)
    : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
  if (socket_ < 0) {
    throw std::runtime_error("socket() failed");
  }
  if (receive_buffer > 0) {
    ::setsockopt(socket_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timeval limit{seconds.count(), static_cast<suseconds_t>((timeout - seconds).count() * 1000)};
  ::setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(socket_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {  // NOLINT: C API
    ::close(socket_);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
}

RawConnection::~RawConnection() {
  ::close(socket_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto sent = ::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

bool RawConnection::receive_some() {
  std::array<char, 16384> chunk{};
  const auto received = ::recv(socket_, chunk.data(), chunk.size(), 0);
  if (received < 0 && errno == ECONNRESET) {
    reset_ = true;
  }
  if (received <= 0) {
    return false;
  }
  received_.append(chunk.data(), static_cast<std::size_t>(received));
  return true;
}

std::string RawConnection::read_at_least(std::size_t count) {
  while (received_.size() - handed_out_ < count && receive_some()) {
  }
  auto fresh = received_.substr(handed_out_);
  handed_out_ = received_.size();
  return fresh;
}

std::string RawConnection::read_until_closed() {
  while (receive_some()) {
  }
  auto fresh = received_.substr(handed_out_);
  handed_out_ = received_.size();
  return fresh;
}

// ---------------------------------------------------------------------------------------------
// Other programs

std::uint16_t unused_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::address_v4::loopback(), 0});
  return acceptor.local_endpoint().port();
}

BackgroundProgram::BackgroundProgram(const fs::path& program, const std::vector<std::string>& args)
    : pid_(spawn_program(program, args, {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}}, directory_.path(),
                         directory_.file("stdout.txt"), directory_.file("stderr.txt"))) {}

BackgroundProgram::~BackgroundProgram() {
  ::kill(pid_, SIGKILL);
  wait_child(pid_, 5s);
}

std::string BackgroundProgram::output() const {
  return read_if_exists(directory_.file("stdout.txt")) + read_if_exists(directory_.file("stderr.txt"));
}

// ---------------------------------------------------------------------------------------------
// The server

ServerProcess::ServerProcess(ServerConfig config)
    : database_(directory_.file("db.sqlite3"), config.seed), environment_(base_environment(database_.sqlite_file())) {
  environment_["DATABASE_URL"] = database_.url();
  for (const auto& [name, value] : config.overrides) {
    environment_[name] = value;
  }
  for (const auto& name : config.removed) {
    environment_.erase(name);
  }
  std::vector<std::string> args{"serve", "--port", "0"};
  args.insert(args.end(), config.extra_args.begin(), config.extra_args.end());
  pid_ = spawn(args, environment_, directory(), directory_.file("stdout.txt"), directory_.file("stderr.txt"));
  try {
    wait_until_listening(config.startup);
  } catch (...) {
    kill_if_running();
    expect_no_sanitizer_report(command_line(args), stderr_text());
    throw;
  }
}

ServerProcess::~ServerProcess() {
  // A graceful stop, so that what runs at exit (the sanitizers' leak check among others) runs too.
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGTERM);
    exit_code_ = wait_child(pid_, 10s);
  }
  kill_if_running();
  expect_no_sanitizer_report("the server", stderr_text());
}

void ServerProcess::wait_until_listening(std::chrono::milliseconds timeout) {
  static const std::regex listening{R"(listening on http://[^\s:]+:(\d+))"};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto log = stderr_text();
    if (std::smatch match; std::regex_search(log, match, listening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
      return;
    }
    if (const auto code = wait_for_exit(0ms)) {
      throw std::runtime_error("the server exited with " + std::to_string(*code) + " before listening: " + log);
    }
    std::this_thread::sleep_for(poll_interval);
  }
  throw std::runtime_error("the server did not report its port in time: " + stderr_text());
}

void ServerProcess::kill_if_running() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    exit_code_ = wait_child(pid_, 5s);
  }
}

HttpResponse ServerProcess::request(std::string_view method, const std::string& target, const HeaderList& headers,
                                    const std::string& body, std::chrono::milliseconds timeout) const {
  return http_request(port_, method, target, headers, body, timeout);
}

HttpResponse http_request(std::uint16_t port, std::string_view method, const std::string& target,
                          const HeaderList& headers, const std::string& body, std::chrono::milliseconds timeout,
                          const std::string& source) {
  beast::http::request<beast::http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  if (!has_header(headers, "Host")) {
    request.set(beast::http::field::host, "127.0.0.1:" + std::to_string(port));
  }
  for (const auto& [name, value] : headers) {
    request.insert(name, value);
  }
  if (!body.empty()) {
    request.body() = body;
    request.prepare_payload();
  }
  asio::io_context io;
  auto answer =
      asio::co_spawn(io, exchange({port, std::move(request), method == "HEAD", timeout, source}), asio::use_future);
  io.run();
  return answer.get();
}

bool wait_for_status(std::uint16_t port, const std::string& target, unsigned status, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (http_request(port, "GET", target, {}, {}, 1s).result_int() == status) {
        return true;
      }
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

HttpResponse ServerProcess::get(const std::string& target, const HeaderList& headers) const {
  return request("GET", target, headers);
}

HttpResponse ServerProcess::head(const std::string& target, const HeaderList& headers) const {
  return request("HEAD", target, headers);
}

std::string ServerProcess::send_raw(std::string_view bytes) const {
  RawConnection connection{port_};
  connection.send(bytes);
  return connection.read_until_closed();
}

void ServerProcess::send_signal(int signal) const {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, signal);
  }
}

std::optional<int> ServerProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  if (!exit_code_) {
    exit_code_ = wait_child(pid_, timeout);
  }
  return exit_code_;
}

int ServerProcess::terminate(int signal, std::chrono::milliseconds timeout) {
  send_signal(signal);
  if (const auto code = wait_for_exit(timeout)) {
    return *code;
  }
  kill_if_running();
  return -1;
}

std::string ServerProcess::stdout_text() const {
  return read_if_exists(directory_.file("stdout.txt"));
}

std::string ServerProcess::stderr_text() const {
  return read_if_exists(directory_.file("stderr.txt"));
}

bool ServerProcess::wait_for_stdout(std::string_view needle, std::chrono::milliseconds timeout) const {
  return poll_file_for(directory_.file("stdout.txt"), needle, timeout);
}

bool ServerProcess::wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout) const {
  return poll_file_for(directory_.file("stderr.txt"), needle, timeout);
}

}  // namespace ocl::integration
