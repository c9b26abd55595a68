// Routes of the contact imports: POST a file as the body (up to imports.max_bytes, and the
// server's max_body_bytes: larger files are refused with 413; raise both for big files,
// which `relance import` sends the same way), then follow the job and read its report.
#include "api/import_routes.hpp"

#include "api/problem_response.hpp"
#include "api/routes.hpp"
#include "services/record_service.hpp"

namespace relance::api {
using Shape = RouteDoc::Shape;

void add_import_routes(Router& router, imports::ImportService& imports, services::WorkPool& slow_work) {
  router.add("POST", "/api/v1/imports", true,
             {"Imports contacts from a CSV or vCard file sent as the body (text/csv, text/vcard or "
              "application/octet-stream): 202 and the job, at Location",
              "imports", Shape::object, nullptr, false, imports::ImportService::parameters()},
             [&imports](Call& c, Reply reply) {
               const std::int64_t id = imports.start(c.principal, c.request.body,
                                                     c.request.content_type, c.request.query);
               Response r = json_response(202, imports.status(c.principal, id));
               r.headers.emplace_back("Location", "/api/v1/imports/" + std::to_string(id));
               reply(std::move(r));
             });
  router.add("GET", "/api/v1/imports/{id}", true,
             {"An import job: state (queued, running, done, failed), counts and progress", "imports",
              Shape::object},
             [&imports](Call& c, Reply reply) {
               reply(json_response(200, imports.status(c.principal, c.ids[0])));
             });
  router.add("GET", "/api/v1/imports/{id}/report", true,
             {"An import's outcome per row (new, duplicate of contact N, updated N, invalid: why), "
              "as JSON lines or with format=csv as CSV",
              "imports", Shape::text, nullptr, false, {"format"}},
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
  router.add("GET", "/api/v1/contact-duplicates", true,
             {"Deduplication on demand: the organisation's contacts that are one person by the "
              "import's rules (same email, same phone, or same name at the same company), in "
              "groups with the reasons and the contacts; merge them with "
              "POST /api/v1/contacts/{id}/merge",
              "imports", Shape::object, nullptr, false, {"limit"}},
             [&imports, &slow_work](Call& c, Reply reply) {
               std::size_t limit = 100;
               for (const auto& [k, v] : c.request.query) {
                 if (k != "limit") throw Problem::bad_request("unknown parameter " + k + " (limit)", k);
                 limit = domain::parse_limit(k, v, 1000);
               }
               offload(slow_work, std::move(reply), [&imports, p = c.principal, limit](Reply& r) {
                 r(json_response(200, imports.duplicates(p, limit)));
               });
             });
}

}  // namespace relance::api
