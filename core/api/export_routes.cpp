// Routes of the exports: the formats the loaded exporter plugins offer, and a file of
// records in one of them, streamed (plugins/export_service.hpp).
#include "api/export_routes.hpp"

#include "api/problem_response.hpp"
#include "api/routes.hpp"

namespace relance::api {
using Shape = RouteDoc::Shape;

void add_export_routes(Router& router, exports::ExportService& exports) {
  router.add("GET", "/api/v1/exports", true,
             {"The export formats of the loaded plugins, their options, and the datasets", "exports",
              Shape::object},
             [&exports](Call&, Reply reply) { reply(json_response(200, exports.formats())); });
  std::vector<std::string> params = exports::ExportService::parameters();
  params.emplace_back("<option>");
  params.emplace_back("<list filter>");
  router.add("GET", "/api/v1/exports/{format}", true,
             {"A file of one or more datasets (dataset=contacts,leads) in a format, streamed; the list "
              "filters and the format's options as query parameters",
              "exports", Shape::text, nullptr, false, params},
             [&exports](Call& c, Reply reply) {
               exports.start(c.principal, c.names[0], c.request.query,
                             [reply](std::exception_ptr error, exports::ExportStarted s) {
                               if (error) return reply(error_response(error));
                               Response r;
                               r.status = 200;
                               r.content_type = s.content_type;
                               r.headers.emplace_back("Content-Disposition",
                                                      "attachment; filename=\"" + s.filename + "\"");
                               r.headers.emplace_back("Cache-Control", "no-store");
                               r.stream = std::move(s.body);
                               reply(std::move(r));
                             });
             });
}

}  // namespace relance::api
