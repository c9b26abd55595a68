#include "api/problem_response.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "relance/storage/store.hpp"

namespace relance::api {
namespace json = boost::json;

Response problem_response(const Problem& p) {
  json::object o{{"type", "about:blank"},
                 {"title", p.title()},
                 {"status", p.status()},
                 {"detail", p.detail()}};
  if (!p.field().empty()) o["field"] = p.field();
  Response r{p.status(), "application/problem+json", json::serialize(o), {}, {}};
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
        return problem_response(Problem(507, "Insufficient storage",
                                        "the database is full; nothing was written"));
      case StorageError::Kind::busy:
        return problem_response(
            Problem(503, "Busy", "the database is busy; try again").with_retry_after(1));
      case StorageError::Kind::constraint:
        return problem_response(Problem::conflict("the change conflicts with existing data"));
      case StorageError::Kind::io:
      case StorageError::Kind::corrupt:
        return problem_response(Problem(503, "Storage unavailable",
                                        "the database could not write; nothing was written")
                                    .with_retry_after(5));
      default: break;
    }
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
  } catch (...) {
    spdlog::error("internal error of unknown type");
  }
  return problem_response(Problem(500, "Internal error", "an internal error occurred; it was logged"));
}

}  // namespace relance::api
