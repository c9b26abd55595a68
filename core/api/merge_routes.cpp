#include "api/merge_routes.hpp"

#include "domain/problem.hpp"
#include "domain/text.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;

namespace {

const std::string base = "/api/v1/contact-merges";

json::object typed(const char* type, const char* description) {
  return json::object{{"type", type}, {"description", description}};
}

// A merge's links: self, survivor, and undo (before the undo) or duplicate (after).
json::object links() {
  const json::object path{{"type", "string"}};
  json::object l = typed("object", "self, survivor, and undo (before the undo) or duplicate (after)");
  l["required"] = json::array{"self", "survivor"};
  l["properties"] = json::object{{"self", path}, {"survivor", path}, {"undo", path}, {"duplicate", path}};
  return l;
}

json::object contact(const char* description) {
  return json::object{{"$ref", "#/components/schemas/Contact"}, {"description", description}};
}

json::object moved_rows(const char* description) {
  return json::object{
      {"type", "array"},
      {"description", description},
      {"items", {{"type", "object"},
                 {"properties", {{"entity", {{"type", "string"}}},
                                 {"field", {{"type", "string"}}},
                                 {"ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}}}};
}

json::object merge_body_schema() {
  return json::object{
      {"type", "object"},
      {"required", json::array{"duplicate_id"}},
      {"additionalProperties", false},
      {"properties", {{"duplicate_id", {{"type", "integer"},
                                        {"minimum", 1},
                                        {"description", "The contact merged into this one, then deleted"}}}}}};
}

json::object merge_schema() {
  const json::object strings{{"type", "array"}, {"items", {{"type", "string"}}}};
  json::object undo{{"type", json::array{"object", "null"}},
                    {"description", "What the undo did; null until undone"},
                    {"properties", {{"restored_fields", strings},
                                    {"kept_fields", strings},
                                    {"moved_back", moved_rows("Rows pointed at the duplicate again")},
                                    {"left", moved_rows("Moved rows deleted or pointed elsewhere since")}}}};
  return json::object{
      {"type", "object"},
      {"properties",
       {{"id", typed("integer", "The merge's id")},
        {"org_id", typed("integer", "Its organisation")},
        {"survivor_id", typed("integer", "The contact that stays")},
        {"duplicate_id", typed("integer", "The contact merged into it")},
        {"merged_at", {{"type", "string"}, {"format", "date-time"}}},
        {"merged_by", typed("integer", "The user who merged")},
        {"fields", {{"type", "array"}, {"items", {{"type", "string"}}},
                    {"description", "The survivor's fields the merge filled in or extended"}}},
        {"moved", moved_rows("Rows pointed from the duplicate to the survivor")},
        {"survivor_before", contact("The survivor before the merge")},
        {"survivor_after", contact("The survivor as the merge left it")},
        {"duplicate", contact("The duplicate as it was")},
        {"undone_at", {{"type", json::array{"string", "null"}}, {"format", "date-time"}}},
        {"undone_by", {{"type", json::array{"integer", "null"}}}},
        {"undo_result", std::move(undo)},
        {"links", links()}}}};
}

RouteDoc merge_doc(std::string summary, Shape shape, bool has_body = false, std::vector<std::string> query = {},
                   bool conditional = false, bool idempotent = false) {
  RouteDoc d(std::move(summary), "contacts", shape, nullptr, has_body, std::move(query), conditional, idempotent);
  if (has_body) d.body_schema = merge_body_schema();
  d.result_schema = merge_schema();
  return d;
}

Response merge_response(std::string body) { return Response{200, "application/json", std::move(body), {}, {}}; }

const std::vector<std::string> list_parameters{"survivor_id", "duplicate_id", "limit", "cursor"};

// ?survivor_id=, ?duplicate_id=, ?limit=, ?cursor=.
services::MergeList parse_merge_list(const QueryParams& query) {
  services::MergeList r;
  for (const auto& [key, value] : query) {
    if (read_id_paging(r.paging, key, value)) continue;
    if (key != "survivor_id" && key != "duplicate_id")
      throw Problem::bad_request("unknown query parameter " + key, key);
    const auto id = domain::parse_int64(value);
    if (!id) throw Problem::bad_request(key + " must be an integer", key);
    (key == "survivor_id" ? r.survivor_id : r.duplicate_id) = *id;
  }
  return r;
}

}  // namespace

void add_merge_routes(Router& router, services::ContactMergeService& merges, const ApiLimits& limits) {
  router.add("POST", "/api/v1/contacts/{id}/merge", true,
             merge_doc("Merge a duplicate (body: duplicate_id) into this contact: the contact keeps its values "
                       "and takes those it lacks, emails, phones and tags are joined, the duplicate's leads, "
                       "activities and follow-ups move to it, the duplicate is deleted. 201 with the merge, "
                       "which can be undone",
                       Shape::created, true, {}, true, true),
             [&merges, limits](Call& c, Reply reply) {
               json::object body = parse_json_object(c.request, limits);
               merges.merge(c.principal,
                            services::MergeContacts{c.ids[0], std::move(body), expected_version(c.request, c.ids[0]),
                                                    idempotency_of(c.request)},
                            answering(std::move(reply), base));
             });
  router.add("GET", base, true,
             merge_doc("The organisation's contact merges, newest first", Shape::page, false,
                       list_parameters),
             [&merges](Call& c, Reply reply) {
               reply(page_response(merges.list(c.principal, parse_merge_list(c.request.query))));
             });
  router.add("GET", base + "/{id}", true, merge_doc("Read a contact merge", Shape::object),
             [&merges](Call& c, Reply reply) { reply(merge_response(merges.get(c.principal, c.ids[0]))); });
  router.add("POST", base + "/{id}/undo", true,
             merge_doc("Undo a merge: the duplicate comes back as it was, the rows the merge moved go back to "
                       "it, the survivor's fields the merge changed get their values back (a field changed "
                       "since keeps its new value); 409 once undone",
                       Shape::object),
             [&merges](Call& c, Reply reply) { merges.undo(c.principal, c.ids[0], answering(std::move(reply))); });
}

}  // namespace relance::api
