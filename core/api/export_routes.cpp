// Routes of the exports: the formats the loaded exporter plugins offer, and a file of
// records in one of them, streamed (exports/export_service.hpp). The query string is read
// here into an ExportRequest; the outcomes map to statuses here too.
#include "api/export_routes.hpp"

#include <algorithm>

#include "api/openapi.hpp"
#include "api/problem_response.hpp"
#include "api/routes.hpp"
#include "domain/list_vocabulary.hpp"
#include "domain/problem.hpp"
#include "plugin_host/datasets.hpp"
#include "domain/text.hpp"

namespace relance::api {
using Shape = RouteDoc::Shape;

namespace {

bool declares(const plugin_host::ExporterFormat& f, const std::string& name) {
  return std::any_of(f.options.begin(), f.options.end(),
                     [&](const plugin_host::ExporterFormat::Option& o) { return o.name == name; });
}

// The filters and search of an export of one dataset, read as those of its list; a list
// parameter that makes no sense in a file (sort, cursor, limit) is refused.
storage::ListQuery read_rows(const storage::Entity& e, const plugin_host::ExporterFormat& f,
                             const QueryParams& filters) {
  try {
    // The scope is the export's to set, from the caller's rights.
    const services::ListRequest list = parse_list_request(e, filters);
    for (const auto& [key, value] : filters)
      if (key == "sort" || key == "cursor" || key == "limit")
        throw Problem::bad_request(key + " does not apply to an export (rows come in id order)", key);
    return services::storage_query(list, storage::Scope::org(0));
  } catch (const Problem& problem) {
    if (!problem.detail().starts_with("unknown query parameter")) throw;
    std::string names;
    for (const auto& o : f.options) names += (names.empty() ? "" : ", ") + o.name;
    throw Problem::bad_request(problem.detail() + " (the options of " + f.id + ": " + (names.empty() ? "none" : names) +
                                   "; or a filter of the list)",
                               problem.field());
  }
}

// ?dataset=contacts,leads&lang=fr (or locale=fr)&<option>=...&<list filter>=...
exports::ExportRequest read_export_request(const exports::ExportService& exports, const std::string& format,
                                           const QueryParams& query) {
  exports::ExportRequest r;
  r.format = format;
  const plugin_host::ExporterFormat& f = exports.format(format);
  QueryParams filters;
  for (const auto& [key, value] : query) {
    if (key == "dataset") {  // dataset=contacts,leads or dataset=contacts&dataset=leads
      for (std::string& name : domain::split(value, ',')) r.datasets.push_back(std::move(name));
    }
    else if (key == "lang" || key == "locale") r.locale = value;
    else if (declares(f, key)) r.options.emplace_back(key, value);
    else filters.emplace_back(key, value);
  }
  const auto datasets = exports::checked_datasets(r, f);
  if (datasets.size() > 1 && !filters.empty())
    throw Problem::bad_request("filters apply to an export of one dataset; " + filters.front().first +
                                   " is neither an option of " + format + " nor usable with several datasets",
                               filters.front().first);
  r.rows = read_rows(*datasets.front(), f, filters);
  return r;
}

Response started_response(exports::ExportStarted s) {
  Response r;
  r.status = 200;
  r.content_type = s.content_type;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + s.filename + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  r.stream = std::move(s.body);
  return r;
}

// An export that could not begin: the plugin's refusal (exporter_refusal), or a plugin
// that cannot run, the operator's (503).
Response export_error_response(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const exports::ExportRefused& e) {
    return problem_response(exporter_refusal(e.kind(), e.what(), e.option()));
  } catch (const plugin_host::ExporterUnavailable& e) {
    return problem_response(Problem(Problem::Kind::unavailable, "Service unavailable", e.what()));
  } catch (...) {
    return error_response(std::current_exception());
  }
}

// What GET /api/v1/exports/<format> is documented to take and answer: the datasets, the
// format's options (an enum where the plugin declares choices) and the filters of the lists
// of the datasets as query parameters; the format's media type, with the file's name in
// Content-Disposition.
RouteDoc export_doc(const plugin_host::ExporterFormat& format, const boost::json::array& datasets) {
  using boost::json::array;
  using boost::json::object;
  RouteDoc d{"A file of one or more datasets in " + format.id + " (" + format.mime_type +
                 "), streamed; with one dataset, its list's filters and search narrow the rows",
             "exports", Shape::text};
  d.query = {"dataset", "lang", "locale"};
  d.query_schemas["dataset"] = object{
      {"type", "array"}, {"items", {{"type", "string"}, {"enum", datasets}}}, {"minItems", 1},
      {"description", "The datasets, in the file's order (dataset=contacts&dataset=leads, or dataset=contacts,leads)"}};
  const object locale{{"type", "string"}, {"enum", array{"fr", "en"}},
                      {"description", "The language of labels and the conventions of dates and numbers; default the "
                                      "caller's own"}};
  d.query_schemas["lang"] = locale;
  d.query_schemas["locale"] = locale;
  for (const auto& o : format.options) {
    object schema{{"type", "string"}, {"description", o.description}};
    if (!o.choices.empty()) schema["enum"] = array(o.choices.begin(), o.choices.end());
    if (!o.default_value.empty()) schema["default"] = o.default_value;
    d.query.push_back(o.name);
    d.query_schemas[o.name] = std::move(schema);
  }
  // A filter several datasets' lists take is typed when they read it alike (country), a
  // string when they do not (the kind of a company and of an event).
  for (const auto& name : datasets) {
    const storage::Entity* e = plugin_host::dataset_entity(name.as_string());
    if (!e) continue;
    for (const std::string& p : domain::list_parameters(*e)) {
      if (p == "sort" || p == "cursor" || p == "limit" || declares(format, p)) continue;
      object schema = list_parameter_schema(*e, p);
      schema.erase("description");  // each dataset's field says it its own way; the type is what counts
      if (std::find(d.query.begin(), d.query.end(), p) == d.query.end()) {
        d.query.push_back(p);
        d.query_schemas[p] = std::move(schema);
      } else if (d.query_schemas.at(p) != schema) {
        d.query_schemas[p] = object{{"type", "string"}};
      }
    }
  }
  d.responses["200"] = doc_response(
      "The file", doc_content({format.mime_type}, doc_binary()),
      {{"Content-Disposition", doc_header("attachment; filename=\"<name>." + format.extension + "\"")}});
  return d;
}

// GET /api/v1/exports/{format} for a format no loaded plugin offers.
RouteDoc unknown_format_doc() {
  RouteDoc d{"A format no loaded plugin offers: 404 naming those available (each one has its own operation)",
             "exports", Shape::object};
  d.responses["200"] = nullptr;
  d.responses["404"] = doc_problem("No such export format");
  return d;
}

// GET /api/v1/exports: the formats (ExportService::formats) and the datasets.
RouteDoc formats_doc() {
  using boost::json::array;
  using boost::json::object;
  const object text{{"type", "string"}};
  const object format{{"type", "object"},
                      {"required", array{"format", "extension", "mime_type", "plugin", "options"}},
                      {"properties", {{"format", text}, {"extension", text}, {"mime_type", text}, {"plugin", text},
                                      {"options", {{"type", "array"}, {"items", doc_plugin_option()}}}}}};
  RouteDoc d{"The export formats of the loaded plugins, their options, and the datasets", "exports", Shape::object};
  d.result_schema = object{{"type", "object"},
                           {"required", array{"items", "datasets"}},
                           {"properties", {{"items", {{"type", "array"}, {"items", format}}},
                                           {"datasets", {{"type", "array"}, {"items", text}}}}}};
  return d;
}

}  // namespace

