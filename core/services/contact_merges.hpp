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
// Requests are typed (MergeContacts, MergeList) and writes end in a WriteOutcome, as the
// records' do (record_service.hpp).
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
#include "services/write_outcome.hpp"

namespace relance::services {

// A merge of contact `duplicate` into `survivor_id`: `fields` is {"duplicate_id": N}.
struct MergeContacts {
  std::int64_t survivor_id = 0;
  boost::json::object fields;
  std::optional<std::int64_t> expected_version;  // the survivor's
  Idempotency idempotency;
};

// The organisation's merges, newest first, of one survivor and/or one duplicate when given.
struct MergeList {
  std::optional<std::int64_t> survivor_id;
  std::optional<std::int64_t> duplicate_id;
  IdPaging paging;
};

class ContactMergeService {
 public:
  ContactMergeService(storage::Store& store, OrgDirectory& orgs, const RecordService& records)
      : store_(store), orgs_(orgs), records_(records) {}

  // Merges the duplicate into the survivor, whose version must be the expected one when
  // given. Outcomes: created (the merge); conflict (the survivor's version); not_found (the
  // survivor, or the duplicate: its `field` is then duplicate_id).
  void merge(const auth::Principal& p, MergeContacts request, OutcomeCallback done);
  // Outcomes: updated (the merge, undone, with what the undo did: `undo_result`); not_found.
  // Problem 409 when it cannot be undone (see above).
  void undo(const auth::Principal& p, std::int64_t merge_id, OutcomeCallback done);

  // The merge as JSON text; Problem 404 for another organisation's or none.
  std::string get(const auth::Principal& p, std::int64_t merge_id);
  Page list(const auth::Principal& p, const MergeList& request);

 private:
  storage::Store& store_;
  OrgDirectory& orgs_;
  const RecordService& records_;
};

}  // namespace relance::services
