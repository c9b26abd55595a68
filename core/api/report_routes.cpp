// Routes of the reports: GET /api/v1/reports/<report>, JSON by default, or with
// ?format=<exporter format> a file of the same figures (reports/report_service.hpp). The
// query string is read here into a ReportQuery.
#include "api/report_routes.hpp"

#include <charconv>

#include "api/export_routes.hpp"
#include "api/openapi.hpp"
#include "api/problem_response.hpp"
#include "api/routes.hpp"
#include "domain/problem.hpp"
#include "domain/time.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;

namespace {

constexpr reports::Report all_reports[] = {reports::Report::funnel, reports::Report::outcomes,
                                           reports::Report::followup_discipline, reports::Report::stale,
                                           reports::Report::mission_summary};

// A positive integer (an id, a number of days); 400 naming the parameter otherwise.
std::int64_t positive(const std::string& name, const std::string& text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v <= 0)
    throw Problem::bad_request(name + " must be a positive integer", name);
  return v;
}

struct ReportAsked {
  reports::ReportQuery query;
  std::string format = "json";
  std::optional<std::string> locale;
};

ReportAsked read_report_query(const QueryParams& params) {
  ReportAsked a;
  storage::ReportFilter& f = a.query.filter;
  for (const auto& [key, value] : params) {
    if (key == "event_id") f.event_id = positive(key, value);
    else if (key == "org_id") f.org_id = positive(key, value);
    else if (key == "partner_company_id") f.partner_company_id = positive(key, value);
    else if (key == "sector") {
      if (value.empty()) throw Problem::bad_request("sector must not be empty", key);
      f.sector = value;
    } else if (key == "from" || key == "to") {
      if (!domain::valid_date(value)) throw Problem::bad_request(key + " must be a date YYYY-MM-DD", key);
      (key == "from" ? f.from : f.to) = value;
    } else if (key == "days") {
      a.query.days = static_cast<int>(std::clamp<std::int64_t>(positive(key, value), 1, 100000));
    } else if (key == "limit") {
      const std::int64_t n = positive(key, value);
      if (n > static_cast<std::int64_t>(reports::max_list_limit))
        throw Problem::bad_request("limit must be from 1 to " + std::to_string(reports::max_list_limit), key);
      a.query.limit = static_cast<std::size_t>(n);
    } else if (key == "format") a.format = value;
    else if (key == "lang" || key == "locale") {
      if (value != "fr" && value != "en") throw Problem::bad_request(key + " must be fr or en", key);
      a.locale = value;
    } else throw Problem::bad_request("unknown query parameter " + key, key);
  }
  if (f.from && f.to && *f.from > *f.to) throw Problem::bad_request("from is after to", "from");
  return a;
}

// ---- the documents' schemas

json::object integer() { return json::object{{"type", "integer"}}; }
json::object number_or_null() { return json::object{{"type", json::array{"number", "null"}}}; }
json::object text() { return json::object{{"type", "string"}}; }
json::object text_or_null() { return json::object{{"type", json::array{"string", "null"}}}; }
json::object array_of(json::object items) { return json::object{{"type", "array"}, {"items", std::move(items)}}; }
// An object whose members are all present.
json::object all_of(json::object properties) {
  json::array required;
  for (const auto& kv : properties) required.emplace_back(kv.key());
  return json::object{{"type", "object"}, {"required", std::move(required)}, {"properties", std::move(properties)}};
}
// `figures` with the start-up's id and name.
json::object startup(json::object figures) {
  figures["org_id"] = integer();
  figures["org_name"] = text();
  return all_of(std::move(figures));
}

json::object funnel_group() {
  return json::object{
      {"leads", integer()},
      {"stages", array_of(all_of({{"stage", text()}, {"leads", integer()}, {"reached", integer()},
                                  {"conversion_to_next", number_or_null()}, {"stays", integer()},
                                  {"median_seconds", number_or_null()}, {"p90_seconds", number_or_null()}}))}};
}
json::object funnel_body() {
  return json::object{{"overall", all_of(funnel_group())}, {"startups", array_of(startup(funnel_group()))}};
}

json::object outcome_figures() {
  return json::object{{"count", integer()},
                      {"amount_eur", {{"type", "number"}}},
                      {"amounts", array_of(all_of({{"currency", text()}, {"amount", {{"type", "number"}}}}))},
                      {"jobs", integer()}};
}
json::object outcome_group(std::initializer_list<std::pair<std::string_view, json::object>> keys) {
  json::object o = outcome_figures();
  for (const auto& [k, schema] : keys) o[k] = schema;
  return all_of(std::move(o));
}
json::object outcomes_body() {
  return json::object{
      {"totals", all_of(outcome_figures())},
      {"startups", array_of(startup(outcome_figures()))},
      {"by_kind", array_of(outcome_group({{"kind", text()}}))},
      {"by_partner", array_of(outcome_group({{"company_id", {{"type", json::array{"integer", "null"}}}},
                                             {"company_name", text_or_null()}}))},
      {"partners_total", integer()},
      {"other_partners", all_of(outcome_figures())},
      {"by_sector", array_of(outcome_group({{"sector", text_or_null()}}))},
      {"by_month", array_of(outcome_group({{"month", text()}}))}};
}

json::object discipline_figures() {
  return json::object{{"mission_leads", integer()},      {"with_reference", integer()},
                      {"followed_up", integer()},        {"within_72h", integer()},
                      {"within_7d", integer()},          {"share_within_72h", number_or_null()},
                      {"share_within_7d", number_or_null()}, {"median_hours_to_first_followup", number_or_null()},
                      {"overdue_followups", integer()}};
}
json::object discipline_body() {
  return json::object{{"overall", all_of(discipline_figures())},
                      {"startups", array_of(startup(discipline_figures()))}};
}

