// The routes of the API, registered on a Router.
#pragma once

#include <functional>
#include <string>

#include "api/list_query.hpp"
#include "api/metrics.hpp"
#include "api/outcome_response.hpp"
#include "api/router.hpp"
#include "api/web_app.hpp"
#include "followups/followup_service.hpp"
#include "imports/import_service.hpp"
#include "reports/report_service.hpp"
#include "exports/export_service.hpp"
#include "services/plugin_service.hpp"
#include "services/account_service.hpp"
#include "services/contact_merges.hpp"
#include "services/record_service.hpp"
#include "services/share_requests.hpp"
#include "services/work_pool.hpp"

namespace relance::api {

struct ApiLimits {
  std::size_t max_json_depth = 32;
};

struct ApiServices {
  storage::Store& store;
  services::RecordService& records;
  services::ContactMergeService& merges;
  services::ShareRequestService& share_requests;
  services::AccountService& accounts;
  services::PluginService& plugins;
  exports::ExportService& exports;
  followups::FollowupService& followups;
  Metrics& metrics;
  services::WorkPool& slow_work;  // password hashing, off the HTTP threads
  ApiLimits limits;
  std::function<bool()> draining;  // true once shutdown has begun (readyz answers 503)
  imports::ImportService* imports = nullptr;  // contact imports (none: no import routes)
  reports::ReportService* reports = nullptr;  // the mission's reports (none: no report routes)
  std::shared_ptr<const WebApp> web;  // the web app at / (none: no page routes)
};

// Every route: health and metrics, the OpenAPI document, auth, accounts, and CRUD of each
// organisation record entity.
void add_routes(Router& router, const ApiServices& s);

// Body helpers shared by the handlers.
boost::json::object parse_json_object(const Request& request, const ApiLimits& limits);
Response json_response(int status, const boost::json::value& body);
// If-Match: "<id>-<version>" (weak or strong), or * for any version. Throws 412.
std::optional<std::int64_t> expected_version(const Request& req, std::int64_t id);
// The request's Idempotency-Key (none when absent; 400 when malformed) and what identifies
// the request it came with (method, path, query and body), for a create that honours it.
services::Idempotency idempotency_of(const Request& req);
// Runs `work` on the pool for slow work, off the HTTP threads; its errors become problem
// documents.
void offload(services::WorkPool& pool, Reply reply, std::function<void(Reply&)> work);

}  // namespace relance::api
