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

/// @brief An error that passes: `Retry-After` tells clients when to try again.
class RetryLater : public HttpError {
 public:
  RetryLater(Status status, int retry_after_seconds, const std::string& detail)
      : HttpError(status, detail), retry_after_(retry_after_seconds) {}
  [[nodiscard]] int retry_after() const { return retry_after_; }

 private:
  int retry_after_;
};

/// @brief 503: a dependency (the database) cannot serve now.
class ServiceUnavailable : public RetryLater {
 public:
  explicit ServiceUnavailable(int retry_after_seconds, const std::string& detail = {})
      : RetryLater(Status::service_unavailable, retry_after_seconds, detail) {}
};

/// @brief 429: this client asked too often.
class TooManyRequests : public RetryLater {
 public:
  explicit TooManyRequests(int retry_after_seconds, const std::string& detail = {})
      : RetryLater(Status::too_many_requests, retry_after_seconds, detail) {}
};

}  // namespace ocl::http
