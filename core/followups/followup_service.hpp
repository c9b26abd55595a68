// FollowupService: the follow-ups a person looks at (today, overdue, upcoming, for them or
// their whole organisation), and the signed done/snooze links of reminder emails.
//
// Days are the caller's local days (their time zone; the organisation's region otherwise):
// "today" for a founder in Lyon is not today in Palo Alto. Each item also says its due
// instant in the follow-up's own zone (the assignee's) and, when known, in the contact's.
//
// Thread safety: all members may be called concurrently.
#pragma once

#include <functional>
#include <string>

#include "auth/principal.hpp"
#include "domain/messages.hpp"
#include "followups/action_links.hpp"
#include "services/record_service.hpp"

namespace relance::followups {

// A view of follow-ups, open and snoozed ones: which (today, overdue, upcoming), whose.
struct FollowupView {
  std::string which;               // "today", "overdue" or "upcoming" (else Problem 404)
  bool everyone = false;           // every assignee's
  std::int64_t assignee_id = 0;    // else this one's; 0: the caller's
  std::int64_t org_id = 0;         // only this organisation's (staff: one start-up's); 0: any
  int days = 7;                    // upcoming: how many days ahead, today included
};

class FollowupService {
 public:
  FollowupService(storage::Store& store, services::RecordService& records, const ActionLinks& links,
                  std::string default_time_zone);

  // The view's follow-ups with their local times, at most a page (domain::max_page_size).
  services::Page view(const auth::Principal& p, const FollowupView& view);

  // What the page of a followed link says, found without changing anything: the GET of a
  // link (which mail scanners follow on their own) shows it, and only a POST acts.
  struct LinkPreview {
    LinkAction action = LinkAction::done;
    std::string title;      // the follow-up's
    std::string recipient;  // whom the link was sent to and acts as: "Ann Martin <ann@alpha.test>"
    std::string already;    // set when the link's work is done already: nothing to confirm
    domain::Locale locale = domain::Locale::en;  // the recipient's: the page speaks it
    std::string due;        // the due instant in the recipient's zone: "2026-12-05 09:00 CET"
  };

  // Checks a link (ActionLinks::verify) and that it still applies: the follow-up has the due
  // instant and version it was made for (else Problem 409), and its recipient may still
  // change it (else 403). A link whose work is done already (the same link followed twice)
  // says so in `already`. Sentences, refusals included, are in `locale` (link_locale()).
  LinkPreview preview(std::int64_t followup_id, const LinkQuery& query, domain::Locale locale) const;

  // Follows a link, checked as preview() does, as its recipient (the audit log names them):
  // marks the follow-up done or moves it a day later than the due instant the link was made
  // for. Once: a second time changes nothing. `done` gets a sentence for the person, or the
  // error (409 when the follow-up changed meanwhile).
  void act(std::int64_t followup_id, const LinkQuery& query, domain::Locale locale,
           std::function<void(std::exception_ptr, std::string)> done);

  // The language of a link's answers: the one its recipient chose (an authentic link names
  // them, expired or not); else `asked`, what the browser asks for (Accept-Language).
  domain::Locale link_locale(std::int64_t followup_id, const LinkQuery& query, domain::Locale asked) const;

  // The origin the links lead to ("https://crm.example.org").
  std::string link_origin() const { return links_.origin(); }

 private:
  struct Followed;
  Followed follow(std::int64_t followup_id, const LinkQuery& query, domain::Locale locale) const;

  storage::Store& store_;
  services::RecordService& records_;
  const ActionLinks& links_;
  std::string default_time_zone_;
};

}  // namespace relance::followups
