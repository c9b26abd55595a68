// ContactMergeService: merging a duplicate contact into the contact that stays (the
// survivor), undoing a merge, and the organisation's merges (docs/api.md, "Contact merges").
//
// A merge, in one transaction: the survivor keeps its values and completes them with the
// duplicate's (domain/completing_patch.hpp); every row pointing at the duplicate through a
// reference to contacts (leads, activities, follow-ups: storage::references_to) points at the
// survivor instead; the duplicate is deleted; the merge is kept with what undoing it needs
// (relance/storage/contact_merge.hpp). Each of these writes has its own audit entry and
// event (services::write_record), and the merge too: "merge" in the audit log, contact.merged
// in the outbox.
//
// An undo, in one transaction: the duplicate comes back with its id, values and version, as
// it was; the rows the merge moved that still point at the survivor point at the duplicate
// again; the survivor's fields the merge changed get back their values from before it. Undo
// takes back only what the merge did, never a later change: a survivor field changed again
// since the merge keeps its new value ("kept_fields"), a moved row deleted or pointed
// elsewhere since stays as it is ("left"). Audited as "undo-merge", announced as
// contact.merge_undone. Refused with 409: a merge already undone; a survivor that no longer
// exists (deleted, or merged into a third contact: undo that merge first); a duplicate whose
// company or event was deleted since.
//
// Tenancy: both contacts must be the caller's organisation's, as for any change of a
// contact: another organisation's answers 404 exactly like a missing one, one region staff
// only read 403, a read-only token 403. A merge belongs to its organisation only.
//
// Thread safety: all members may be called concurrently. Writes complete asynchronously.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"
#include "services/record_service.hpp"
#include "services/write_result.hpp"

namespace relance::services {

class ContactMergeService {
 public:
  ContactMergeService(storage::Store& store, OrgDirectory& orgs, const RecordService& records)
      : store_(store), orgs_(orgs), records_(records) {}

  // Merges the contact named by `body` ({"duplicate_id": N}) into `survivor_id`, whose
  // version must be `expected_version` when given. Answers 201 with the merge.
  // idempotency_key may be empty; request_digest identifies the request for the key.
  void merge(const auth::Principal& p, std::int64_t survivor_id, const boost::json::object& body,
             std::optional<std::int64_t> expected_version, std::string idempotency_key,
             std::string request_digest, WriteCallback done);
  // Answers 200 with the merge, undone, and what the undo did (`undo_result`).
  void undo(const auth::Principal& p, std::int64_t merge_id, WriteCallback done);

  // The merge as JSON text; Problem 404 for another organisation's or none.
  std::string get(const auth::Principal& p, std::int64_t merge_id);
  // The organisation's merges, newest first: ?survivor_id=, ?duplicate_id=, ?limit=, ?cursor=.
  Page list(const auth::Principal& p, const QueryParams& query);
  static std::vector<std::string> list_parameters();

 private:
  storage::Store& store_;
  OrgDirectory& orgs_;
  const RecordService& records_;
};

}  // namespace relance::services
