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
#pragma once

#include <boost/json/object.hpp>

#include "relance/model/schema.hpp"

namespace relance::domain {

// The partial update (as PATCH takes it) that completes `existing` with `incoming`, both
// records of `e` as the API shows them; empty when `incoming` brings nothing new.
boost::json::object completing_patch(const storage::Entity& e, const boost::json::object& existing,
                                     const boost::json::object& incoming);

}  // namespace relance::domain
