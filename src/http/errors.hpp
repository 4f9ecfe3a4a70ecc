#pragma once
/// @file
/// @brief Exceptions a view throws to answer with an error page (as Django's Http404).

#include <stdexcept>
#include <string>

#include "http/message.hpp"

namespace ocl::http {

/// @brief Ends the request with `status`; the error-page middleware renders the page.
class HttpError : public std::runtime_error {
 public:
  explicit HttpError(Status status, const std::string& detail = {}) : std::runtime_error(detail), status_(status) {}
  [[nodiscard]] Status status() const { return status_; }

 private:
  Status status_;
};

/// @brief 404: no such page or object.
class NotFound : public HttpError {
 public:
  explicit NotFound(const std::string& detail = {}) : HttpError(Status::not_found, detail) {}
};

/// @brief 405, carrying the methods the route accepts for the `Allow` header.
class MethodNotAllowed : public HttpError {
 public:
  explicit MethodNotAllowed(std::string allow) : HttpError(Status::method_not_allowed), allow_(std::move(allow)) {}
  [[nodiscard]] const std::string& allow() const { return allow_; }

 private:
  std::string allow_;
};

/// @brief 503: a dependency (the database) cannot serve now; `Retry-After` tells clients when to try again.
class ServiceUnavailable : public HttpError {
 public:
  explicit ServiceUnavailable(int retry_after_seconds, const std::string& detail = {})
      : HttpError(Status::service_unavailable, detail), retry_after_(retry_after_seconds) {}
  [[nodiscard]] int retry_after() const { return retry_after_; }

 private:
  int retry_after_;
};

}  // namespace ocl::http
