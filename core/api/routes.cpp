#include "api/routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <initializer_list>

#include "api/openapi.hpp"
#include "api/account_routes.hpp"
#include "api/export_routes.hpp"
#include "api/followup_routes.hpp"
#include "api/import_routes.hpp"
#include "api/merge_routes.hpp"
#include "api/plugin_routes.hpp"
#include "api/problem_response.hpp"
#include "api/report_routes.hpp"
#include "api/share_request_routes.hpp"
#include "auth/secrets.hpp"
#include "domain/json_text.hpp"
#include "domain/list_vocabulary.hpp"
#include "domain/text.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;
namespace ent = storage::entities;

json::object parse_json_object(const Request& request, const ApiLimits& limits) {
  // Media types are case-insensitive and may carry parameters (RFC 9110 §8.3.1):
  // application/json or application/<anything>+json.
  std::string type = domain::fold_ascii_case(request.content_type.substr(0, request.content_type.find(';')));
  type = domain::trim(type);
  const bool is_json = type == "application/json" ||
                       (type.rfind("application/", 0) == 0 && type.size() > 17 &&
                        type.ends_with("+json"));
  if (!is_json)
    throw Problem(Problem::Kind::unsupported_type, "Unsupported media type", "send the body as application/json");
  if (!domain::valid_utf8(request.body))
    throw Problem::bad_request("the body is not valid UTF-8");
  json::parse_options opt;
  opt.max_depth = limits.max_json_depth;
  boost::system::error_code ec;
  json::value v = json::parse(request.body, ec, {}, opt);
  if (ec == json::error::too_deep)
    throw Problem::bad_request("the JSON body is nested deeper than " +
                               std::to_string(limits.max_json_depth) + " levels");
  if (ec) throw Problem::bad_request("the body is not valid JSON: " + ec.message());
  if (!v.is_object()) throw Problem::bad_request("the body must be a JSON object");
  return std::move(v.get_object());
}

Response json_response(int status, const json::value& body) {
  return Response{status, "application/json", json::serialize(body), {}, {}};
}

// If-Match: "<id>-<version>" (weak or strong, as etag_of writes it), or * for any version.
std::optional<std::int64_t> expected_version(const Request& req, std::int64_t id) {
  std::string_view m = req.if_match;
  if (m.empty() || m == "*") return std::nullopt;
  if (m.starts_with("W/")) m.remove_prefix(2);
  auto fail = [&]() -> std::optional<std::int64_t> {
    throw Problem(Problem::Kind::changed, "Precondition failed", "If-Match does not match this resource's ETag");
  };
  if (m.size() < 5 || m.front() != '"' || m.back() != '"') return fail();
  m = m.substr(1, m.size() - 2);
  const auto dash = m.find('-');
  if (dash == std::string_view::npos) return fail();
  std::int64_t got_id = 0, version = 0;
  auto r1 = std::from_chars(m.data(), m.data() + dash, got_id);
  auto r2 = std::from_chars(m.data() + dash + 1, m.data() + m.size(), version);
  if (r1.ec != std::errc() || r2.ec != std::errc() || got_id != id) return fail();
  return version;
}

services::Idempotency idempotency_of(const Request& req) {
  const std::string& k = req.idempotency_key;
  if (k.size() > 200)
    throw Problem::bad_request("Idempotency-Key is longer than 200 characters", "Idempotency-Key");
  for (char c : k)
    if (c < 0x21 || c > 0x7e)
      throw Problem::bad_request("Idempotency-Key must be printable ASCII", "Idempotency-Key");
  if (k.empty()) return {};
  // The query counts where there is one (an import's options); without one the digest is
  // what keys remembered by earlier versions were stored with.
  std::string what = req.method + " " + req.path;
  for (std::size_t i = 0; i < req.query.size(); ++i)
    what += (i == 0 ? "?" : "&") + req.query[i].first + "=" + req.query[i].second;
  return services::Idempotency{k, auth::digest(what + "\n" + req.body)};
}

void offload(services::WorkPool& pool, Reply reply, std::function<void(Reply&)> work) {
  pool.post([reply = std::move(reply), work = std::move(work)]() mutable {
    try {
      work(reply);
    } catch (...) {
      reply(error_response(std::current_exception()));
    }
  });
}

