// SQL of contact merges (relance/storage/contact_merge.hpp), on one connection.
#pragma once

#include <optional>
#include <vector>

#include "relance/storage/contact_merge.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Writes (on the writer's connection, inside its transaction).
std::int64_t insert_contact_merge(Connection& c, ContactMergeRecord& m);
void set_contact_merge_undone(Connection& c, ContactMergeRecord& m);

// Reads.
std::optional<ContactMergeRecord> contact_merge(Connection& c, std::int64_t org_id, std::int64_t id);
std::vector<ContactMergeRecord> contact_merges(Connection& c, const ContactMergeQuery& q);

}  // namespace relance::storage::sqlite
