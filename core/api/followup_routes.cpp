// Routes of the follow-up views (today, overdue, upcoming) and of the done/snooze links in
// reminder emails. A link is followed from a mail client, without a token: its signature
// is the authority, and the answer is a short page for a person. Following it (GET) only
// shows what it would do, with a button; the button's POST acts. Mail scanners that fetch
// every link of a message to check it thus change nothing.
#include "api/followup_routes.hpp"

#include "api/browser_origin.hpp"
#include "api/html_page.hpp"
#include "api/openapi.hpp"
#include "api/problem_response.hpp"
#include "api/routes.hpp"
#include "domain/messages.hpp"
#include "domain/text.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;
using followups::LinkAction;

namespace {

Response page(domain::Locale locale, int status, const std::string& title, const std::string& content_html) {
  return html_page(status, title, content_html, domain::locale_tag(locale));
}

std::string paragraph(const std::string& sentence) { return "<p>" + escape_html(sentence) + "</p>"; }

bool from_browser(const Request& request) { return request.accept.find("text/html") != std::string::npos; }

// A browser (Accept: text/html) gets a page in the recipient's language; a program the
// API's JSON and problems.
Response answer(const Request& request, domain::Locale locale, std::exception_ptr error, const std::string& sentence) {
  const bool browser = from_browser(request);
  if (!error) {
    if (browser) return page(locale, 200, domain::message(locale, "link.title.done"), paragraph(sentence));
    return json_response(200, boost::json::object{{"detail", sentence}});
  }
  if (!browser) return error_response(error);
  try {
    std::rethrow_exception(error);
  } catch (const Problem& p) {
    const std::string title = locale == domain::Locale::en ? p.title() : domain::message(locale, "link.title.refused");
    return page(locale, http_status(p.kind()), title, paragraph(p.detail()));
  } catch (...) {
    const Response r = error_response(std::current_exception());
    return page(locale, r.status, domain::message(locale, "link.title.not_done"),
                paragraph(domain::message(locale, "link.failed")));
  }
}

// What a link would do, and the button that does it. The form has no action: the browser
// posts it to the page's own address, the signed link itself.
Response confirmation(const Request& request, const followups::FollowupService::LinkPreview& link) {
  const auto say = [&link](std::string_view key, std::initializer_list<std::string_view> args = {}) {
    return domain::message(link.locale, key, args);
  };
  const std::string verb = say(link.action == LinkAction::done ? "link.verb.done" : "link.verb.snooze");
  const std::string question = say("link.question", {verb, link.title});
  const std::string recipient = say("link.recipient", {link.recipient});
  const std::string due = link.due.empty() ? std::string() : say("link.due", {link.due});
  if (!from_browser(request)) {
    boost::json::object o{{"action", link.action == LinkAction::done ? "done" : "snooze"},
                          {"title", link.title},
                          {"recipient", link.recipient},
                          {"due_local", link.due},
                          {"locale", domain::locale_tag(link.locale)}};
    o["detail"] = link.already.empty() ? question + " " + say("link.confirm_by_post") + " " + recipient : link.already;
    return json_response(200, std::move(o));
  }
  if (!link.already.empty()) return page(link.locale, 200, say("link.title.nothing"), paragraph(link.already));
  // The button's label is the question without its question mark.
  std::string label = question;
  while (!label.empty() && (label.back() == '?' || label.back() == ' ')) label.pop_back();
  if (label.ends_with("\xC2\xA0")) label.resize(label.size() - 2);
  return page(link.locale, 200, question,
              (due.empty() ? std::string() : paragraph(due)) + paragraph(recipient) +
                  "<form method=\"post\" aria-labelledby=\"title\"><button type=\"submit\">" +
                  escape_html(label) + "</button></form>");
}

// The POST of a link's button is refused when a browser says another site made it: the
// signature is the only authority (no cookie is involved), but a page elsewhere must not be
// able to make a visitor's browser use a link it saw. Browsers send Sec-Fetch-Site, and
// Origin with a POST; programs (curl, the tests) send neither and hold the link themselves.
void refuse_other_sites(const Request& request, const std::string& link_origin, domain::Locale locale) {
  if (from_another_origin(request, link_origin)) throw Problem::forbidden(domain::message(locale, "link.other_site"));
}

// The first value of `key` in the query, or `fallback`.
std::string first_of(const QueryParams& query, const std::string& key, std::string fallback) {
  for (const auto& [k, v] : query)
    if (k == key) return v;
  return fallback;
}

// ?assignee=me|all|<user id> (default me), ?days=N for upcoming (default 7, at most 90),
// ?org_id=N (one organisation's: for region staff, one start-up's).
followups::FollowupView view_of(const std::string& which, const QueryParams& query) {
  for (const auto& [k, v] : query)
    if (k != "assignee" && k != "days" && k != "org_id") throw Problem::bad_request("unknown query parameter " + k, k);
  followups::FollowupView view{which};
  const std::string assignee = first_of(query, "assignee", "me");
  if (assignee == "all") {
    view.everyone = true;
  } else if (assignee != "me") {
    const auto id = domain::parse_int64(assignee);
    if (!id || *id <= 0) throw Problem::bad_request("assignee must be me, all or a user id", "assignee");
    view.assignee_id = *id;
  }
  if (const std::string org = first_of(query, "org_id", ""); !org.empty()) {
    const auto id = domain::parse_int64(org);
    if (!id || *id <= 0) throw Problem::bad_request("org_id must be an organisation's id", "org_id");
    view.org_id = *id;
  }
  if (which == "upcoming") {  // the other views have no days: the value is not read
    const auto days = domain::parse_int64(first_of(query, "days", "7"));
    if (!days || *days < 1 || *days > 90) throw Problem::bad_request("days must be from 1 to 90", "days");
    view.days = static_cast<int>(*days);
  }
  return view;
}

// A followed link's query: do, due, v, to, exp, sig (what ActionLinks::verify checks).
followups::LinkQuery link_query_of(const QueryParams& query) {
  return followups::LinkQuery{first_of(query, "do", ""), first_of(query, "due", ""), first_of(query, "v", ""),
                              first_of(query, "to", ""), first_of(query, "exp", ""), first_of(query, "sig", "")};
}

// A signed link's route: a page for a browser (Accept: text/html), JSON for a program, its
// errors as pages or problems alike.
RouteDoc link_doc(std::string summary, const std::vector<std::string>& query, boost::json::object properties) {
  RouteDoc d{std::move(summary), "followups", Shape::text, nullptr, false, query};
  json::object answer = doc_content({"text/html"}, doc_text());
  answer["application/json"] = json::object{{"schema", json::object{{"type", "object"}, {"properties", std::move(properties)}}}};
  d.responses["200"] = doc_response("A page, or JSON", std::move(answer));
  json::object refused = doc_problem("Refused: a page, or a problem");
  refused["content"].as_object()["text/html"] = json::object{{"schema", doc_text()}};
  d.responses["default"] = std::move(refused);
  return d;
}

// The language of a link's answers: its recipient's choice, else the browser's (a program
// that sends no Accept-Language reads English, as everywhere in the API).
domain::Locale link_locale(const followups::FollowupService& followups, std::int64_t id,
                           const followups::LinkQuery& query, const Request& request) {
  return followups.link_locale(id, query, browser_locale(request));
}

}  // namespace