json::object stale_counts() {
  return json::object{{"leads", integer()}, {"stages", array_of(all_of({{"stage", text()}, {"leads", integer()}}))}};
}
json::object stale_body() {
  return json::object{
      {"days", {{"type", json::array{"integer", "null"}}}},
      {"default_days", integer()},
      {"totals", all_of(stale_counts())},
      {"startups", array_of(startup(stale_counts()))},
      {"leads", array_of(all_of({{"id", integer()}, {"title", text()}, {"stage", text()},
                                 {"last_activity_at", text()}, {"idle_days", {{"type", "number"}}}}))},
      {"leads_total", integer()}};
}

json::object body_schema(reports::Report r) {
  switch (r) {
    case reports::Report::funnel: return funnel_body();
    case reports::Report::outcomes: return outcomes_body();
    case reports::Report::followup_discipline: return discipline_body();
    case reports::Report::stale: return stale_body();
    case reports::Report::mission_summary: break;
  }
  return json::object{{"funnel", all_of(funnel_body())},
                      {"outcomes", all_of(outcomes_body())},
                      {"followup_discipline", all_of(discipline_body())},
                      {"stale", all_of(stale_body())},
                      {"definitions", {{"type", "object"}, {"additionalProperties", text()}}}};
}

json::object result_schema(reports::Report r) {
  json::object o = body_schema(r);
  o["report"] = json::object{{"type", "string"}, {"const", reports::report_name(r)}};
  o["generated_at"] = text();
  o["scope"] = json::object{{"type", "string"}, {"enum", json::array{"every-startup", "own-startup"}}};
  const json::object id_or_null{{"type", json::array{"integer", "null"}}};
  o["filters"] = all_of({{"event_id", id_or_null}, {"org_id", id_or_null}, {"sector", text_or_null()},
                         {"partner_company_id", id_or_null}, {"from", text_or_null()}, {"to", text_or_null()}});
  return all_of(std::move(o));
}

RouteDoc report_doc(reports::Report r, const exports::ExportService& exports) {
  RouteDoc d{"The " + std::string(reports::report_name(r)) +
                 " report of the mission (docs/api.md, \"Reports\"): JSON, or a file with format",
             "reports", Shape::object};
  d.query = {"event_id", "org_id", "sector", "partner_company_id", "from", "to", "days", "limit", "format", "lang",
             "locale"};
  const json::object id{{"type", "integer"}, {"minimum", 1}};
  const json::object date{{"type", "string"}, {"format", "date"}};
  d.query_schemas["event_id"] = id;
  d.query_schemas["org_id"] = id;
  d.query_schemas["partner_company_id"] = id;
  d.query_schemas["days"] = json::object{{"type", "integer"}, {"minimum", 1}, {"maximum", 3650},
                                         {"description", "stale: idle days for every stage"}};
  d.query_schemas["limit"] = json::object{
      {"type", "integer"}, {"minimum", 1}, {"maximum", static_cast<std::int64_t>(reports::max_list_limit)},
      {"description", "the longest list: a start-up's stale leads, the outcomes' partners (100 unless asked)"}};
  d.query_schemas["sector"] = json::object{{"type", "string"}, {"minLength", 1},
                                           {"description", "The sector of the lead's company (outcomes: the partner's)"}};
  d.query_schemas["from"] = date;
  d.query_schemas["to"] = date;
  json::array formats{"json"};
  json::object content{{"application/json", {{"schema", result_schema(r)}}}};
  const json::object available = exports.formats();
  for (const auto& item : available.at("items").as_array()) {
    formats.push_back(item.at("format"));
    content[item.at("mime_type").as_string()] = json::object{{"schema", doc_binary()}};
  }
  d.query_schemas["format"] = json::object{{"type", "string"}, {"enum", formats}, {"default", "json"}};
  const json::object locale{{"type", "string"}, {"enum", json::array{"fr", "en"}}};
  d.query_schemas["lang"] = locale;
  d.query_schemas["locale"] = locale;
  d.result_schema = result_schema(r);
  d.responses["200"] = doc_response(
      "The report: JSON, or with format a file of its tables",
      std::move(content), {{"Content-Disposition", doc_header("With format: attachment; filename=\"<name>\"")}});
  d.responses["403"] = doc_problem("A start-up's member asked for another organisation");
  return d;
}

Response file_response(exports::TableFile f) {
  Response r;
  r.status = 200;
  r.content_type = std::move(f.content_type);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.filename + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = std::move(f.bytes);
  return r;
}

}  // namespace

void add_report_routes(Router& router, reports::ReportService& reports, const exports::ExportService& exports) {
  for (reports::Report r : all_reports) {
    router.add("GET", "/api/v1/reports/" + std::string(reports::report_name(r)), true, report_doc(r, exports),
               [&reports, r](Call& c, Reply reply) {
                 ReportAsked a = read_report_query(c.request.query);
                 if (a.format == "json") return reply(json_response(200, reports.report(c.principal, r, a.query)));
                 try {
                   reply(file_response(reports.file(c.principal, r, a.query, a.format, a.locale)));
                 } catch (const plugin_host::ExporterRefused& e) {
                   const bool invalid = e.kind() == plugin_host::ExporterRefused::Kind::invalid;
                   throw exporter_refusal(e.kind(), a.format + " refused the report: " + e.what(),
                                          invalid ? "format" : "");
                 } catch (const plugin_host::ExporterUnavailable& e) {
                   throw Problem(Problem::Kind::unavailable, "Service unavailable", e.what());
                 }
               });
  }
}

}  // namespace relance::api
