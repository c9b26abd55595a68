#include "api/outcome_response.hpp"

#include "api/list_query.hpp"
#include "api/problem_response.hpp"
#include "domain/json_text.hpp"
#include "domain/problem.hpp"

namespace relance::api {
using Kind = services::WriteOutcome::Kind;

std::string etag_of(std::int64_t id, std::int64_t version) {
  return "\"" + std::to_string(id) + "-" + std::to_string(version) + "\"";
}

Response outcome_response(services::WriteOutcome outcome, const std::string& location_prefix) {
  switch (outcome.kind) {
    case Kind::conflict:
      return problem_response(Problem(Problem::Kind::changed, "Precondition failed", std::move(outcome.detail)));
    case Kind::not_found:
      if (outcome.detail.empty()) return problem_response(Problem::not_found());
      return problem_response(Problem(Problem::Kind::not_found, "Not found", std::move(outcome.detail), std::move(outcome.field)));
    case Kind::invalid: return problem_response(Problem::invalid(std::move(outcome.field), std::move(outcome.detail)));
    case Kind::deleted: return Response{204, {}, {}, {}, {}};
    case Kind::created:
    case Kind::updated: break;
  }
  const bool created = outcome.kind == Kind::created;
  Response r{created ? 201 : 200, "application/json", std::move(outcome.json), {}, {}};
  if (outcome.version > 0) r.headers.emplace_back("ETag", etag_of(outcome.id, outcome.version));
  if (created && !location_prefix.empty() && outcome.id > 0)
    r.headers.emplace_back("Location", location_prefix + "/" + std::to_string(outcome.id));
  return r;
}

services::OutcomeCallback answering(Reply reply, std::string location_prefix) {
  return [reply = std::move(reply), location_prefix = std::move(location_prefix)](
             std::exception_ptr err, services::WriteOutcome outcome) {
    if (err) return reply(error_response(err));
    reply(outcome_response(std::move(outcome), location_prefix));
  };
}

Response record_response(services::RecordRead read) {
  Response r{200, "application/json", std::move(read.json), {}, {}};
  r.headers.emplace_back("ETag", etag_of(read.id, read.version));
  return r;
}

Response page_response(services::Page page, const services::ListRequest* request) {
  std::string body = "{\"items\":";
  body.reserve(page.items.size() + 64);
  body += page.items;
  body += ",\"next_cursor\":";
  if (!page.next) body += "null";
  else domain::append_json_string(body, request ? next_cursor(*request, *page.next) : std::to_string(page.next->id));
  body += '}';
  return Response{200, "application/json", std::move(body), {}, {}};
}

}  // namespace relance::api
