// Raw bytes from a client, as the server reads them: Beast's request parser with the server's limits,
// then the whole site (middleware, router, views, templates) through Application::handle.

#include <cstddef>
#include <cstdint>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>

#include "fuzz/site.hpp"
#include "http/server.hpp"

namespace beast_http = boost::beast::http;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  ocl::fuzz::site();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ocl::http::ServerOptions limits;
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(limits.header_limit);
  parser.body_limit(limits.body_limit);
  parser.eager(true);
  boost::asio::const_buffer rest(data, size);
  boost::beast::error_code error;
  while (rest.size() > 0 && !parser.is_done()) {
    const auto used = parser.put(rest, error);
    if (error == beast_http::error::need_more) {
      error = {};
      break;
    }
    if (error || used == 0) {
      break;
    }
    rest += used;
  }
  if (!error && !parser.is_done() && parser.got_some()) {
    // The client closed the connection: a body delimited by the end of the stream ends here.
    parser.put_eof(error);
  }
  if (error || !parser.is_done()) {
    return 0;  // the server answers parse errors itself (400/413/414/431) without reaching the application
  }
  if (parser.get().target().size() > limits.target_limit) {
    return 0;  // 414, as the server answers
  }
  const ocl::http::Request request = parser.release();
  auto& site = ocl::fuzz::site();
  if (site.application().lane(request) == ocl::http::Lane::slow) {
    // Sign-in, password changes and adding users run PBKDF2 with Django's full iteration count
    // (tenths of a second each), which would stall the campaign: those requests are left out.
    return 0;
  }
  const auto response = site.handle(request);
  ocl::fuzz::check_response(request, response);
  return 0;
}
