// The rule that brings what one record knows into another of the same person without
// losing anything, shared by the import's deduplication (a file row into an existing
// contact, imports/dedup.hpp) and the contact merge (a duplicate into its survivor,
// services/contact_merges.hpp):
//  - a field the record has no value for takes the other's value; a field that has one
//    keeps it, whatever the other says;
//  - a list field (emails, phones, tags) gets the other's items it lacks (compared with
//    case and accents folded) after its own, in the other's order, up to the field's limit
//    (domain::max_items: 20 emails, 20 phones, 50 tags), so the result always passes the
//    field rules;
//  - nothing is ever removed or overwritten, and fields a client may not write (read-only,
//    write-once, secrets) are left alone.
// The rule is written once (completing_patch.cpp) and read in two forms: on records as the
// API shows them (a patch, for the merge) and on rows as stored (the import, whose rows are
// never JSON).
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <vector>

#include "relance/model/row.hpp"
#include "relance/model/schema.hpp"

namespace relance::domain {

// The partial update (as PATCH takes it) that completes `existing` with `incoming`, both
// records of `e` as the API shows them; empty when `incoming` brings nothing new.
boost::json::object completing_patch(const storage::Entity& e, const boost::json::object& existing,
                                     const boost::json::object& incoming);

// The same rule on rows as stored (lists as the JSON text the field rules write): completes
// `existing` in place with `incoming` and returns the indexes of the fields it changed, in
// the entity's order (none: `incoming` brings nothing new). The values set are the ones the
// field rules would store for the patch above.
std::vector<std::size_t> complete_row(const storage::Entity& e, storage::Row& existing,
                                      const storage::Row& incoming);

}  // namespace relance::domain
