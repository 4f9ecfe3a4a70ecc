#include "http/session.hpp"

#include <array>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/access_log.hpp"
#include "http/date.hpp"
#include "http/forwarded.hpp"
#include "http/responses.hpp"
#include "http/wire_format.hpp"

namespace ocl::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t first_read_size = 4096;

/// The status for a request the parser refused, or nullopt to just close (timeouts, resets).
std::optional<Status> status_for_read_error(const beast::error_code& error) {
  if (error == beast_http::error::header_limit) return Status::request_header_fields_too_large;
  if (error == beast_http::error::body_limit) return Status::payload_too_large;
  const auto& parse_errors = beast_http::make_error_code(beast_http::error::bad_target).category();
  if (error.category() == parse_errors && error != beast_http::error::end_of_stream &&
      error != beast_http::error::partial_message) {
    return Status::bad_request;
  }
  return std::nullopt;
}

Response refusal(Status status) {
  Request dummy{Method::get, "/", 11};
  auto response = text_response(dummy, status, std::string(beast_http::obsolete_reason(status)) + "\n");
  response.keep_alive(false);
  response.set(HeaderField::date, current_http_date());
  return response;
}

/// Reads one whole request into `parser`. Returns nullopt when it arrived; otherwise the
/// status to refuse it with, or Status::unknown to close without an answer.
asio::awaitable<std::optional<Status>> read_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                    beast_http::request_parser<beast_http::string_body>& parser,
                                                    const ServerOptions& options) {
  parser.header_limit(options.header_limit);
  parser.body_limit(options.body_limit);
  stream.expires_after(options.request_timeout);
  auto [header_error, header_bytes] = co_await beast_http::async_read_header(stream, buffer, parser, no_throw);
  // The parser fills in the target once the request line is complete: empty, it was the line that overflowed.
  if (header_error == beast_http::error::header_limit && parser.get().target().empty()) {
    co_return Status::uri_too_long;
  }
  if (header_error) {
    co_return status_for_read_error(header_error).value_or(Status::unknown);
  }
  if (parser.get().target().size() > options.target_limit) {
    co_return Status::uri_too_long;
  }
  if (static_cast<std::size_t>(std::distance(parser.get().begin(), parser.get().end())) > options.max_header_fields) {
    co_return Status::request_header_fields_too_large;
  }
  auto [body_error, body_bytes] = co_await beast_http::async_read(stream, buffer, parser, no_throw);
  if (body_error) {
    co_return status_for_read_error(body_error).value_or(Status::unknown);
  }
  co_return std::nullopt;
}

/// Runs `work` on `pool` and completes on the awaiting coroutine's own executor. Unlike co_spawn,
/// whose completion goes back through the pool's queue first, an answer is never held behind every
/// job queued after it (on the slow lane: each a password hash).
template <typename Work, typename CompletionToken>
auto run_on(asio::thread_pool& pool, Work work, CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(std::exception_ptr, Response)>(
      [&pool](auto handler, Work job) {
        // Tracked, so the I/O threads keep running until the answer is back, even during shutdown.
        auto home = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
        asio::post(pool, [handler = std::move(handler), job = std::move(job), home = std::move(home)]() mutable {
          std::exception_ptr error;
          Response response;
          try {
            response = job();
          } catch (...) {
            error = std::current_exception();
          }
          asio::post(home, [handler = std::move(handler), error, response = std::move(response)]() mutable {
            std::move(handler)(error, std::move(response));
          });
        });
      },
      token, std::move(work));
}

/// Runs the handler on `pool` and resumes this coroutine on its own executor.
asio::awaitable<Response> handle_on(asio::thread_pool& pool, Server::State& state, const Request& request,
                                    const std::string& client) {
  co_return co_await run_on(
      pool, [&state, &request, &client] { return state.handler.handle(request, client); }, asio::use_awaitable);
}

/// Runs the handler in the lane it asks for: here on the I/O thread, or on a pool.
asio::awaitable<Response> handle_in_lane(Server::State& state, const Request& request, const std::string& client) {
  switch (state.handler.lane(request)) {
    case Lane::io:
      co_return state.handler.handle(request, client);
    case Lane::worker:
      co_return co_await handle_on(state.workers, state, request, client);
    case Lane::slow:
      co_return co_await handle_on(state.slow_workers, state, request, client);
  }
  co_return co_await handle_on(state.workers, state, request, client);
}

/// Sends the answer in one gathered write: its head, formatted into `head` (reused from answer to
/// answer), and its body, a shared one from where it is kept, without a copy. Every answer of the
/// site is length-delimited (its Content-Length set), so head and body are all there is to send.
asio::awaitable<beast::error_code> write_answer(beast::tcp_stream& stream, const Answer& answer, std::string& head) {
  format_response_head(answer.response, head);
  const auto body = answer.body();
  const std::array buffers{asio::const_buffer(head.data(), head.size()), asio::const_buffer(body.data(), body.size())};
  auto [error, written] = co_await asio::async_write(stream, buffers, no_throw);
  co_return error;
}

std::optional<asio::ip::address> peer_address(const beast::tcp_stream& stream) {
  beast::error_code error;
  const auto endpoint = stream.socket().remote_endpoint(error);
  return error ? std::nullopt : std::optional(endpoint.address());
}

