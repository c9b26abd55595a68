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
#include "followups/action_links.hpp"
#include "services/record_service.hpp"

namespace relance::followups {

class FollowupService {
 public:
  FollowupService(storage::Store& store, services::RecordService& records, const ActionLinks& links,
                  std::string default_time_zone);

  // which: "today", "overdue" or "upcoming". Query: assignee=me|all|<user id> (default me),
  // days=N for upcoming (default 7, at most 90).
  services::Page view(const auth::Principal& p, const std::string& which, const services::QueryParams& query);

  // Follows a link: checks it (ActionLinks::verify), then marks the follow-up done or moves
  // it a day later than the due instant the link was made for (so that following the same
  // link twice snoozes once). `done` gets a sentence for the person, or the error.
  void act(std::int64_t followup_id, const services::QueryParams& query,
           std::function<void(std::exception_ptr, std::string)> done);

 private:
  storage::Store& store_;
  services::RecordService& records_;
  const ActionLinks& links_;
  std::string default_time_zone_;
};

}  // namespace relance::followups
