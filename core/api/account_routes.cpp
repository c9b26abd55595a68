#include "api/account_routes.hpp"

#include <algorithm>
#include <initializer_list>

#include <boost/url/parse_query.hpp>

#include "api/browser_origin.hpp"
#include "api/html_page.hpp"
#include "api/list_query.hpp"
#include "api/openapi.hpp"
#include "api/outcome_response.hpp"
#include "api/problem_response.hpp"
#include "api/web_session.hpp"
#include "domain/messages.hpp"
#include "domain/list_vocabulary.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;
namespace ent = storage::entities;

namespace {

struct Credentials {
  std::string email;
  std::string password;
  bool cookie = false;  // the web app's session: a cookie instead of a token in the body
};

// The login body holds an email and a password, both strings, and may ask for a cookie.
Credentials login_credentials(const json::object& body) {
  for (const auto& kv : body)
    if (kv.key() != "email" && kv.key() != "password" && kv.key() != "cookie")
      throw Problem::bad_request("unknown field " + std::string(kv.key()), std::string(kv.key()));
  bool cookie = false;
  if (auto it = body.find("cookie"); it != body.end()) {
    if (!it->value().is_bool()) throw Problem::invalid("cookie", "cookie is true or false");
    cookie = it->value().get_bool();
  }
  auto field = [&](const char* name) {
    auto it = body.find(name);
    if (it == body.end() || !it->value().is_string())
      throw Problem::invalid(name, std::string(name) + " is required");
    return std::string(it->value().get_string());
  };
  // email first: a body missing both names email in its problem.
  std::string email = field("email");
  std::string password = field("password");
  return {std::move(email), std::move(password), cookie};
}

void add_session_routes(Router& router, services::AccountService& acc, services::WorkPool& pool,
                        const ApiLimits& limits) {
  const json::object text{{"type", "string"}};
  RouteDoc login{"Log in with email and password; returns a session token, or sets the web app's session cookie",
                 "auth", Shape::object, nullptr, true};
  login.body_schema = json::object{
      {"type", "object"},
      {"required", json::array{"email", "password"}},
      {"properties",
       {{"email", text},
        {"password", text},
        {"cookie", {{"type", "boolean"},
                    {"description", "true: the session is an HttpOnly cookie (Set-Cookie: relance_session), "
                                    "for the web app, and the answer holds no token"}}}}}};
  login.result_schema = json::object{
      {"type", "object"},
      {"required", json::array{"expires_at", "user"}},
      {"properties", {{"token", {{"type", "string"}, {"description", "For Authorization: Bearer (absent with cookie: true)"}}},
                      {"expires_at", {{"type", "string"}, {"format", "date-time"}}},
                      {"user", {{"$ref", "#/components/schemas/User"}}}}}};
  login.responses["200"] = doc_response(
      "Logged in", doc_content({"application/json"}, login.result_schema),
      json::object{{"Set-Cookie", doc_header("With cookie: true, the session cookie (HttpOnly; SameSite=Lax; Path=/; "
                                             "Secure over TLS)")}});
  login.responses["403"] = doc_problem("A cookie login another site's page made the browser send");
  login.responses["429"] = doc_problem("Too many failed attempts: wait Retry-After seconds");
  RouteDoc logout{"Revoke the token of this request (and clear the web app's session cookie)", "auth",
                  Shape::no_content};
  logout.responses["204"] = doc_response(
      "Done (committed)", {}, json::object{{"Set-Cookie", doc_header("The session cookie, cleared")}});
  RouteDoc me{"Who am I: the caller's user and organisation", "auth", Shape::object};
  json::object me_extra{{"type", "object"}, {"required", json::array{"token_scope"}}};
  me_extra["properties"] = json::object{
      {"organisation", {{"$ref", "#/components/schemas/Organisation"}}},
      {"token_scope", {{"type", "string"}, {"enum", json::array{"read", "read-write"}}}}};
  me.result_schema = json::object{
      {"allOf", json::array{json::object{{"$ref", "#/components/schemas/User"}}, std::move(me_extra)}}};
  router.add("POST", "/api/v1/auth/login", false, std::move(login),
             [&acc, &pool, &router, limits](Call& c, Reply reply) {
               Credentials in = login_credentials(parse_json_object(c.request, limits));
               // Another site's page must not log the browser in to an account of its choosing.
               if (in.cookie && from_another_origin(c.request, router.public_url()))
                 throw Problem::forbidden("a cookie login must come from the web app's own page");
               const bool secure = reached_over_tls(c.request, router.public_url());
               offload(pool, std::move(reply),
                       [&acc, in = std::move(in), address = c.request.remote_address, secure](Reply& r) {
                         auto session = acc.login(in.email, in.password, address);
                         json::object body{{"expires_at", session.expires_at}, {"user", session.user}};
                         if (!in.cookie) body["token"] = session.token;
                         Response answer = json_response(200, body);
                         if (in.cookie) answer.headers.emplace_back("Set-Cookie", session_cookie(session.token, secure));
                         r(std::move(answer));
                       });
             });
  router.add("POST", "/api/v1/auth/logout", true, std::move(logout), [&acc, &router](Call& c, Reply reply) {
    // The browser forgets the cookie as the server forgets its token.
    const bool secure = reached_over_tls(c.request, router.public_url());
    acc.logout(c.principal, answering([reply = std::move(reply), secure](Response r) {
                 if (r.status < 300) r.headers.emplace_back("Set-Cookie", cleared_session_cookie(secure));
                 reply(std::move(r));
               }));
  });
  router.add("GET", "/api/v1/me", true, std::move(me),
             [&acc](Call& c, Reply reply) { reply(json_response(200, acc.me(c.principal))); });
}

// The string `name` of a body that holds exactly the fields `names`.
std::string body_string(const json::object& body, std::initializer_list<std::string_view> names, const char* name) {
  for (const auto& kv : body)
    if (std::find(names.begin(), names.end(), kv.key()) == names.end())
      throw Problem::bad_request("unknown field " + std::string(kv.key()), std::string(kv.key()));
  auto it = body.find(name);
  if (it == body.end() || !it->value().is_string()) throw Problem::invalid(name, std::string(name) + " is required");
  return std::string(it->value().get_string());
}

// The fields of an HTML form's body (application/x-www-form-urlencoded), decoded.
std::vector<std::pair<std::string, std::string>> form_fields(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> out;
  auto params = boost::urls::parse_query(body);
  if (!params) throw Problem::bad_request("the form's body cannot be read");
  for (const auto& p : *params) {
    auto key = p.key.decode();
    out.emplace_back(key, p.has_value ? p.value.decode() : std::string());
  }
  return out;
}

std::string form_field(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view name) {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return {};
}

// The form of a set-password link. The link's token travels in a hidden field; nothing is
// checked before the POST, so that a mail scanner fetching the link uses nothing up. Its
// language is the browser's (browser_locale): the token is not read to find the person
// before they submit.

Response password_page(domain::Locale locale, const std::string& token, const std::string& warning) {
  const auto say = [locale](std::string_view key) { return escape_html(domain::message(locale, key)); };
  const std::string lang(domain::locale_tag(locale));
  if (token.empty()) return html_page(400, domain::message(locale, "password.title"), "<p>" + say("password.no_token") + "</p>", lang);
  return html_page(
      warning.empty() ? 200 : 422, domain::message(locale, "password.title"),
      (warning.empty() ? std::string() : "<p role=\"alert\">" + escape_html(warning) + "</p>") +
          "<form method=\"post\" action=\"/api/v1/auth/password\" aria-labelledby=\"title\">"
          "<input type=\"hidden\" name=\"token\" value=\"" + escape_html(token) + "\">"
          "<p><label>" + say("password.new") + " <input type=\"password\" name=\"password\" "
          "minlength=\"10\" autocomplete=\"new-password\" required></label></p>"
          "<p><label>" + say("password.again") + " <input type=\"password\" name=\"confirm\" minlength=\"10\" "
          "autocomplete=\"new-password\" required></label></p>"
          "<p><button type=\"submit\">" + say("password.submit") + "</button></p></form>"
          "<p>" + say("password.once") + "</p>",
      lang);
}

json::object link_json(const services::PasswordLink& link) {
  json::object o{{"link", link.link}, {"expires_at", link.expires_at}, {"emailed", link.emailed}};
  if (!link.mail_error.empty()) o["mail_error"] = link.mail_error;
  return o;
}

// Set-password links: an administrator's for a user, a user's own reset by email, and the
// use of a link. Each hashes or checks a password or writes: on the slow-work pool.
void add_password_routes(Router& router, services::AccountService& acc, services::WorkPool& pool,
                         const ApiLimits& limits) {
  RouteDoc issue{"A one-time set-password link for a user (an invitation when they have no password yet), "
                 "emailed to them when the instance has a mail setting",
                 "users", Shape::created};
  issue.result_schema = json::object{
      {"type", "object"},
      {"properties", json::object{{"link", {{"type", "string"}, {"format", "uri"}}},
                                  {"expires_at", {{"type", "string"}, {"format", "date-time"}}},
                                  {"emailed", {{"type", "boolean"}}},
                                  {"mail_error", {{"type", "string"}}}}}};
  router.add("POST", "/api/v1/users/{id}/password-link", true, std::move(issue),
             [&acc, &pool](Call& c, Reply reply) {
               offload(pool, std::move(reply), [&acc, p = c.principal, id = c.ids[0]](Reply& r) {
                 r(json_response(201, link_json(acc.issue_password_link(p, id))));
               });
             });
  RouteDoc ask{"Ask for a set-password link by email (202 whether or not the account exists)", "auth",
               Shape::object, nullptr, true};
  ask.body_schema = json::object{{"type", "object"},
                                 {"required", json::array{"email"}},
                                 {"properties", json::object{{"email", {{"type", "string"}}}}}};
  ask.responses["200"] = nullptr;
  ask.responses["429"] = doc_problem("Too many links asked for this address or from this client: wait Retry-After seconds");
  ask.responses["202"] = doc_response(
      "Accepted, whether or not the address has an account",
      doc_content({"application/json"}, {{"type", "object"}, {"properties", {{"detail", {{"type", "string"}}}}}}));
  router.add("POST", "/api/v1/auth/password-reset", false, std::move(ask),
             [&acc, &pool, limits](Call& c, Reply reply) {
               std::string email = body_string(parse_json_object(c.request, limits), {"email"}, "email");
               offload(pool, std::move(reply),
                       [&acc, email = std::move(email), address = c.request.remote_address](Reply& r) {
                         acc.request_password_reset(email, address, [&r] {
                           r(json_response(202, json::object{
                               {"detail", "if this address has an account, a link to set its password was sent to it"}}));
                         });
                       });
             });
  RouteDoc use{"Set a password with the token of a set-password link; ends every session of the user. "
               "Takes JSON, or the form of the link's page",
               "auth", Shape::no_content, nullptr, true};
  use.body_schema = json::object{
      {"type", "object"},
      {"required", json::array{"token", "password"}},
      {"properties", json::object{{"token", {{"type", "string"}}}, {"password", {{"type", "string"}, {"minLength", 10}}}}}};
  // The link's page posts its form here, and gets pages back.
  use.request_content = doc_content({"application/json"}, use.body_schema);
  use.request_content["application/x-www-form-urlencoded"] = json::object{
      {"schema", json::object{{"type", "object"},
                              {"required", json::array{"token", "password", "confirm"}},
                              {"properties", json::object{{"token", doc_text()},
                                                          {"password", doc_text()},
                                                          {"confirm", doc_text()}}}}}};
  use.responses["200"] = doc_response("The form's answer: the password is set", doc_content({"text/html"}, doc_text()));
  for (const char* status : {"410", "422", "429"}) {
    json::object refused = doc_problem("The link is used or expired (410), the password too short (422), or too "
                                       "many tries from this address: wait Retry-After seconds (429)");
    refused["content"].as_object()["text/html"] = json::object{{"schema", doc_text()}};  // to the form
    use.responses[status] = std::move(refused);
  }
  router.add("POST", "/api/v1/auth/password", false, std::move(use), [&acc, &pool, limits](Call& c, Reply reply) {
    const bool form = c.request.content_type.starts_with("application/x-www-form-urlencoded");
    const domain::Locale locale = browser_locale(c.request);
    std::string token, password;
    if (form) {
      const auto fields = form_fields(c.request.body);
      token = form_field(fields, "token");
      password = form_field(fields, "password");
      if (password != form_field(fields, "confirm"))
        return reply(password_page(locale, token, domain::message(locale, "password.differ")));
    } else {
      const json::object body = parse_json_object(c.request, limits);
      token = body_string(body, {"token", "password"}, "token");
      password = body_string(body, {"token", "password"}, "password");
    }
    offload(pool, std::move(reply),
            [&acc, form, locale, token = std::move(token), password = std::move(password),
             address = c.request.remote_address](Reply& r) {
              const std::string lang(domain::locale_tag(locale));
              try {
                acc.set_password_with_link(token, password, address, locale);
              } catch (const Problem& p) {
                if (!form) throw;
                return r(html_page(p.kind() == Problem::Kind::invalid ? 422 : 410,
                                   domain::message(locale, "password.not_set_title"),
                                   "<p>" + escape_html(p.detail()) + "</p>", lang));
              }
              if (form)
                return r(html_page(200, domain::message(locale, "password.set_title"),
                                   "<p>" + escape_html(domain::message(locale, "password.set")) +
                                       " <code>relance login</code>.</p>",
                                   lang));
              Response done;
              done.status = 204;
              r(std::move(done));
            });
  });
  RouteDoc page{"The page of a set-password link: a form that posts to /api/v1/auth/password", "auth", Shape::text,
                nullptr, false, {"token"}};
  json::object page_answer = doc_content({"text/html"}, doc_text());  // to a browser (Accept: text/html)
  page_answer["application/json"] = json::object{
      {"schema", json::object{{"type", "object"}, {"properties", {{"detail", doc_text()}}}}}};
  page.responses["200"] = doc_response("The form, or to a program what to post", std::move(page_answer));
  router.add("GET", "/api/v1/auth/password", false, std::move(page), [](Call& c, Reply reply) {
    std::string token;
    for (const auto& [k, v] : c.request.query)
      if (k == "token") token = v;
    // A browser (Accept: text/html) gets the form; a program the API's JSON and problems.
    if (c.request.accept.find("text/html") != std::string::npos)
      return reply(password_page(browser_locale(c.request), token, ""));
    if (token.empty()) throw Problem::bad_request("the token of the link is missing", "token");
    reply(json_response(200, json::object{{"detail", "POST the token and a new password to this address"}}));
  });
}

void add_token_routes(Router& router, services::AccountService& acc, const ApiLimits& limits) {
  const auto& tok = ent::api_tokens;
  // A list like any other, but of the caller's own tokens alone: no ?user_id=.
  std::vector<std::string> token_parameters = domain::list_parameters(tok);
  std::erase(token_parameters, "user_id");
  router.add("GET", "/api/v1/tokens", true, {"List my tokens", "tokens", Shape::page, &tok, false, token_parameters},
             [&acc](Call& c, Reply reply) {
               for (const auto& [key, value] : c.request.query)
                 if (key == "user_id") throw Problem::bad_request("unknown query parameter user_id: this list is of your own tokens", key);
               const services::ListRequest request = parse_list_request(ent::api_tokens, c.request.query);
               reply(page_response(acc.list_tokens(c.principal, request), &request));
             });
  RouteDoc token_create{"Create a personal API token (its secret is in the answer, once). Not idempotent by key: "
                        "the secret is never kept, so a retry could not answer it again; list the tokens and "
                        "revoke one made twice",
                        "tokens", Shape::created,
                        &tok, true};
  token_create.located = false;  // a token is never read back alone (it is listed at /api/v1/tokens)
  token_create.extra_result_fields = json::object{
      {"token", {{"type", "string"}, {"description", "The secret, for Authorization: Bearer; shown this once"}}}};
  router.add("POST", "/api/v1/tokens", true,
             token_create,
             [&acc, limits](Call& c, Reply reply) {
               // No Location: a token is never read back alone (it is listed at /api/v1/tokens).
               acc.create_token(c.principal, parse_json_object(c.request, limits), answering(std::move(reply)));
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
  const json::object password{{"type", "string"}, {"minLength", 10}, {"maxLength", 1024}, {"writeOnly", true},
                              {"description", "The user's password; without it, the user sets one through a "
                                              "set-password link (an invitation)"}};
  RouteDoc create{"Create a user (org-admin, or the admin for any organisation); body also takes password and org_id",
                  "users", Shape::created, &users, true, {}, false, true};
  create.extra_body_fields = json::object{
      {"password", password},
      {"org_id", {{"type", "integer"},
                  {"description", "The user's organisation: the caller's by default; another one only for the admin"}}}};
  router.add("POST", "/api/v1/users", true, std::move(create),
             [&acc, &pool, limits](Call& c, Reply reply) {
               offload(pool, std::move(reply),
                       [&acc, p = c.principal, body = parse_json_object(c.request, limits),
                        key = idempotency_of(c.request)](Reply& r) {
                         acc.create_user(p, body, key, answering(r, "/api/v1/users"));
                       });
             });
  router.add("GET", "/api/v1/users/{id}", true, {"Read a user", "users", Shape::entity, &users},
             [&acc](Call& c, Reply reply) {
               reply(record_response(acc.get_user(c.principal, c.ids[0])));
             });
  RouteDoc change{"Change a user (self; an org-admin their organisation's members and org-admins; the "
                  "admin anyone); body also takes password, and current_password to change one's own",
                  "users", Shape::entity, &users, true, {}, true};
  change.extra_body_fields = json::object{
      {"password", password},
      {"current_password", {{"type", "string"}, {"writeOnly", true},
                            {"description", "Your current password, to change your own"}}}};
  router.add("PATCH", "/api/v1/users/{id}", true, std::move(change),
             [&acc, &pool, limits](Call& c, Reply reply) {
               offload(pool, std::move(reply),
                       [&acc, p = c.principal, id = c.ids[0], body = parse_json_object(c.request, limits),
                        version = expected_version(c.request, c.ids[0])](Reply& r) {
                         acc.update_user(p, id, body, version, answering(r));
                       });
             });
  router.add("DELETE", "/api/v1/users/{id}", true,
             {"Disable a user (their sessions and tokens are revoked)", "users", Shape::entity, &users, false, {},
              true},
             [&acc](Call& c, Reply reply) {
               acc.disable_user(c.principal, c.ids[0], expected_version(c.request, c.ids[0]),
                                answering(std::move(reply)));
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
             {"Create an organisation (admin)", "organisations", Shape::created, &orgs, true, {}, false, true},
             [&acc, limits](Call& c, Reply reply) {
               acc.create_organisation(c.principal, parse_json_object(c.request, limits), idempotency_of(c.request),
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
  RouteDoc audit{"The organisation's audit log, newest first (org-admin)", "audit", Shape::page, nullptr, false,
                 {"limit", "cursor"}};
  const json::object id{{"type", "integer"}}, text{{"type", "string"}};
  audit.result_schema = json::object{
      {"type", "object"},
      {"required", json::array{"id", "at", "user_id", "action", "entity", "entity_id", "changes"}},
      {"properties", {{"id", id}, {"at", {{"type", "string"}, {"format", "date-time"}}}, {"user_id", id},
                      {"action", {{"type", "string"}, {"description", "create, update, delete, login, ..."}}},
                      {"entity", text}, {"entity_id", id},
                      {"changes", {{"description", "What changed: {\"field\": [before, after], ...}"}}}}}};
  router.add("GET", "/api/v1/audit", true, std::move(audit),
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
  add_password_routes(router, accounts, slow_work, limits);
  add_organisation_routes(router, accounts, limits);
  add_audit_route(router, accounts);
}

}  // namespace relance::api
