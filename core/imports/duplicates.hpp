// Deduplication on demand: the organisation's contacts that are one person by the import's
// rules (imports/dedup.hpp: same email, same E.164 phone, or same folded name at the same
// company), in groups, with the reasons, for GET /api/v1/contact-duplicates and `relance
// contact duplicates`. A group is then merged with POST /api/v1/contacts/{id}/merge.
//
// Two contacts that share no key are in one group when a third shares a key with each. The
// scan reads every contact of the organisation once (Store::scan, one snapshot) and keeps
// the keys as hashes (imports/key_table.hpp): about 40 bytes per contact while it runs.
//
// Thread safety: reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "relance/storage/store.hpp"

namespace relance::imports {

struct DuplicateGroup {
  std::vector<std::int64_t> contact_ids;  // ascending: the first is the oldest contact
  std::vector<std::string> reasons;       // "same email julia@acme.io", ... (each once)
};

struct DuplicateReport {
  std::vector<DuplicateGroup> groups;  // the first `limit`, by their first contact's id
  std::size_t groups_total = 0;        // of the groups asked for (all, or the one holding)
  std::size_t contacts_scanned = 0;
};

// `holding`: only the group that holds this contact (none when it has no duplicate), for a
// contact's own page; the scan is the same, since a group can join through any contact.
DuplicateReport find_duplicates(storage::Store& store, std::int64_t org_id, std::size_t limit,
                                std::optional<std::int64_t> holding = std::nullopt);

}  // namespace relance::imports
