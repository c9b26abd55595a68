// Problem: the one error type of core. Thrown by validation, services and handlers; it says
// what went wrong in the use case's terms (its Kind), never as an HTTP status: the API maps
// each kind to its status and renders the problem as an RFC 9457 application/problem+json
// document (api/problem_response.cpp), and the CLI prints its detail. `field` names the
// offending JSON field (a JSON pointer-like path such as "phones/1") when there is one.
#pragma once

#include <stdexcept>
#include <string>

namespace relance {

class Problem : public std::runtime_error {
 public:
  enum class Kind {
    malformed,          // the request cannot be read as asked (a bad option, a bad query)
    unauthenticated,    // no valid credentials
    forbidden,          // the caller may not do this
    not_found,          // no such thing (or one the caller may not know of)
    method_not_allowed, // the resource does not answer this method
    conflict,           // the change conflicts with the data as it is
    expired,            // it existed and no longer applies (an expired link)
    changed,            // the version the caller read is no longer the current one
    too_large,          // a body or file over its limit
    headers_too_large,  // request header fields over their limit
    unsupported_type,   // a media type this resource does not take
    invalid,            // well-formed but refused by the rules: a field, a file's content
    key_reused,         // an idempotency key sent again with another request
    too_many_attempts,  // slow down (see retry_after)
    internal,           // our fault; logged
    not_implemented,    // a feature of the protocol we do not implement
    unavailable,        // cannot serve now; try again (see retry_after)
    storage_full,       // nothing can be written until space is freed
  };

  Problem(Kind kind, std::string title, std::string detail, std::string field = {})
      : std::runtime_error(detail), kind_(kind), title_(std::move(title)), field_(std::move(field)) {}

  Kind kind() const { return kind_; }
  const std::string& title() const { return title_; }
  std::string detail() const { return what(); }
  const std::string& field() const { return field_; }
  // Seconds a client should wait before trying again (too_many_attempts, unavailable); 0
  // when not said.
  int retry_after() const { return retry_after_; }
  Problem& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }

  static Problem bad_request(std::string detail, std::string field = {}) {
    return Problem(Kind::malformed, "Bad request", std::move(detail), std::move(field));
  }
  static Problem invalid(std::string field, std::string detail) {
    return Problem(Kind::invalid, "Invalid field", std::move(detail), std::move(field));
  }
  static Problem not_found() { return Problem(Kind::not_found, "Not found", "no such resource"); }
  static Problem forbidden(std::string detail) { return Problem(Kind::forbidden, "Forbidden", std::move(detail)); }
  static Problem unauthorized(std::string detail) {
    return Problem(Kind::unauthenticated, "Unauthorized", std::move(detail));
  }
  static Problem conflict(std::string detail, std::string field = {}) {
    return Problem(Kind::conflict, "Conflict", std::move(detail), std::move(field));
  }

 private:
  Kind kind_;
  std::string title_;
  std::string field_;
  int retry_after_ = 0;
};

}  // namespace relance
