#include "http/responses.hpp"

namespace ocl::http {
namespace {

Response body_response(const Request& request, Status status, std::string_view content_type, std::string body) {
  Response response{status, request.version()};
  response.set(HeaderField::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace

Response html_response(const Request& request, Status status, std::string body) {
  return body_response(request, status, "text/html; charset=utf-8", std::move(body));
}

Response text_response(const Request& request, Status status, std::string body) {
  return body_response(request, status, "text/plain; charset=utf-8", std::move(body));
}

Response redirect_response(const Request& request, std::string_view location, bool permanent) {
  Response response{permanent ? Status::moved_permanently : Status::found, request.version()};
  response.set(HeaderField::location, location);
  response.set(HeaderField::content_type, "text/html; charset=utf-8");
  response.prepare_payload();
  return response;
}

}  // namespace ocl::http
