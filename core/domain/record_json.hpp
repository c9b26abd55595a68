// The JSON form of a row, and the application of a client's JSON body to a row, for every
// entity of storage/schema.hpp. Field names are snake_case, as in the schema.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "domain/fields.hpp"
#include "relance/model/row.hpp"

namespace relance::domain {

// The row as the API shows it, as JSON text appended to `out`. With `redact_personal`,
// fields flagged personal are left out and "redacted": true says so. A non-empty `org_name`
// (the start-up's name, for region staff) follows org_id.
void append_row_json(std::string& out, const storage::Entity& e, const storage::Row& row,
                     bool redact_personal, std::string_view org_name = {});
std::string row_json(const storage::Entity& e, const storage::Row& row, bool redact_personal,
                     std::string_view org_name = {});
// The same document as a JSON object, where one is needed to add to it.
boost::json::object encode_row(const storage::Entity& e, const storage::Row& row,
                               bool redact_personal);

// The strings of a list field (emails, phones, tags...) of a record as the API shows it;
// empty when the field is absent or not a list.
std::vector<std::string> string_items(const boost::json::object& record, std::string_view field);

// Applies `body` to `row`: unknown, read-only and (on update) write-once fields are refused
// with a 400 naming the field; values are validated and normalised by the field rules.
// On create, required fields must be present. Returns the indexes of the fields changed.
std::vector<std::size_t> apply_body(const storage::Entity& e, const boost::json::object& body,
                                    storage::Row& row, bool creating, FieldContext ctx);

// What a create does once the fields are set (apply_body calls it; the import, which sets
// its rows' fields one by one with to_storage, too): a required field left out is refused
// (422), a sortable text field left out is empty rather than null.
void settle_new_row(const storage::Entity& e, storage::Row& row);

// {"field": [before, after], ...} for the audit log (secrets never included).
std::string audit_changes(const storage::Entity& e, const storage::Row* before,
                          const storage::Row* after, const std::vector<std::size_t>& changed);

// Minor units of the row's currency (2 when it has none).
int row_minor_units(const storage::Entity& e, const storage::Row& row);

}  // namespace relance::domain
