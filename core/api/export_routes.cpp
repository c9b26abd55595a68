// Routes of the exports: the formats the loaded exporter plugins offer, and a file of
// records in one of them, streamed (exports/export_service.hpp). The query string is read
// here into an ExportRequest; the outcomes map to statuses here too.
#include "api/export_routes.hpp"

#include <algorithm>

#include "api/problem_response.hpp"
#include "api/routes.hpp"
#include "domain/problem.hpp"
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

}  // namespace

void add_export_routes(Router& router, exports::ExportService& exports) {
  router.add("GET", "/api/v1/exports", true,
             {"The export formats of the loaded plugins, their options, and the datasets", "exports",
              Shape::object},
             [&exports](Call&, Reply reply) { reply(json_response(200, exports.formats())); });
  router.add("GET", "/api/v1/exports/{format}", true,
             {"A file of one or more datasets (dataset=contacts,leads) in a format, streamed; the list "
              "filters and the format's options as query parameters",
              "exports", Shape::text, nullptr, false, {"dataset", "locale", "<option>", "<list filter>"}},
             [&exports](Call& c, Reply reply) {
               exports.start(c.principal, read_export_request(exports, c.names[0], c.request.query),
                             [reply](std::exception_ptr error, exports::ExportStarted s) {
                               if (error) return reply(export_error_response(error));
                               reply(started_response(std::move(s)));
                             });
             });
}

}  // namespace relance::api
