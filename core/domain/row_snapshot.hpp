// A row in the form storage keeps it, as JSON text, for what must bring a row back exactly
// as it was (undoing a contact merge): the server-kept columns and every cell as stored,
// named by its field. Unlike the API form (record_json.hpp) no field rule runs on it again
// and nothing is hidden, so reading it back is lossless. A field added to the schema after
// the snapshot reads as null; the cell of a field since removed is ignored.
#pragma once

#include <string>
#include <string_view>

#include "relance/model/row.hpp"

namespace relance::domain {

std::string row_snapshot(const storage::Entity& e, const storage::Row& row);
// Throws std::runtime_error when `text` is not a snapshot.
storage::Row row_from_snapshot(const storage::Entity& e, std::string_view text);

}  // namespace relance::domain
