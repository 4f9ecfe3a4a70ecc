#include "http/session.hpp"

#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/access_log.hpp"
#include "http/responses.hpp"

namespace ocl::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

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
  return response;
}

/// Runs the handler on the worker pool and resumes this coroutine on its own executor.
asio::awaitable<Response> handle_on_workers(Server::State& state, const Request& request, const std::string& client) {
  co_return co_await asio::co_spawn(
      state.workers,
      [&state, &request, &client]() -> asio::awaitable<Response> { co_return state.handler.handle(request, client); },
      asio::use_awaitable);
}

std::string client_address(const beast::tcp_stream& stream) {
  beast::error_code error;
  const auto endpoint = stream.socket().remote_endpoint(error);
  return error ? std::string{} : endpoint.address().to_string();
}

}  // namespace

asio::awaitable<void> run_session(beast::tcp_stream stream, Server::State& state) {
  const auto client = client_address(stream);
  beast::flat_buffer buffer;
  while (!state.stopping) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(state.options.header_limit);
    parser.body_limit(state.options.body_limit);
    stream.expires_after(state.options.request_timeout);
    auto [read_error, read_bytes] = co_await beast_http::async_read(stream, buffer, parser, no_throw);
    if (read_error) {
      if (const auto status = status_for_read_error(read_error)) {
        auto response = refusal(*status);
        co_await beast_http::async_write(stream, response, no_throw);
      }
      break;
    }
    ++state.in_flight;
    const auto started = std::chrono::steady_clock::now();
    const Request request = parser.release();
    // Kept as if/else: g++ 12 mishandles temporaries of a co_await inside a conditional expression.
    Response response;
    if (state.handler.is_quick(request)) {
      response = state.handler.handle(request, client);
    } else {
      response = co_await handle_on_workers(state, request, client);
    }
    response.keep_alive(request.keep_alive() && !state.stopping);
    stream.expires_after(state.options.request_timeout);
    auto [write_error, written] = co_await beast_http::async_write(stream, response, no_throw);
    log_access(request, response, client, std::chrono::steady_clock::now() - started);
    --state.in_flight;
    if (write_error || !response.keep_alive()) {
      break;
    }
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace ocl::http
