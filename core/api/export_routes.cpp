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
    if (key == "dataset") r.datasets = value.empty() ? std::vector<std::string>{} : domain::split(value, ',');
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

// An export that could not begin: the plugin's refusal is the client's to fix (400), a
// plugin that cannot run is the operator's (503).
Response export_error_response(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const exports::ExportRefused& e) {
    return problem_response(Problem::bad_request(e.what()));
  } catch (const plugin_host::ExporterUnavailable& e) {
    return problem_response(Problem(Problem::Kind::unavailable, "Service unavailable", e.what()));
  } catch (...) {
    return error_response(std::current_exception());
  }
}

// What GET /api/v1/exports/{format} is documented to take and answer: the options of the
// loaded formats and the filters of the lists of their datasets as query parameters, and
// each format's media type with the file's name in Content-Disposition.
RouteDoc export_doc(const exports::ExportService& exports) {
  RouteDoc d{"A file of one or more datasets (dataset=contacts,leads) in a format, streamed; the list "
             "filters of a single dataset and the format's options (GET /api/v1/exports lists them) as "
             "query parameters",
             "exports", Shape::text};
  d.query = {"dataset", "lang", "locale"};
  auto add = [&d](const std::string& name) {
    if (std::find(d.query.begin(), d.query.end(), name) == d.query.end()) d.query.push_back(name);
  };
  const boost::json::object formats = exports.formats();
  boost::json::object content;
  for (const auto& f : formats.at("items").as_array()) {
    const auto& format = f.as_object();
    for (const auto& o : format.at("options").as_array()) add(std::string(o.at("name").as_string()));
    content[format.at("mime_type").as_string()] = boost::json::object{{"schema", doc_binary()}};
  }
  for (const auto& name : formats.at("datasets").as_array())
    if (const storage::Entity* e = plugin_host::dataset_entity(name.as_string()))
      for (const std::string& p : domain::list_parameters(*e))
        if (p != "sort" && p != "cursor" && p != "limit") add(p);
  d.responses["200"] = doc_response(
      "The file, in the format's media type", std::move(content),
      {{"Content-Disposition", doc_header("attachment; filename=\"<name>.<extension>\"")}});
  return d;
}

// GET /api/v1/exports: the formats (ExportService::formats) and the datasets.
RouteDoc formats_doc() {
  using boost::json::array;
  using boost::json::object;
  const object text{{"type", "string"}}, optional_text{{"type", array{"string", "null"}}};
  const object option{{"type", "object"},
                      {"required", array{"name", "description", "default", "choices"}},
                      {"properties", {{"name", text}, {"description", text}, {"default", optional_text},
                                      {"choices", {{"type", array{"array", "null"}}, {"items", text}}}}}};
  const object format{{"type", "object"},
                      {"required", array{"format", "extension", "mime_type", "plugin", "options"}},
                      {"properties", {{"format", text}, {"extension", text}, {"mime_type", text}, {"plugin", text},
                                      {"options", {{"type", "array"}, {"items", option}}}}}};
  RouteDoc d{"The export formats of the loaded plugins, their options, and the datasets", "exports", Shape::object};
  d.result_schema = object{{"type", "object"},
                           {"required", array{"items", "datasets"}},
                           {"properties", {{"items", {{"type", "array"}, {"items", format}}},
                                           {"datasets", {{"type", "array"}, {"items", text}}}}}};
  return d;
}

}  // namespace

void add_export_routes(Router& router, exports::ExportService& exports) {
  router.add("GET", "/api/v1/exports", true, formats_doc(),
             [&exports](Call&, Reply reply) { reply(json_response(200, exports.formats())); });
  router.add("GET", "/api/v1/exports/{format}", true, export_doc(exports),
             [&exports](Call& c, Reply reply) {
               exports.start(c.principal, read_export_request(exports, c.names[0], c.request.query),
                             [reply](std::exception_ptr error, exports::ExportStarted s) {
                               if (error) return reply(export_error_response(error));
                               reply(started_response(std::move(s)));
                             });
             });
}

}  // namespace relance::api
