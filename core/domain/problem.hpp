// Problem: the one error type of core. Thrown by validation, services and handlers; the
// API renders it as an RFC 9457 application/problem+json document, and the CLI prints
// its detail. `field` names the offending JSON field (a JSON pointer-like path such as
// "phones/1") when there is one.
#pragma once

#include <stdexcept>
#include <string>

namespace relance {

class Problem : public std::runtime_error {
 public:
  Problem(int status, std::string title, std::string detail, std::string field = {})
      : std::runtime_error(detail), status_(status), title_(std::move(title)),
        field_(std::move(field)) {}

  int status() const { return status_; }
  const std::string& title() const { return title_; }
  std::string detail() const { return what(); }
  const std::string& field() const { return field_; }
  // Seconds a client should wait before trying again (429, 503); 0 when not said.
  int retry_after() const { return retry_after_; }
  Problem& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }

  static Problem bad_request(std::string detail, std::string field = {}) {
    return Problem(400, "Bad request", std::move(detail), std::move(field));
  }
  static Problem invalid(std::string field, std::string detail) {
    return Problem(422, "Invalid field", std::move(detail), std::move(field));
  }
  static Problem not_found() {
    return Problem(404, "Not found", "no such resource");
  }
  static Problem forbidden(std::string detail) {
    return Problem(403, "Forbidden", std::move(detail));
  }
  static Problem unauthorized(std::string detail) {
    return Problem(401, "Unauthorized", std::move(detail));
  }
  static Problem conflict(std::string detail, std::string field = {}) {
    return Problem(409, "Conflict", std::move(detail), std::move(field));
  }

 private:
  int status_;
  std::string title_;
  std::string field_;
  int retry_after_ = 0;
};

}  // namespace relance
