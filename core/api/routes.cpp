#include "api/routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

#include "api/openapi.hpp"
#include "api/export_routes.hpp"
#include "api/followup_routes.hpp"
#include "api/import_routes.hpp"
#include "api/merge_routes.hpp"
#include "api/plugin_routes.hpp"
#include "api/problem_response.hpp"
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
    throw Problem(415, "Unsupported media type", "send the body as application/json");
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

Response read_response(services::ReadResult r) {
  Response resp{200, "application/json", std::move(r.body), {}, {}};
  resp.headers.emplace_back("ETag", r.etag);
  return resp;
}

// If-Match: "<id>-<version>" (weak or strong), or * for any version.
std::optional<std::int64_t> expected_version(const Request& req, std::int64_t id) {
  std::string_view m = req.if_match;
  if (m.empty() || m == "*") return std::nullopt;
  if (m.starts_with("W/")) m.remove_prefix(2);
  auto fail = [&]() -> std::optional<std::int64_t> {
    throw Problem(412, "Precondition failed", "If-Match does not match this resource's ETag");
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

std::string idempotency_key(const Request& req) {
  const std::string& k = req.idempotency_key;
  if (k.size() > 200)
    throw Problem::bad_request("Idempotency-Key is longer than 200 characters", "Idempotency-Key");
  for (char c : k)
    if (c < 0x21 || c > 0x7e)
      throw Problem::bad_request("Idempotency-Key must be printable ASCII", "Idempotency-Key");
  return k;
}

std::string request_digest(const Request& req, const std::string& key) {
  return key.empty() ? std::string() : auth::digest(req.method + " " + req.path + "\n" + req.body);
}

// Completes a write: the committed result, or the error as a problem document.
services::WriteCallback replying(Reply reply, std::string location_prefix) {
  return [reply = std::move(reply), location_prefix = std::move(location_prefix)](
             std::exception_ptr err, services::WriteResult r) {
    if (err) return reply(error_response(err));
    Response resp{r.status, "application/json", std::move(r.body), {}, {}};
    if (r.status == 204) resp.content_type.clear();
    if (!r.etag.empty()) resp.headers.emplace_back("ETag", r.etag);
    if (r.status == 201 && !location_prefix.empty() && r.id > 0)
      resp.headers.emplace_back("Location", location_prefix + "/" + std::to_string(r.id));
    reply(std::move(resp));
  };
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

void add_record_routes(Router& router, const ApiServices& s, const storage::Entity& e) {
  const std::string base = "/api/v1/" + std::string(e.name);
  const std::string one = base + "/{id}";
  const std::string tag(e.name);
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
               std::string key = idempotency_key(c.request);
               std::string digest = request_digest(c.request, key);
               records.create(c.principal,
                              services::CreateRecord{e, std::move(body), {std::move(key), std::move(digest)}},
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

void add_account_routes(Router& router, const ApiServices& s) {
  auto& acc = s.accounts;
  auto& pool = s.slow_work;
  const ApiLimits limits = s.limits;

  router.add("POST", "/api/v1/auth/login", false,
             {"Log in with email and password; returns a session token", "auth", Shape::object,
              nullptr, true},
             [&acc, &pool, limits](Call& c, Reply reply) {
               json::object body = parse_json_object(c.request, limits);
               auto field = [&](const char* name) {
                 auto it = body.find(name);
                 if (it == body.end() || !it->value().is_string())
                   throw Problem::invalid(name, std::string(name) + " is required");
                 return std::string(it->value().get_string());
               };
               for (const auto& kv : body)
                 if (kv.key() != "email" && kv.key() != "password")
                   throw Problem::bad_request("unknown field " + std::string(kv.key()),
                                              std::string(kv.key()));
               offload(pool, std::move(reply),
                       [&acc, email = field("email"), password = field("password"),
                        address = c.request.remote_address](Reply& r) {
                         auto in = acc.login(email, password, address);
                         r(json_response(200, json::object{{"token", in.token},
                                                           {"expires_at", in.expires_at},
                                                           {"user", in.user}}));
                       });
             });
  router.add("POST", "/api/v1/auth/logout", true,
             {"Revoke the token of this request", "auth", Shape::no_content},
             [&acc](Call& c, Reply reply) { acc.logout(c.principal, replying(std::move(reply))); });
  router.add("GET", "/api/v1/me", true,
             {"Who am I: the caller's user and organisation", "auth", Shape::object},
             [&acc](Call& c, Reply reply) { reply(json_response(200, acc.me(c.principal))); });

  const auto& tok = ent::api_tokens;
  router.add("GET", "/api/v1/tokens", true, {"List my tokens", "tokens", Shape::page, &tok},
             [&acc](Call& c, Reply reply) {
               static const services::ListRequest by_id;  // the order of list_tokens' page
               reply(page_response(acc.list_tokens(c.principal), &by_id));
             });
  router.add("POST", "/api/v1/tokens", true,
             {"Create a personal API token (shown once)", "tokens", Shape::created, &tok, true},
             [&acc, limits](Call& c, Reply reply) {
               acc.create_token(c.principal, parse_json_object(c.request, limits),
                                replying(std::move(reply), "/api/v1/tokens"));
             });
  router.add("DELETE", "/api/v1/tokens/{id}", true,
             {"Revoke a token", "tokens", Shape::no_content, &tok},
             [&acc](Call& c, Reply reply) {
               acc.revoke_token(c.principal, c.ids[0], replying(std::move(reply)));
             });

  const auto& users = ent::users;
  router.add("GET", "/api/v1/users", true,
             {"List users", "users", Shape::page, &users, false,
              domain::list_parameters(users)},
             [&acc, &users](Call& c, Reply reply) {
               const services::ListRequest request = parse_list_request(users, c.request.query);
               reply(page_response(acc.list_users(c.principal, request), &request));
             });
  router.add("POST", "/api/v1/users", true,
             {"Create a user (org-admin); body also takes password", "users", Shape::created, &users, true},
             [&acc, &pool, limits](Call& c, Reply reply) {
               offload(pool, std::move(reply),
                       [&acc, p = c.principal, body = parse_json_object(c.request, limits)](Reply& r) {
                         acc.create_user(p, body, replying(r, "/api/v1/users"));
                       });
             });
  router.add("GET", "/api/v1/users/{id}", true, {"Read a user", "users", Shape::entity, &users},
             [&acc](Call& c, Reply reply) {
               reply(read_response(acc.get_user(c.principal, c.ids[0])));
             });
  router.add("PATCH", "/api/v1/users/{id}", true,
             {"Change a user (self; an org-admin their organisation's members and org-admins; the "
              "admin anyone); body also takes password, and current_password to change one's own",
              "users", Shape::entity, &users, true, {}, true},
             [&acc, &pool, limits](Call& c, Reply reply) {
               offload(pool, std::move(reply),
                       [&acc, p = c.principal, id = c.ids[0], body = parse_json_object(c.request, limits),
                        version = expected_version(c.request, c.ids[0])](Reply& r) {
                         acc.update_user(p, id, body, version, replying(r));
                       });
             });
  router.add("DELETE", "/api/v1/users/{id}", true,
             {"Disable a user (their sessions and tokens are revoked)", "users", Shape::entity, &users},
             [&acc](Call& c, Reply reply) {
               acc.disable_user(c.principal, c.ids[0], replying(std::move(reply)));
             });

  const auto& orgs = ent::organisations;
  router.add("GET", "/api/v1/organisations", true,
             {"List organisations", "organisations", Shape::page, &orgs, false,
              domain::list_parameters(orgs)},
             [&acc, &orgs](Call& c, Reply reply) {
               const services::ListRequest request = parse_list_request(orgs, c.request.query);
               reply(page_response(acc.list_organisations(c.principal, request), &request));
             });
  router.add("POST", "/api/v1/organisations", true,
             {"Create an organisation (admin)", "organisations", Shape::created, &orgs, true},
             [&acc, limits](Call& c, Reply reply) {
               acc.create_organisation(c.principal, parse_json_object(c.request, limits),
                                       replying(std::move(reply), "/api/v1/organisations"));
             });
  router.add("GET", "/api/v1/organisations/{id}", true,
             {"Read an organisation", "organisations", Shape::entity, &orgs},
             [&acc](Call& c, Reply reply) {
               reply(read_response(acc.get_organisation(c.principal, c.ids[0])));
             });
  router.add("PATCH", "/api/v1/organisations/{id}", true,
             {"Change an organisation (its org-admin, or admin)", "organisations", Shape::entity,
              &orgs, true, {}, true},
             [&acc, limits](Call& c, Reply reply) {
               acc.update_organisation(c.principal, c.ids[0], parse_json_object(c.request, limits),
                                       expected_version(c.request, c.ids[0]),
                                       replying(std::move(reply)));
             });
  router.add("GET", "/api/v1/audit", true,
             {"The organisation's audit log, newest first (org-admin)", "audit", Shape::page,
              nullptr, false, {"limit", "cursor"}},
             [&acc](Call& c, Reply reply) {
               services::IdPaging paging;
               for (const auto& [k, v] : c.request.query)
                 if (!read_id_paging(paging, k, v)) throw Problem::bad_request("unknown query parameter " + k, k);
               reply(page_response(acc.audit_log(c.principal, paging)));
             });
}

void add_operation_routes(Router& router, const ApiServices& s) {
  router.add("GET", "/healthz", false, {"Liveness: the process answers", "operations", Shape::object},
             [](Call&, Reply reply) { reply(json_response(200, json::object{{"status", "ok"}})); });
  auto& store = s.store;
  auto draining = s.draining;
  router.add("GET", "/readyz", false,
             {"Readiness: the database answers and the daemon is not stopping", "operations",
              Shape::object},
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
  add_account_routes(router, s);
  for (const storage::Entity* e :
       {&ent::contacts, &ent::companies, &ent::leads, &ent::activities, &ent::followups,
        &ent::outcomes, &ent::events, &ent::cadence_rules})
    add_record_routes(router, s, *e);
  add_merge_routes(router, s.merges, s.limits);
  add_plugin_routes(router, s.plugins, s.limits);
  add_export_routes(router, s.exports);
  if (s.imports) add_import_routes(router, *s.imports, s.slow_work);
  add_followup_routes(router, s.followups);
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
