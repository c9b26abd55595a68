#include "api/account_routes.hpp"

#include "api/outcome_response.hpp"
#include "api/problem_response.hpp"
#include "domain/list_vocabulary.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;
namespace ent = storage::entities;

namespace {

struct Credentials {
  std::string email;
  std::string password;
};

// The login body holds exactly an email and a password, both strings.
Credentials login_credentials(const json::object& body) {
  for (const auto& kv : body)
    if (kv.key() != "email" && kv.key() != "password")
      throw Problem::bad_request("unknown field " + std::string(kv.key()), std::string(kv.key()));
  auto field = [&](const char* name) {
    auto it = body.find(name);
    if (it == body.end() || !it->value().is_string())
      throw Problem::invalid(name, std::string(name) + " is required");
    return std::string(it->value().get_string());
  };
  // email first: a body missing both names email in its problem.
  std::string email = field("email");
  return {std::move(email), field("password")};
}

void add_session_routes(Router& router, services::AccountService& acc, services::WorkPool& pool,
                        const ApiLimits& limits) {
  router.add("POST", "/api/v1/auth/login", false,
             {"Log in with email and password; returns a session token", "auth", Shape::object,
              nullptr, true},
             [&acc, &pool, limits](Call& c, Reply reply) {
               Credentials in = login_credentials(parse_json_object(c.request, limits));
               offload(pool, std::move(reply),
                       [&acc, in = std::move(in), address = c.request.remote_address](Reply& r) {
                         auto session = acc.login(in.email, in.password, address);
                         r(json_response(200, json::object{{"token", session.token},
                                                           {"expires_at", session.expires_at},
                                                           {"user", session.user}}));
                       });
             });
  router.add("POST", "/api/v1/auth/logout", true,
             {"Revoke the token of this request", "auth", Shape::no_content},
             [&acc](Call& c, Reply reply) { acc.logout(c.principal, answering(std::move(reply))); });
  router.add("GET", "/api/v1/me", true,
             {"Who am I: the caller's user and organisation", "auth", Shape::object},
             [&acc](Call& c, Reply reply) { reply(json_response(200, acc.me(c.principal))); });
}

void add_token_routes(Router& router, services::AccountService& acc, const ApiLimits& limits) {
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
                                answering(std::move(reply), "/api/v1/tokens"));
             });
  router.add("DELETE", "/api/v1/tokens/{id}", true,
             {"Revoke a token", "tokens", Shape::no_content, &tok},
             [&acc](Call& c, Reply reply) {
               acc.revoke_token(c.principal, c.ids[0], answering(std::move(reply)));
             });
}

// User writes may hash a password, so they run on the slow-work pool.
void add_user_routes(Router& router, services::AccountService& acc, services::WorkPool& pool,
                     const ApiLimits& limits) {
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
                         acc.create_user(p, body, answering(r, "/api/v1/users"));
                       });
             });
  router.add("GET", "/api/v1/users/{id}", true, {"Read a user", "users", Shape::entity, &users},
             [&acc](Call& c, Reply reply) {
               reply(record_response(acc.get_user(c.principal, c.ids[0])));
             });
  router.add("PATCH", "/api/v1/users/{id}", true,
             {"Change a user (self; an org-admin their organisation's members and org-admins; the "
              "admin anyone); body also takes password, and current_password to change one's own",
              "users", Shape::entity, &users, true, {}, true},
             [&acc, &pool, limits](Call& c, Reply reply) {
               offload(pool, std::move(reply),
                       [&acc, p = c.principal, id = c.ids[0], body = parse_json_object(c.request, limits),
                        version = expected_version(c.request, c.ids[0])](Reply& r) {
                         acc.update_user(p, id, body, version, answering(r));
                       });
             });
  router.add("DELETE", "/api/v1/users/{id}", true,
             {"Disable a user (their sessions and tokens are revoked)", "users", Shape::entity, &users},
             [&acc](Call& c, Reply reply) {
               acc.disable_user(c.principal, c.ids[0], answering(std::move(reply)));
             });
}

void add_organisation_routes(Router& router, services::AccountService& acc, const ApiLimits& limits) {
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
                                       answering(std::move(reply), "/api/v1/organisations"));
             });
  router.add("GET", "/api/v1/organisations/{id}", true,
             {"Read an organisation", "organisations", Shape::entity, &orgs},
             [&acc](Call& c, Reply reply) {
               reply(record_response(acc.get_organisation(c.principal, c.ids[0])));
             });
  router.add("PATCH", "/api/v1/organisations/{id}", true,
             {"Change an organisation (its org-admin, or admin)", "organisations", Shape::entity,
              &orgs, true, {}, true},
             [&acc, limits](Call& c, Reply reply) {
               acc.update_organisation(c.principal, c.ids[0], parse_json_object(c.request, limits),
                                       expected_version(c.request, c.ids[0]),
                                       answering(std::move(reply)));
             });
}

void add_audit_route(Router& router, services::AccountService& acc) {
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

}  // namespace

void add_account_routes(Router& router, services::AccountService& accounts,
                        services::WorkPool& slow_work, const ApiLimits& limits) {
  add_session_routes(router, accounts, slow_work, limits);
  add_token_routes(router, accounts, limits);
  add_user_routes(router, accounts, slow_work, limits);
  add_organisation_routes(router, accounts, limits);
  add_audit_route(router, accounts);
}

}  // namespace relance::api