void add_followup_routes(Router& router, followups::FollowupService& followups) {
  for (const char* which : {"today", "overdue", "upcoming"}) {
    const std::string w = which;
    RouteDoc doc{"Open and snoozed follow-ups " +
                     (w == "today" ? std::string("due today (the caller's local day)")
                                   : w == "overdue" ? std::string("past their due instant")
                                                    : std::string("due in the next days")) +
                     ", with local times; assignee=me|all|<id>" + (w == "upcoming" ? ", days=N" : "") +
                     ", org_id=<id> (for region staff: one start-up's)",
                 "followups", Shape::page, &storage::entities::followups, false,
                 w == "upcoming" ? std::vector<std::string>{"assignee", "days", "org_id"}
                                 : std::vector<std::string>{"assignee", "org_id"}};
    doc.query_schemas["assignee"] = json::object{
        {"type", "string"}, {"pattern", "^(me|all|[1-9][0-9]*)$"}, {"default", "me"},
        {"description", "me, all (the organisation's), or a user's id"}};
    doc.query_schemas["days"] = json::object{{"type", "integer"}, {"minimum", 1}, {"maximum", 90}, {"default", 7}};
    // The local times each item of a view carries beside the follow-up.
    const json::object text{{"type", "string"}}, optional_text{{"type", json::array{"string", "null"}}};
    doc.extra_result_fields = json::object{{"due_local", text}, {"due_time_zone", text},
                                           {"contact_local", optional_text}, {"contact_time_zone", optional_text}};
    router.add("GET", "/api/v1/followups/" + w, true, std::move(doc),
               [&followups, w](Call& c, Reply reply) {
                 reply(page_response(followups.view(c.principal, view_of(w, c.request.query))));
               });
  }
  const std::vector<std::string> link_query{"do", "due", "v", "to", "exp", "sig"};
  router.add("GET", "/api/v1/followups/{id}/action", false,
             link_doc("A reminder email's signed link (do=done or do=snooze, with due, v, to, exp and sig): says "
                      "what it would do and whom it acts as, changing nothing; a page with a button for a person",
                      link_query,
                      {{"action", {{"type", "string"}, {"enum", json::array{"done", "snooze"}}}},
                       {"title", doc_text()}, {"recipient", doc_text()}, {"due_local", doc_text()},
                       {"locale", doc_text()}, {"detail", doc_text()}}),
             [&followups](Call& c, Reply reply) {
               const followups::LinkQuery query = link_query_of(c.request.query);
               const domain::Locale locale = link_locale(followups, c.ids[0], query, c.request);
               try {
                 reply(confirmation(c.request, followups.preview(c.ids[0], query, locale)));
               } catch (...) {
                 reply(answer(c.request, locale, std::current_exception(), {}));
               }
             });
  router.add("POST", "/api/v1/followups/{id}/action", false,
             link_doc("Confirms a reminder email's signed link (the same query as its GET): marks the follow-up "
                      "done or snoozes it a day, once, as the user the link was sent to",
                      link_query, {{"detail", doc_text()}}),
             [&followups](Call& c, Reply reply) {
               const Request& request = c.request;
               const followups::LinkQuery query = link_query_of(request.query);
               const domain::Locale locale = link_locale(followups, c.ids[0], query, request);
               try {
                 refuse_other_sites(request, followups.link_origin(), locale);
                 followups.act(c.ids[0], query, locale, [reply, request, locale](std::exception_ptr err, std::string sentence) {
                   reply(answer(request, locale, err, sentence));
                 });
               } catch (...) {
                 reply(answer(request, locale, std::current_exception(), {}));
               }
             });
}

}  // namespace relance::api
