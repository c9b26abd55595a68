// Routes of the contact imports: POST a file as the body (up to imports.max_bytes, and the
// server's max_body_bytes: larger files are refused with 413; raise both for big files,
// which `relance import` sends the same way), then follow the job and read its report.
#include "api/import_routes.hpp"

#include <boost/json/parse.hpp>

#include "api/openapi.hpp"
#include "api/problem_response.hpp"
#include "api/routes.hpp"
#include "domain/country.hpp"
#include "domain/text.hpp"
#include "services/record_service.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;

namespace {

const std::vector<std::string> import_parameters{"format",  "preset",   "mode",   "dry_run", "skip_invalid",
                                                 "mapping", "filename", "region", "tag",     "source_event_id"};

bool flag(const std::string& name, const std::string& v) {
  if (v == "true" || v == "1" || v.empty()) return true;
  if (v == "false" || v == "0") return false;
  throw Problem::bad_request(name + " must be true or false", name);
}

// The file's format as its Content-Type says ("auto" when it does not).
std::string format_of(const std::string& content_type) {
  const std::string type = domain::trim(domain::fold_ascii_case(content_type.substr(0, content_type.find(';'))));
  if (type == "text/vcard" || type == "text/x-vcard" || type == "text/directory") return "vcard";
  if (type == "text/csv" || type == "text/tab-separated-values") return "csv";
  if (type != "application/octet-stream" && type != "text/plain" && !type.empty())
    throw Problem(Problem::Kind::unsupported_type, "Unsupported media type",
                  "send the file as the body, as text/csv, text/vcard or application/octet-stream");
  return "auto";
}

void read_mapping(const std::string& text, imports::ImportRequest& r) {
  boost::system::error_code ec;
  json::value m = json::parse(text, ec);
  if (ec || !m.is_object()) throw Problem::bad_request("mapping must be a JSON object of column: field", "mapping");
  for (const auto& [col, field] : m.get_object()) {
    if (!field.is_string())
      throw Problem::bad_request("mapping: the field of column " + std::string(col) + " must be a string", "mapping");
    r.mapping[std::string(col)] = std::string(field.get_string());
  }
  if (r.preset == "auto") r.preset = "custom";
}

// POST /api/v1/imports: the request's options and file, read into an ImportRequest.
imports::ImportRequest import_request(const Call& c) {
  imports::ImportRequest r;
  r.principal = c.principal;
  r.format = format_of(c.request.content_type);
  r.file = c.request.body;
  services::Idempotency key = idempotency_of(c.request);
  r.idempotency_key = std::move(key.key);
  r.request_digest = std::move(key.request_digest);
  for (const auto& [k, v] : c.request.query) {
    if (k == "format") {
      if (v != "auto" && v != "csv" && v != "vcard") throw Problem::bad_request("format must be auto, csv or vcard", "format");
      r.format = v;
    } else if (k == "preset") {
      r.preset = v;
    } else if (k == "mode") {
      const auto mode = imports::parse_mode(v);
      if (!mode) throw Problem::bad_request("mode must be create-only, create-or-update or update-only", "mode");
      r.mode = *mode;
    } else if (k == "dry_run") {
      r.dry_run = flag(k, v);
    } else if (k == "skip_invalid") {
      r.skip_invalid = flag(k, v);
    } else if (k == "filename") {
      r.filename = v;
    } else if (k == "region") {
      r.region = domain::fold_ascii_upper(v);
      if (!domain::is_country_code(r.region))
        throw Problem::bad_request("region must be an ISO 3166-1 alpha-2 country code such as FR or US", k);
    } else if (k == "mapping") {
      read_mapping(v, r);
    } else if (k == "tag") {
      r.tag = v;
    } else if (k == "source_event_id") {
      const auto id = domain::parse_int64(v);
      if (!id || *id <= 0) throw Problem::bad_request("source_event_id must be an event's id", k);
      r.source_event_id = *id;
    } else {
      throw Problem::bad_request("unknown parameter " + k + " (format, preset, mode, dry_run, "
                                 "skip_invalid, mapping, filename, region, tag, source_event_id)", k);
    }
  }
  return r;
}

// The answer to a refused import.
Problem refusal_problem(const imports::ImportStart& s) {
  using R = imports::ImportStart::Refusal;
  switch (s.refusal) {
    case R::read_only: return Problem::forbidden(s.detail);
    case R::too_large: return Problem(Problem::Kind::too_large, "File too large", s.detail);
    case R::empty_file: return Problem(Problem::Kind::invalid, "Empty file", s.detail);
    case R::unreadable: return Problem(Problem::Kind::invalid, "Unreadable file", s.detail);
    case R::no_space: return Problem(Problem::Kind::storage_full, "Insufficient storage", s.detail);
    case R::key_reused: return Problem(Problem::Kind::key_reused, "Idempotency-Key reused", s.detail, s.option);
    case R::key_in_use: return Problem::conflict(s.detail, s.option);
    case R::no_file:
    case R::bad_option:
    case R::none: break;
  }
  return Problem::bad_request(s.detail, s.option);
}

// An import job as GET /api/v1/imports/{id} answers it (ImportService::status).
json::object import_job_schema() {
  const json::object text{{"type", "string"}}, count{{"type", "integer"}, {"minimum", 0}},
      flag{{"type", "boolean"}}, optional_text{{"type", json::array{"string", "null"}}},
      instant{{"type", "string"}, {"format", "date-time"}},
      optional_instant{{"type", json::array{"string", "null"}}, {"format", "date-time"}};
  json::object props{{"id", {{"type", "integer"}}},
                     {"state", {{"type", "string"}, {"enum", json::array{"queued", "running", "done", "failed"}}}},
                     {"phase", text}, {"source", text}, {"format", text}, {"preset", text}, {"encoding", text},
                     {"mode", {{"type", "string"}, {"enum", json::array{"create-only", "create-or-update", "update-only"}}}},
                     {"dry_run", flag}, {"skip_invalid", flag}, {"tag", optional_text},
                     {"source_event_id", {{"type", json::array{"integer", "null"}}}},
                     {"queued_at", instant}, {"started_at", optional_instant}, {"finished_at", optional_instant},
                     {"error", optional_text}, {"report", text}};
  for (const char* n : {"rows_checked", "rows_read", "created", "updated", "skipped", "invalid", "ignored",
                        "bytes_read", "bytes_total"})
    props[n] = count;
  json::array required;
  for (const auto& kv : props)
    if (kv.key() != "phase") required.emplace_back(kv.key());
  return json::object{{"type", "object"}, {"properties", std::move(props)}, {"required", std::move(required)}};
}

// GET /api/v1/contact-duplicates (ImportService::duplicates).
RouteDoc duplicates_doc() {
  RouteDoc d{"Deduplication on demand: the organisation's contacts that are one person by the "
             "import's rules (same email, same phone, or same name at the same company), in "
             "groups with the reasons and the contacts; merge them with "
             "POST /api/v1/contacts/{id}/merge; with contact_id, only the group holding that contact",
             "imports", Shape::object, nullptr, false, {"limit", "contact_id"}};
  const json::object count{{"type", "integer"}, {"minimum", 0}};
  const json::object group{
      {"type", "object"},
      {"required", json::array{"contact_ids", "reasons", "contacts"}},
      {"properties", {{"contact_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}},
                      {"reasons", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                      {"contacts", {{"type", "array"},
                                    {"description", "The group's contacts not deleted since the scan"},
                                    {"items", {{"$ref", "#/components/schemas/Contact"}}}}}}}};
  d.result_schema = json::object{{"type", "object"},
                                 {"required", json::array{"groups", "groups_total", "contacts_scanned"}},
                                 {"properties", {{"groups", {{"type", "array"}, {"items", group}}},
                                                 {"groups_total", count}, {"contacts_scanned", count}}}};
  return d;
}

// POST /api/v1/import-columns (ImportService::columns).
RouteDoc columns_doc() {
  RouteDoc d{"How an import would map the columns of a CSV file whose first lines are the body (text/csv): "
             "the preset that recognises its header (null: none does) and each column's field, with the "
             "fields a mapping may name; nothing is stored",
             "imports", Shape::object, nullptr, true};
  d.request_content = doc_content({"text/csv", "application/octet-stream"}, doc_binary());
  const json::object text{{"type", "string"}};
  const json::object column{{"type", "object"},
                            {"required", json::array{"name", "field"}},
                            {"properties", {{"name", text}, {"field", text}}}};
  d.result_schema = json::object{
      {"type", "object"},
      {"required", json::array{"preset", "preset_label", "encoding", "delimiter", "header_line", "columns", "fields"}},
      {"properties", {{"preset", {{"type", json::array{"string", "null"}}}},
                      {"preset_label", text},
                      {"encoding", text},
                      {"delimiter", text},
                      {"header_line", {{"type", "integer"}, {"minimum", 1}}},
                      {"columns", {{"type", "array"}, {"items", column}}},
                      {"fields", {{"type", "array"}, {"items", text}}}}}};
  return d;
}

}  // namespace

void add_import_routes(Router& router, imports::ImportService& imports, services::WorkPool& slow_work) {
  const json::object job = import_job_schema();
  RouteDoc start{"Imports contacts from a CSV or vCard file sent as the body (text/csv, text/vcard or "
                 "application/octet-stream): 202 and the job, at Location",
                 "imports", Shape::object, nullptr, true, import_parameters, false, true};
  const json::object flag_schema{{"type", "boolean"}, {"default", false}};
  start.query_schemas = json::object{
      {"format", {{"type", "string"}, {"enum", json::array{"auto", "csv", "vcard"}}, {"default", "auto"},
                  {"description", "auto: from the Content-Type, else the file's first bytes"}}},
      {"preset", {{"type", "string"},
                  {"description", "How the columns map to fields: auto (recognised), a preset (linkedin, google, "
                                  "outlook, hubspot, generic), or custom with mapping"}}},
      {"mode", {{"type", "string"}, {"enum", json::array{"create-only", "create-or-update", "update-only"}}}},
      {"dry_run", flag_schema},
      {"skip_invalid", flag_schema},
      {"mapping", {{"type", "string"}, {"description", "A JSON object of column: field"}}},
      {"filename", {{"type", "string"}}},
      {"region", {{"type", "string"}, {"pattern", "^[A-Za-z]{2}$"},
                  {"description", "The country phone numbers without a prefix are read in"}}},
      {"tag", {{"type", "string"}}},
      {"source_event_id", {{"type", "integer"}, {"minimum", 1}}}};
  start.request_content = doc_content({"text/csv", "text/vcard", "application/octet-stream"}, doc_binary());
  start.responses["200"] = nullptr;
  start.responses["202"] = doc_response("Accepted: the job, queued", doc_content({"application/json"}, job),
                                        {{"Location", doc_header("The job, to follow its progress")}});
  RouteDoc status{"An import job: state (queued, running, done, failed), counts and progress", "imports",
                  Shape::object};
  status.result_schema = job;
  RouteDoc report{"An import's outcome per row (new, duplicate of contact N, updated N, invalid: why), "
                  "as JSON lines or with format=csv as CSV",
                  "imports", Shape::text, nullptr, false, {"format"}};
  report.query_schemas["format"] = json::object{{"type", "string"}, {"enum", json::array{"jsonl", "csv"}}, {"default", "jsonl"}};
  report.responses["200"] = doc_response("The report", doc_content({"application/jsonl", "text/csv"}, doc_text()));
  router.add("POST", "/api/v1/imports", true, std::move(start),
             [&imports](Call& c, Reply reply) {
               const imports::ImportStart started = imports.start(import_request(c));
               if (!started.accepted()) throw refusal_problem(started);
               Response r = json_response(202, imports.status(c.principal, started.job_id));
               r.headers.emplace_back("Location", "/api/v1/imports/" + std::to_string(started.job_id));
               reply(std::move(r));
             });
  router.add("GET", "/api/v1/imports/{id}", true, std::move(status),
             [&imports](Call& c, Reply reply) {
               reply(json_response(200, imports.status(c.principal, c.ids[0])));
             });
  router.add("GET", "/api/v1/imports/{id}/report", true, std::move(report),
             [&imports](Call& c, Reply reply) {
               bool csv = false;
               for (const auto& [k, v] : c.request.query) {
                 if (k != "format") throw Problem::bad_request("unknown parameter " + k, k);
                 if (v != "csv" && v != "jsonl") throw Problem::bad_request("format must be jsonl or csv", "format");
                 csv = v == "csv";
               }
               Response r;
               r.status = 200;
               r.content_type = csv ? "text/csv; charset=utf-8" : "application/jsonl";
               r.body = imports.report(c.principal, c.ids[0], csv);
               r.headers.emplace_back("Cache-Control", "no-store");
               reply(std::move(r));
             });
  router.add("POST", "/api/v1/import-columns", true, columns_doc(),
             [&imports](Call& c, Reply reply) {
               for (const auto& kv : c.request.query)
                 throw Problem::bad_request("unknown parameter " + kv.first + " (none is taken)", kv.first);
               format_of(c.request.content_type);  // refuses a body that is not a file's text
               reply(json_response(200, imports.columns(c.request.body)));
             });
  router.add("GET", "/api/v1/contact-duplicates", true, duplicates_doc(),
             [&imports, &slow_work](Call& c, Reply reply) {
               std::size_t limit = 100;
               std::optional<std::int64_t> holding;
               for (const auto& [k, v] : c.request.query) {
                 if (k == "limit") {
                   limit = domain::parse_limit(k, v, 1000);
                 } else if (k == "contact_id") {
                   holding = domain::parse_int64(v);
                   if (!holding || *holding < 1) throw Problem::bad_request("contact_id must be a positive integer", k);
                 } else {
                   throw Problem::bad_request("unknown parameter " + k + " (limit, contact_id)", k);
                 }
               }
               offload(slow_work, std::move(reply), [&imports, p = c.principal, limit, holding](Reply& r) {
                 r(json_response(200, imports.duplicates(p, limit, holding)));
               });
             });
}

}  // namespace relance::api
