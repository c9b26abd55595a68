#include "api/openapi.hpp"

#include <algorithm>

#include "domain/list_vocabulary.hpp"
#include "relance/model/schema.hpp"
#include "services/record_service.hpp"

namespace relance::api {
namespace json = boost::json;
using storage::FieldKind;
using Shape = RouteDoc::Shape;

namespace {

// An example of a value of the kind, where a type alone does not say what is accepted.
json::value example_of(const storage::Field& f) {
  // The euro has no rate to the euro: an exchange rate's example is of another currency.
  if (&f == storage::entities::exchange_rates.field("currency")) return "USD";
  switch (f.kind) {
    case FieldKind::email_list: return json::array{"ana@example.com"};
    case FieldKind::phone_list: return json::array{"+33612345678"};
    case FieldKind::tag_list: return json::array{"sv-june"};
    case FieldKind::text_list: return json::array{"new", "won"};
    case FieldKind::currency: return "EUR";
    case FieldKind::money: return "1234.50";
    case FieldKind::rate: return "0.9234";
    case FieldKind::url: return "https://example.com/";
    case FieldKind::country: return "FR";
    case FieldKind::time_zone: return "Europe/Paris";
    case FieldKind::stage: return "new";
    default: return nullptr;
  }
}

// A field's schema. `in_request`: as a client sends it (no readOnly: a request schema
// holds only what the client may send); else as the server answers it.
json::object field_schema(const storage::Field& f, bool in_request) {
  json::object s;
  auto nullable = [&](const char* type) {
    s["type"] = f.has(storage::required) ? json::value(type) : json::value(json::array{type, "null"});
  };
  switch (f.kind) {
    case FieldKind::integer:
    case FieldKind::reference: nullable("integer"); break;
    case FieldKind::boolean: nullable("boolean"); break;
    case FieldKind::timestamp: nullable("string"); s["format"] = "date-time"; break;
    case FieldKind::date: nullable("string"); s["format"] = "date"; break;
    case FieldKind::email_list:
    case FieldKind::phone_list:
    case FieldKind::tag_list:
    case FieldKind::text_list:
      nullable("array");
      s["items"] = json::object{{"type", "string"}};
      break;
    case FieldKind::money:
    case FieldKind::rate:
      nullable("string");
      s["pattern"] = "^[0-9]+(\\.[0-9]+)?$";
      break;
    case FieldKind::url: nullable("string"); s["format"] = "uri"; break;
    case FieldKind::choice: {
      nullable("string");
      json::array e;
      for (auto c : f.choices) e.emplace_back(c);
      // An optional choice is answered and taken as null when unset: a type of
      // ["string", "null"] alone would not let null through the enum.
      if (!f.has(storage::required)) e.emplace_back(nullptr);
      s["enum"] = std::move(e);
      break;
    }
    default: nullable("string"); break;
  }
  if (f.max_length && f.kind == FieldKind::text) s["maxLength"] = f.max_length;
  if (&f == storage::entities::cadence_rules.field("days")) {  // the bounds the service enforces
    s["minimum"] = services::cadence_days_min;
    s["maximum"] = services::cadence_days_max;
  }
  if (!f.description.empty()) s["description"] = f.description;
  if (json::value example = example_of(f); !example.is_null()) s["examples"] = json::array{std::move(example)};
  if (f.has(storage::read_only) && !in_request) s["readOnly"] = true;
  if (f.has(storage::personal)) s["x-personal-data"] = true;
  return s;
}

// The entity as the server answers it: every field, the server's columns read-only.
json::object entity_schema(const storage::Entity& e) {
  json::object props;
  props["id"] = json::object{{"type", "integer"}, {"readOnly", true}};
  if (e.org_owned) props["org_id"] = json::object{{"type", "integer"}, {"readOnly", true}};
  // Region staff read the rows of many start-ups: which one, by name, beside its id.
  if (e.org_owned && &e != &storage::entities::users && &e != &storage::entities::api_tokens)
    props["org_name"] = json::object{
        {"type", "string"},
        {"readOnly", true},
        {"description", "For region staff (reads, lists, follow-up views and the answers of their writes): the name of the organisation (the start-up)"}};
  for (const auto& f : e.fields)
    if (f.kind != FieldKind::secret) props[f.name] = field_schema(f, false);
  for (const char* t : {"created_at", "updated_at"})
    props[t] = json::object{{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
  for (const char* t : {"version", "created_by", "updated_by"})
    props[t] = json::object{{"type", "integer"}, {"readOnly", true}};
  props["redacted"] = json::object{
      {"type", "boolean"},
      {"readOnly", true},
      {"description", "Present and true when personal fields are hidden from region staff"}};
  // The server sends every member, null when unset, but for personal fields it hides from
  // region staff (then "redacted" is true).
  json::array required;
  for (const auto& kv : props)
    if (kv.key() != "redacted" && kv.key() != "org_name" &&
        !(e.field(kv.key()) && e.field(kv.key())->has(storage::personal)))
      required.emplace_back(kv.key());
  return json::object{{"type", "object"}, {"properties", std::move(props)}, {"required", std::move(required)}};
}

// The body of a create or a change: the fields a client may send (no read-only field, no
// write-once one on a change), with the route's own additions; on create, the required
// ones are required. A body with anything else is refused (400), so nothing else is listed:
// a request schema derived from the answer's would list what the server refuses and miss
// what it takes.
json::object request_schema(const storage::Entity& e, bool create, const json::object& extra) {
  json::object props;
  json::array required;
  for (const auto& f : e.fields) {
    if (f.kind == FieldKind::secret || f.has(storage::read_only)) continue;
    if (!create && f.has(storage::write_once)) continue;
    json::object field = field_schema(f, true);
    // Stage changes are logged by the server alone (RecordService refuses the kind).
    if (&f == storage::entities::activities.field("kind")) {
      json::array& kinds = field["enum"].as_array();
      kinds.erase(std::remove(kinds.begin(), kinds.end(), json::value("stage-change")), kinds.end());
    }
    props[f.name] = std::move(field);
    if (create && f.has(storage::required)) required.emplace_back(f.name);
  }
  for (const auto& kv : extra) props[kv.key()] = kv.value();
  json::object s{{"type", "object"}, {"properties", std::move(props)}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = std::move(required);
  return s;
}

json::object schema_ref(std::string_view name) {
  return json::object{{"$ref", "#/components/schemas/" + std::string(name)}};
}

json::object json_content(json::object schema, const char* type = "application/json") {
  return json::object{{type, json::object{{"schema", std::move(schema)}}}};
}


}  // namespace

namespace {

// ?limit= and ?cursor=, as every paged list reads them, and an ?<x>_id=, a record's id; any
// other name: a string.
json::object paging_parameter_schema(const std::string& name) {
  if (name.ends_with("_id")) return json::object{{"type", "integer"}, {"minimum", 1}};
  if (name == "limit")
    return json::object{{"type", "integer"}, {"minimum", 1}, {"maximum", domain::max_page_size},
                        {"default", domain::default_page_size}};
  if (name == "cursor")
    return json::object{{"type", "string"}, {"description", "The next_cursor of the page before"}};
  return json::object{{"type", "string"}};
}

}  // namespace

json::object list_parameter_schema(const storage::Entity& e, const std::string& name) {
  if (name == "limit" || name == "cursor") return paging_parameter_schema(name);
  if (name == "sort") {
    json::array names;
    for (std::string_view s : domain::list_sorts(e)) {
      names.emplace_back(s);
      names.emplace_back("-" + std::string(s));
    }
    return json::object{{"type", "string"}, {"enum", std::move(names)}, {"description", "A leading - sorts descending"}};
  }
  if (name == "q") return json::object{{"type", "string"}, {"maxLength", 200}, {"description", "Full-text search"}};
  if (name == "org_id")
    return json::object{{"type", "integer"}, {"description", "One organisation's rows (for region staff: one start-up's)"}};
  if (const storage::Field* f = domain::list_parameter_field(e, name)) {
    json::object s = field_schema(*f, true);
    // A filter is one value, never null: the field's own type without the null.
    if (json::array* types = s["type"].if_array()) s["type"] = types->front();
    if (json::array* choices = s.contains("enum") ? s["enum"].if_array() : nullptr)
      choices->erase(std::remove(choices->begin(), choices->end(), json::value(nullptr)), choices->end());
    s.erase("examples");
    s.erase("maxLength");
    if (s["type"] == "array") s = json::object{{"type", "string"}};  // a list field is filtered by one of its values
    return s;
  }
  if (auto kind = domain::range_kind(e, name))
    return json::object{{"type", "string"}, {"format", *kind == FieldKind::date ? "date" : "date-time"}};
  return paging_parameter_schema(name);
}

json::object doc_header(std::string_view description) {
  return json::object{{"description", description}, {"schema", {{"type", "string"}}}};
}

json::object doc_response(std::string_view description, json::object content, json::object headers) {
  json::object r{{"description", description}};
  if (!content.empty()) r["content"] = std::move(content);
  if (!headers.empty()) r["headers"] = std::move(headers);
  return r;
}

json::object doc_content(std::initializer_list<std::string_view> media_types, json::object schema) {
  json::object c;
  for (std::string_view m : media_types) c[m] = json::object{{"schema", schema}};
  return c;
}

json::object doc_text() { return json::object{{"type", "string"}}; }
json::object doc_binary() { return json::object{{"type", "string"}, {"contentMediaType", "application/octet-stream"}}; }

json::object doc_plugin_option() {
  const json::object text{{"type", "string"}};
  return json::object{{"type", "object"},
                      {"required", json::array{"name", "description", "default", "choices"}},
                      {"properties", {{"name", text},
                                      {"description", text},
                                      {"default", {{"type", json::array{"string", "null"}}}},
                                      {"choices", {{"type", json::array{"array", "null"}},
                                                   {"items", text},
                                                   {"description", "Empty or null: any value"}}}}}};
}

json::object doc_problem(std::string_view description) {
  return doc_response(description, doc_content({"application/problem+json"}, schema_ref("Problem")),
                      {{"Retry-After", doc_header("Seconds to wait before trying again (429, 503)")}});
}

json::object openapi_document(const Router& router) {
  json::object paths;
  json::object schemas;
  schemas["Problem"] = json::object{
      {"type", "object"},
      {"description", "RFC 9457 problem details"},
      {"required", json::array{"type", "title", "status", "detail"}},
      {"properties", json::object{{"type", {{"type", "string"}}},
                                  {"title", {{"type", "string"}}},
                                  {"status", {{"type", "integer"}}},
                                  {"detail", {{"type", "string"}}},
                                  {"field", {{"type", "string"}}}}}};
  for (const Route& r : router.routes()) {
    const RouteDoc& d = r.doc;
    json::object op;
    op["summary"] = d.summary;
    op["tags"] = json::array{d.tag};
    op["operationId"] = r.method + " " + r.pattern;
    json::array params;
    for (const std::string& seg : r.segments) {
      if (seg.size() < 3 || seg.front() != '{' || seg.back() != '}') continue;
      const std::string name = seg.substr(1, seg.size() - 2);
      const bool id = name.ends_with("id");
      params.push_back(json::object{{"name", name}, {"in", "path"}, {"required", true},
                                    {"schema", id ? json::object{{"type", "integer"}, {"minimum", 1}}
                                                  : json::object{{"type", "string"}}}});
    }
    for (const auto& q : d.query) {
      json::object schema = d.query_schemas.contains(q) ? d.query_schemas.at(q).as_object()
                            : d.entity                  ? list_parameter_schema(*d.entity, q)
                                                        : paging_parameter_schema(q);
      params.push_back(json::object{{"name", q}, {"in", "query"}, {"schema", std::move(schema)}});
    }
    if (d.conditional)
      params.push_back(json::object{{"name", "If-Match"}, {"in", "header"},
                                    {"description", "ETag from a read; 412 if the record changed"},
                                    {"schema", {{"type", "string"}}}});
    if (d.idempotent_create)
      params.push_back(json::object{{"name", "Idempotency-Key"}, {"in", "header"},
                                    {"description", "A retried create with the same key returns the first result"},
                                    {"schema", {{"type", "string"}, {"maxLength", 200}}}});
    // What a write does not honour is refused (api/router.cpp), and said here.
    if (r.method != "GET") {
      std::string unhonoured;
      if (!d.idempotent_create) unhonoured = "Idempotency-Key";
      if (!d.conditional) unhonoured += std::string(unhonoured.empty() ? "" : " and ") + "If-Match";
      if (!unhonoured.empty())
        op["description"] = "Does not honour " + unhonoured + ": a request with " +
                            (d.idempotent_create || d.conditional ? "it" : "either") + " is refused with 400.";
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    std::string schema_name;
    if (d.entity) {
      schema_name = std::string(d.entity->singular);
      schema_name[0] = static_cast<char>(std::toupper(schema_name[0]));
      if (!schemas.contains(schema_name)) schemas[schema_name] = entity_schema(*d.entity);
    }
    json::object item_schema = d.entity                   ? schema_ref(schema_name)
                               : !d.result_schema.empty() ? d.result_schema
                                                          : json::object({{"type", "object"}});
    json::object body_schema = d.body_schema;
    if (d.has_body && body_schema.empty() && d.entity) {
      const bool create = r.method == "POST";
      const std::string name = schema_name + (create ? "Create" : "Update");
      if (!schemas.contains(name)) schemas[name] = request_schema(*d.entity, create, d.extra_body_fields);
      body_schema = schema_ref(name);
    }
    if (!d.request_content.empty())
      op["requestBody"] = json::object{{"required", true}, {"content", d.request_content}};
    else if (d.has_body)
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json_content(body_schema.empty() ? item_schema : body_schema)}};
    if (!d.extra_result_fields.empty()) {
      json::array required;
      for (const auto& kv : d.extra_result_fields) required.emplace_back(kv.key());
      item_schema = json::object{
          {"allOf", json::array{item_schema, json::object{{"type", "object"},
                                                          {"properties", d.extra_result_fields},
                                                          {"required", std::move(required)}}}}};
    }
    json::object responses;
    switch (d.shape) {
      case Shape::page:
        responses["200"] = json::object{
            {"description", "One page"},
            {"content", json_content(json::object{
                            {"type", "object"},
                            {"required", json::array{"items", "next_cursor"}},
                            {"properties", json::object{{"items", {{"type", "array"}, {"items", item_schema}}},
                                                        {"next_cursor", {{"type", json::array{"string", "null"}}}}}}})}};
        break;
      case Shape::created:
        responses["201"] = json::object{{"description", "Created (committed)"}, {"content", json_content(item_schema)}};
        if (d.located) responses["201"].as_object()["headers"] = {{"Location", doc_header("The created resource")}};
        break;
      case Shape::no_content: responses["204"] = json::object{{"description", "Done (committed)"}}; break;
      case Shape::text:
        responses["200"] = json::object{{"description", "Text"},
                                        {"content", json_content({{"type", "string"}}, "text/plain")}};
        break;
      default:
        responses["200"] = json::object{{"description", "OK"}, {"content", json_content(item_schema)}};
    }
    // A record's answer carries its version, for the If-Match of a later change.
    if ((d.entity && (d.shape == Shape::entity || d.shape == Shape::created)) || d.versioned)
      for (auto& kv : responses) {
        json::value& headers = kv.value().as_object()["headers"];
        if (!headers.is_object()) headers = json::object{};
        headers.as_object()["ETag"] = doc_header("The record's version, for If-Match");
      }
    if (d.conditional) responses["412"] = doc_problem("If-Match does not match the record's ETag");
    responses["default"] = doc_problem("An error");
    for (const auto& kv : d.responses) {
      if (kv.value().is_null()) responses.erase(kv.key());
      else responses[kv.key()] = kv.value();
    }
    op["responses"] = std::move(responses);
    // A bearer token, or the web app's session cookie (whose writes must come from its own pages).
    if (r.signed_in)
      op["security"] = json::array{json::object{{"bearer", json::array{}}}, json::object{{"session", json::array{}}}};
    std::string method = r.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    auto& path = paths[r.pattern];
    if (!path.is_object()) path = json::object{};
    path.get_object()[method] = std::move(op);
  }
  return json::object{
      {"openapi", "3.1.0"},
      {"info", {{"title", "Relance API"}, {"version", "1"},
                {"description", "Follow-up pipeline for the contacts and leads of a trade mission"}}},
      {"paths", std::move(paths)},
      {"components", {{"schemas", std::move(schemas)},
                      {"securitySchemes",
                       {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                        {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "relance_session"},
                                     {"description", "The web app's session (POST /api/v1/auth/login with cookie: "
                                                     "true); a write must come from the app's own origin"}}}}}}}};
}

}  // namespace relance::api