Problem exporter_refusal(exports::ExportRefused::Kind kind, const std::string& detail, const std::string& option) {
  using Kind = exports::ExportRefused::Kind;
  // The plugin says "later" without saying when: a short wait, which a client may repeat.
  constexpr int retry_after_seconds = 10;
  switch (kind) {
    case Kind::retry:
      return Problem(Problem::Kind::unavailable, "Exporter unavailable", detail).with_retry_after(retry_after_seconds);
    case Kind::invalid: return Problem::bad_request(detail, option);
    case Kind::fatal: break;
  }
  return Problem(Problem::Kind::internal, "Exporter failed", detail);
}

void add_export_routes(Router& router, exports::ExportService& exports) {
  router.add("GET", "/api/v1/exports", true, formats_doc(),
             [&exports](Call&, Reply reply) { reply(json_response(200, exports.formats())); });
  // One operation per format, for a client generated from the document to know each
  // format's options and media type.
  const boost::json::object formats = exports.formats();
  for (const auto& item : formats.at("items").as_array()) {
    const std::string id(item.at("format").as_string());
    router.add("GET", "/api/v1/exports/" + id, true, export_doc(exports.format(id), formats.at("datasets").as_array()),
               [&exports, id](Call& c, Reply reply) {
                 exports.start(c.principal, read_export_request(exports, id, c.request.query),
                               [reply](std::exception_ptr error, exports::ExportStarted s) {
                                 if (error) return reply(export_error_response(error));
                                 reply(started_response(std::move(s)));
                               });
               });
  }
  router.add("GET", "/api/v1/exports/{format}", true, unknown_format_doc(), [&exports](Call& c, Reply) {
    exports.format(c.names[0]);  // throws not_found, naming the formats available
    throw Problem::not_found();  // (a format is matched by its own route first)
  });
}

}  // namespace relance::api
