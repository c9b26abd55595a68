// A merge of two contacts of one organisation, as kept for its undo: who merged which
// contact into which, the rows of both contacts before the merge, the survivor's right after
// it, and the rows it moved from the duplicate to the survivor. Kept apart from the CRM
// entities of schema.hpp, like delivery.hpp's records: it is never written as a record, only
// appended by a merge and closed by its undo. Storage keeps the snapshots and the moved rows
// as text of core's making (core/domain/row_snapshot.hpp, core/services/contact_merges.cpp)
// and never reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace relance::storage {

struct ContactMergeRecord {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t survivor_id = 0;   // the contact that stays
  std::int64_t duplicate_id = 0;  // the contact merged into it, deleted by the merge
  std::string merged_at;          // set by insert_contact_merge
  std::int64_t merged_by = 0;     // user id
  std::string survivor_before;    // the survivor's row before the merge
  std::string survivor_after;     // ...and as the merge left it
  std::string duplicate;          // the duplicate's row as it was
  std::string moved;              // the rows repointed from the duplicate to the survivor
  std::string undone_at;          // "" until undone; set by set_contact_merge_undone
  std::int64_t undone_by = 0;     // user id, 0 until undone
  std::string undo_result;        // what the undo did, "" until undone
};

// Which merges a list returns: an organisation's, newest first, before `before_id` (0: from
// the newest), at most `limit`, of one survivor and/or one duplicate when given.
struct ContactMergeQuery {
  std::int64_t org_id = 0;
  std::int64_t before_id = 0;
  std::size_t limit = 50;
  std::optional<std::int64_t> survivor_id;
  std::optional<std::int64_t> duplicate_id;
};

}  // namespace relance::storage
