// Routes of the follow-up views (today, overdue, upcoming) and of the done/snooze links in
// reminder emails. A link is followed from a mail client, without a token: its signature
// is the authority, and the answer is a short page for a person.
#include "api/followup_routes.hpp"

#include "api/problem_response.hpp"
#include "api/routes.hpp"

namespace relance::api {
using Shape = RouteDoc::Shape;

namespace {

std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

Response page(int status, const std::string& title, const std::string& sentence) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Relance: " + escape_html(title) +
           "</title></head><body><h1>" + escape_html(title) + "</h1><p>" + escape_html(sentence) +
           "</p></body></html>\n";
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// A browser (Accept: text/html) gets a page; a program the API's JSON and problems.
Response answer(const Request& request, std::exception_ptr error, const std::string& sentence) {
  const bool browser = request.accept.find("text/html") != std::string::npos;
  if (!error) {
    if (browser) return page(200, "Done", sentence);
    return json_response(200, boost::json::object{{"detail", sentence}});
  }
  if (!browser) return error_response(error);
  try {
    std::rethrow_exception(error);
  } catch (const Problem& p) {
    return page(p.status(), p.title(), p.detail());
  } catch (...) {
    const Response r = error_response(std::current_exception());
    return page(r.status, "Not done", "the follow-up could not be changed; try again later");
  }
}

}  // namespace

void add_followup_routes(Router& router, followups::FollowupService& followups) {
  for (const char* which : {"today", "overdue", "upcoming"}) {
    const std::string w = which;
    router.add("GET", "/api/v1/followups/" + w, true,
               {"Open and snoozed follow-ups " +
                    (w == "today" ? std::string("due today (the caller's local day)")
                                  : w == "overdue" ? std::string("past their due instant")
                                                   : std::string("due in the next days")) +
                    ", with local times; assignee=me|all|<id>" + (w == "upcoming" ? ", days=N" : ""),
                "followups", Shape::page, &storage::entities::followups, false,
                w == "upcoming" ? std::vector<std::string>{"assignee", "days"} : std::vector<std::string>{"assignee"}},
               [&followups, w](Call& c, Reply reply) {
                 reply(page_response(followups.view(c.principal, w, c.request.query)));
               });
  }
  router.add("GET", "/api/v1/followups/{id}/action", false,
             {"A reminder email's signed link: do=done or do=snooze (a day later), with due, exp and sig; "
              "answers a page for a person",
              "followups", Shape::text, nullptr, false, {"do", "due", "exp", "sig"}},
             [&followups](Call& c, Reply reply) {
               const Request& request = c.request;
               try {
                 followups.act(c.ids[0], request.query,
                               [reply, request](std::exception_ptr err, std::string sentence) {
                                 reply(answer(request, err, sentence));
                               });
               } catch (...) {
                 reply(answer(request, std::current_exception(), {}));
               }
             });
}

}  // namespace relance::api
