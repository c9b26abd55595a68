// ShareRequestService: region staff ask a start-up to share a lead with the region, and the
// start-up accepts (the lead's shared_with_region becomes true) or declines; and the
// sharing history of a lead, which both sides read.
//
// What staff can name without seeing personal data: a lead's id, which they already read on
// the lead's redacted row (GET /api/v1/leads lists every organisation's leads to them, the
// personal fields removed) and on outcomes. A request is the start-up's row (its org_id is
// the lead's organisation), so the start-up's members list it as any of their records, and
// staff read it across organisations (schema.cpp: Sharing::always, nothing personal in it).
//
// Rights: only region staff ask; only the start-up's org-admin or the lead's owner answers;
// a member of another start-up finds neither the request nor the lead (404). Every share
// and unshare of a lead, through a request or a PATCH of shared_with_region, is the lead's
// audit entry; sharing() reads them back for both sides.
//
// Events: share_request.created (in the start-up's organisation, so that its plugins can tell
// the owner) and share_request.answered (in the start-up's and in the asking staff member's
// organisation).
//
// Thread safety: all members may be called concurrently. Writes complete asynchronously.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"
#include "services/record_service.hpp"
#include "services/write_outcome.hpp"

namespace relance::services {

struct AskToShare {
  boost::json::object fields;  // lead_id, message
  Idempotency idempotency;
};

struct AnswerShareRequest {
  std::int64_t id = 0;
  bool accept = false;
  std::string reason;  // optional, either way
};

class ShareRequestService {
 public:
  ShareRequestService(storage::Store& store, OrgDirectory& orgs, RecordService& records)
      : store_(store), orgs_(orgs), records_(records) {}

  // Outcomes: created; invalid (no lead of another organisation with this id, the message
  // too long); Problem 403 for anyone but staff, 409 when the lead is already shared or a
  // request for it is pending.
  void ask(const auth::Principal& p, AskToShare request, OutcomeCallback done);
  // Outcomes: updated (the request answered; on acceptance the lead shared in the same
  // transaction); not_found. Problem 403 for staff and for a member who neither manages
  // the organisation nor owns the lead, 409 once answered.
  void answer(const auth::Principal& p, AnswerShareRequest request, OutcomeCallback done);

  RecordRead get(const auth::Principal& p, std::int64_t id);
  Page list(const auth::Principal& p, const ListRequest& request);

  // {"lead_id", "shared_with_region", "history": [{"at", "shared", "user_id", "action"}],
  // "requests": [...]}: every share and unshare of the lead with its date, oldest first, and
  // the requests made for it. Problem 404 for a lead the caller does not read.
  std::string sharing(const auth::Principal& p, std::int64_t lead_id);

 private:
  storage::Scope read_scope(const auth::Principal& p) const;

  storage::Store& store_;
  OrgDirectory& orgs_;
  RecordService& records_;
};

}  // namespace relance::services
