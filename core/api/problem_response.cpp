#include "api/problem_response.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "relance/storage/store.hpp"

namespace relance::api {
namespace json = boost::json;

int http_status(Problem::Kind kind) {
  using K = Problem::Kind;
  switch (kind) {
    case K::malformed: return 400;
    case K::unauthenticated: return 401;
    case K::forbidden: return 403;
    case K::not_found: return 404;
    case K::method_not_allowed: return 405;
    case K::conflict: return 409;
    case K::expired: return 410;
    case K::changed: return 412;
    case K::too_large: return 413;
    case K::unsupported_type: return 415;
    case K::invalid:
    case K::key_reused: return 422;
    case K::too_many_attempts: return 429;
    case K::headers_too_large: return 431;
    case K::internal: return 500;
    case K::not_implemented: return 501;
    case K::unavailable: return 503;
    case K::storage_full: return 507;
  }
  return 500;
}

Response problem_response(const Problem& p) {
  const int status = http_status(p.kind());
  json::object o{{"type", "about:blank"},
                 {"title", p.title()},
                 {"status", status},
                 {"detail", p.detail()}};
  if (!p.field().empty()) o["field"] = p.field();
  Response r{status, "application/problem+json", json::serialize(o), {}, {}};
  if (p.retry_after() > 0) r.headers.emplace_back("Retry-After", std::to_string(p.retry_after()));
  return r;
}

Response error_response(std::exception_ptr error) {
  using storage::StorageError;
  try {
    std::rethrow_exception(error);
  } catch (const Problem& p) {
    return problem_response(p);
  } catch (const StorageError& e) {
    spdlog::error("storage: {}", e.what());
    switch (e.kind()) {
      case StorageError::Kind::full:
        return problem_response(Problem(Problem::Kind::storage_full, "Insufficient storage",
                                        "the database is full; nothing was written"));
      case StorageError::Kind::busy:
        return problem_response(
            Problem(Problem::Kind::unavailable, "Busy", "the database is busy; try again").with_retry_after(1));
      case StorageError::Kind::constraint:
        return problem_response(Problem::conflict("the change conflicts with existing data"));
      case StorageError::Kind::io:
      case StorageError::Kind::corrupt:
        return problem_response(Problem(Problem::Kind::unavailable, "Storage unavailable",
                                        "the database could not write; nothing was written")
                                    .with_retry_after(5));
      default: break;
    }
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
  } catch (...) {
    spdlog::error("internal error of unknown type");
  }
  return problem_response(Problem(Problem::Kind::internal, "Internal error", "an internal error occurred; it was logged"));
}

}  // namespace relance::api