namespace {

// `segment`: the collection's name in its URL, the entity's name unless given (the
// exchange rates' is exchange-rates, as the URLs of the API's newer collections are).
void add_record_routes(Router& router, const ApiServices& s, const storage::Entity& e, std::string_view segment = {}) {
  const std::string tag(segment.empty() ? e.name : segment);
  const std::string base = "/api/v1/" + tag;
  const std::string one = base + "/{id}";
  const std::string noun(e.singular);
  auto& records = s.records;
  const ApiLimits limits = s.limits;

  router.add("GET", base, true,
             {"List " + tag + " (filters, search, sort, cursor pagination)", tag, Shape::page, &e,
              false, domain::list_parameters(e)},
             [&records, &e](Call& c, Reply reply) {
               const services::ListRequest request = parse_list_request(e, c.request.query);
               reply(page_response(records.list(c.principal, e, request), &request));
             });
  router.add("POST", base, true,
             {"Create a " + noun, tag, Shape::created, &e, true, {}, false, true},
             [&records, &e, base, limits](Call& c, Reply reply) {
               json::object body = parse_json_object(c.request, limits);
               records.create(c.principal, services::CreateRecord{e, std::move(body), idempotency_of(c.request)},
                              answering(std::move(reply), base));
             });
  router.add("GET", one, true, {"Read one " + noun, tag, Shape::entity, &e},
             [&records, &e](Call& c, Reply reply) {
               reply(record_response(records.get(c.principal, e, c.ids[0])));
             });
  router.add("PATCH", one, true,
             {"Change fields of a " + noun, tag, Shape::entity, &e, true, {}, true},
             [&records, &e, limits](Call& c, Reply reply) {
               json::object body = parse_json_object(c.request, limits);
               records.update(c.principal,
                              services::UpdateRecord{e, c.ids[0], std::move(body), expected_version(c.request, c.ids[0])},
                              answering(std::move(reply)));
             });
  router.add("DELETE", one, true,
             {"Delete a " + noun, tag, Shape::no_content, &e, false, {}, true},
             [&records, &e](Call& c, Reply reply) {
               records.remove(c.principal, services::DeleteRecord{e, c.ids[0], expected_version(c.request, c.ids[0])},
                              answering(std::move(reply)));
             });
}

// /healthz and /readyz answer {"status": ...}, /readyz with 503 while not ready.
RouteDoc health_doc(std::string summary, std::initializer_list<const char*> states, bool may_be_unready) {
  json::array names;
  for (const char* st : states) names.emplace_back(st);
  RouteDoc d{std::move(summary), "operations", Shape::object};
  d.result_schema = json::object{{"type", "object"},
                                 {"required", json::array{"status"}},
                                 {"properties", {{"status", {{"type", "string"}, {"enum", std::move(names)}}}}}};
  if (may_be_unready)
    d.responses["503"] = doc_response("Not ready", doc_content({"application/json"}, d.result_schema));
  return d;
}

void add_operation_routes(Router& router, const ApiServices& s) {
  router.add("GET", "/healthz", false, health_doc("Liveness: the process answers", {"ok"}, false),
             [](Call&, Reply reply) { reply(json_response(200, json::object{{"status", "ok"}})); });
  auto& store = s.store;
  auto draining = s.draining;
  router.add("GET", "/readyz", false,
             health_doc("Readiness: the database answers and the daemon is not stopping", {"ready", "not ready"}, true),
             [&store, draining](Call&, Reply reply) {
               const bool ready = !draining() && store.ready();
               reply(json_response(ready ? 200 : 503,
                                   json::object{{"status", ready ? "ready" : "not ready"}}));
             });
  auto& metrics = s.metrics;
  router.add("GET", "/metrics", false,
             {"Prometheus metrics: requests, latencies, database and queue figures", "operations",
              Shape::text},
             [&metrics, &store](Call&, Reply reply) {
               reply(Response{200, "text/plain; version=0.0.4; charset=utf-8",
                              metrics.render(store.stats()), {}, {}});
             });
}

}  // namespace

void add_routes(Router& router, const ApiServices& s) {
  add_operation_routes(router, s);
  add_account_routes(router, s.accounts, s.slow_work, s.limits);
  for (const storage::Entity* e :
       {&ent::contacts, &ent::companies, &ent::leads, &ent::activities, &ent::followups,
        &ent::outcomes, &ent::events, &ent::cadence_rules})
    add_record_routes(router, s, *e);
  add_record_routes(router, s, ent::exchange_rates, "exchange-rates");
  add_merge_routes(router, s.merges, s.limits);
  add_share_request_routes(router, s.share_requests, s.limits);
  add_plugin_routes(router, s.plugins, s.slow_work, s.limits);
  add_export_routes(router, s.exports);
  if (s.imports) add_import_routes(router, *s.imports, s.slow_work);
  add_followup_routes(router, s.followups);
  if (s.reports) add_report_routes(router, *s.reports, s.exports);
  if (s.web) add_web_app_routes(router, s.web);
  // Last, so that the document covers every route above.
  auto doc = std::make_shared<std::string>();
  router.add("GET", "/api/v1/openapi.json", false,
             {"This OpenAPI 3.1 document", "operations", Shape::object},
             [doc](Call&, Reply reply) {
               reply(Response{200, "application/json", *doc, {}, {}});
             });
  *doc = json::serialize(openapi_document(router));
}

}  // namespace relance::api