/// During shutdown: a request whose first bytes already wait in the kernel is still served.
asio::awaitable<bool> read_waiting_bytes(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
  beast::error_code error;
  if (stream.socket().available(error) == 0 || error) {
    co_return false;
  }
  auto [read_error, bytes] = co_await stream.async_read_some(buffer.prepare(first_read_size), no_throw);
  buffer.commit(bytes);
  co_return !read_error;
}

/// Waits until the next request starts arriving: the first within the request timeout, later
/// ones within the keep-alive timeout. Idle keep-alive connections are the only ones shutdown
/// closes at once: a request already arriving is read and answered.
asio::awaitable<bool> wait_for_request(beast::tcp_stream& stream, beast::flat_buffer& buffer, Server::State& state,
                                       std::uint64_t connection, bool first_request) {
  if (buffer.size() > 0) {
    co_return true;  // a pipelined request is already here
  }
  // Shutdown's wake-up runs on this connection's strand, possibly after the idle read has already
  // completed with the start of a request: it cancels only a read still waiting idle, never the
  // reading of that request's rest.
  auto idle_socket = std::make_shared<asio::ip::tcp::socket*>(&stream.socket());
  auto wake = [idle_socket, executor = stream.get_executor()] {
    asio::post(executor, [idle_socket] {
      if (*idle_socket != nullptr) {
        (*idle_socket)->cancel();
      }
    });
  };
  if (!state.enter_idle(connection, std::move(wake))) {
    co_return co_await read_waiting_bytes(stream, buffer);
  }
  stream.expires_after(first_request ? state.options.request_timeout : state.options.keep_alive_timeout);
  auto [error, bytes] = co_await stream.async_read_some(buffer.prepare(first_read_size), no_throw);
  *idle_socket = nullptr;
  buffer.commit(bytes);
  state.leave_idle(connection);
  if (error == asio::error::operation_aborted && bytes == 0) {
    co_return co_await read_waiting_bytes(stream, buffer);
  }
  co_return !error;
}

/// Closes gracefully: stop sending, then read and discard what the client still sends for a
/// moment, so unread pipelined requests do not make the kernel reset the connection and
/// destroy responses it has not delivered yet.
asio::awaitable<void> lingering_close(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  std::array<char, 4096> scratch{};
  stream.expires_after(std::chrono::seconds(2));
  while (true) {
    auto [error, bytes] = co_await stream.async_read_some(asio::buffer(scratch), no_throw);
    if (error) {
      break;
    }
  }
  stream.socket().close(ignored);
}

std::uint64_t next_connection_id() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

}  // namespace

bool Server::State::enter_idle(std::uint64_t connection, std::function<void()> wake) {
  const std::lock_guard lock{idle_mutex_};
  if (stopping) {
    return false;
  }
  idle_.emplace(connection, std::move(wake));
  return true;
}

void Server::State::leave_idle(std::uint64_t connection) {
  const std::lock_guard lock{idle_mutex_};
  idle_.erase(connection);
}

void Server::State::stop_and_wake_idle() {
  const std::lock_guard lock{idle_mutex_};
  stopping = true;
  for (auto& [connection, wake] : idle_) {
    wake();
  }
  idle_.clear();
}

asio::awaitable<void> run_session(beast::tcp_stream stream, Server::State& state) {
  const auto connection = next_connection_id();
  const auto peer = peer_address(stream);
  beast::flat_buffer buffer;
  std::string head;
  bool first_request = true;
  while (co_await wait_for_request(stream, buffer, state, connection, first_request)) {
    first_request = false;
    beast_http::request_parser<beast_http::string_body> parser;
    if (const auto refused = co_await read_request(stream, buffer, parser, state.options)) {
      if (*refused != Status::unknown) {
        auto response = refusal(*refused);
        co_await beast_http::async_write(stream, response, no_throw);
      }
      break;
    }
    const auto started = std::chrono::steady_clock::now();
    Request request = parser.release();
    const auto client = peer ? resolve_forwarding(request, *peer, state.options.forwarding).address : std::string{};
    Answer answer;
    if (auto at_once = state.handler.answer_at_once(request, client)) {
      answer = std::move(*at_once);
    } else {
      answer.response = co_await handle_in_lane(state, request, client);
    }
    answer.response.keep_alive(request.keep_alive() && !state.stopping);
    answer.response.set(HeaderField::date, current_http_date());
    stream.expires_after(state.options.request_timeout);
    const auto write_error = co_await write_answer(stream, answer, head);
    log_access(request, answer, client, std::chrono::steady_clock::now() - started);
    if (write_error || !answer.response.keep_alive()) {
      break;
    }
  }
  co_await lingering_close(stream);
  --state.open_connections;
}

asio::awaitable<void> refuse_connection(beast::tcp_stream stream) {
  auto response = refusal(Status::service_unavailable);
  response.set(HeaderField::retry_after, "1");
  stream.expires_after(std::chrono::seconds(2));
  co_await beast_http::async_write(stream, response, no_throw);
  co_await lingering_close(stream);
}

}  // namespace ocl::http
