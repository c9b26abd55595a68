#include "api/share_request_routes.hpp"

#include "domain/list_vocabulary.hpp"
#include "domain/problem.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;

namespace {

const std::string base = "/api/v1/share-requests";
const storage::Entity& requests = storage::entities::share_requests;

json::object typed(const char* type, const char* description) {
  return json::object{{"type", type}, {"description", description}};
}

json::object answer_body_schema() {
  json::object reason = typed("string", "Why, in a few words (optional; the region reads it)");
  reason["maxLength"] = 2000;
  return json::object{
      {"type", "object"},
      {"required", json::array{"accept"}},
      {"additionalProperties", false},
      {"properties", {{"accept", typed("boolean", "true shares the lead with the region, false declines")},
                      {"reason", std::move(reason)}}}};
}

json::object sharing_schema() {
  json::object change = typed("object", "A share (shared true) or an unshare of the lead, from its audit log");
  change["required"] = json::array{"at", "shared", "user_id", "action"};
  change["properties"] = json::object{
      {"at", {{"type", "string"}, {"format", "date-time"}}},
      {"shared", typed("boolean", "The lead's shared_with_region after the change")},
      {"user_id", typed("integer", "Who changed it (the start-up's user who accepted, or who edited the lead)")},
      {"action", {{"type", "string"}, {"enum", json::array{"create", "update"}}}}};
  return json::object{
      {"type", "object"},
      {"required", json::array{"lead_id", "shared_with_region", "history", "requests"}},
      {"properties",
       {{"lead_id", typed("integer", "The lead")},
        {"shared_with_region", typed("boolean", "Whether the lead is shared now")},
        {"history", {{"type", "array"}, {"items", std::move(change)}, {"description", "Oldest first"}}},
        {"requests", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Share_request"}}},
                      {"description", "The region's requests to share the lead, oldest first"}}}}}};
}

// {"accept": true|false, "reason": "..."}.
services::AnswerShareRequest parse_answer(std::int64_t id, const json::object& body) {
  services::AnswerShareRequest answer{id, false, {}};
  for (const auto& kv : body)
    if (kv.key() != "accept" && kv.key() != "reason")
      throw Problem::bad_request("unknown field " + std::string(kv.key()), std::string(kv.key()));
  const json::value* accept = body.if_contains("accept");
  if (!accept || !accept->is_bool()) throw Problem::invalid("accept", "accept must be true or false");
  answer.accept = accept->as_bool();
  if (const json::value* reason = body.if_contains("reason"); reason && !reason->is_null()) {
    if (!reason->is_string()) throw Problem::invalid("reason", "reason must be a string");
    answer.reason = std::string(reason->as_string());
  }
  return answer;
}

}  // namespace

void add_share_request_routes(Router& router, services::ShareRequestService& share_requests,
                              const ApiLimits& limits) {
  const std::string tag = "share-requests";
  router.add("POST", base, true,
             {"Region staff ask a start-up to share a lead with the region (body: lead_id, as staff read it on "
              "the lead's redacted row, and message); 409 when the lead is shared already or a request for it "
              "is pending",
              tag, Shape::created, &requests, true, {}, false, true},
             [&share_requests, limits](Call& c, Reply reply) {
               json::object body = parse_json_object(c.request, limits);
               share_requests.ask(c.principal, services::AskToShare{std::move(body), idempotency_of(c.request)},
                                  answering(std::move(reply), base));
             });
  router.add("GET", base, true,
             {"Share requests: staff see every start-up's, a start-up's members their own (?state=pending...)",
              tag, Shape::page, &requests, false, domain::list_parameters(requests)},
             [&share_requests](Call& c, Reply reply) {
               const services::ListRequest request = parse_list_request(requests, c.request.query);
               reply(page_response(share_requests.list(c.principal, request), &request));
             });
  router.add("GET", base + "/{id}", true, {"Read one share request", tag, Shape::entity, &requests},
             [&share_requests](Call& c, Reply reply) {
               reply(record_response(share_requests.get(c.principal, c.ids[0])));
             });
  RouteDoc answer{"Accept (the lead becomes shared with the region) or decline a share request, with an optional "
                  "reason: the start-up's org-admin or the lead's owner; 409 once answered",
                  tag, Shape::entity, &requests, true};
  answer.body_schema = answer_body_schema();
  router.add("POST", base + "/{id}/answer", true, std::move(answer),
             [&share_requests, limits](Call& c, Reply reply) {
               const json::object body = parse_json_object(c.request, limits);
               share_requests.answer(c.principal, parse_answer(c.ids[0], body), answering(std::move(reply)));
             });
  RouteDoc sharing{"A lead's sharing history: every share and unshare with its date and who made it, and the "
                   "region's requests; for the lead's organisation and for region staff",
                   "leads", Shape::object};
  sharing.result_schema = sharing_schema();
  router.add("GET", "/api/v1/leads/{id}/sharing", true, std::move(sharing),
             [&share_requests](Call& c, Reply reply) {
               reply(Response{200, "application/json", share_requests.sharing(c.principal, c.ids[0]), {}, {}});
             });
}

}  // namespace relance::api
