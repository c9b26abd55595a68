// The JSON of contact merges: the document the API answers for a merge (and puts in its
// events), and the text of the rows a merge moved and of what an undo did, as they are kept
// in storage::ContactMergeRecord.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "relance/storage/contact_merge.hpp"

namespace relance::services {

// The rows of one reference field moved from one contact to the other.
struct MovedRows {
  std::string entity;  // "leads"
  std::string field;   // "contact_id"
  std::vector<std::int64_t> ids;
};

// What an undo did: the survivor's fields it put back and those it kept (changed again
// since the merge), the rows it moved back and those it left (deleted or moved elsewhere
// since).
struct UndoResult {
  std::vector<std::string> restored_fields;
  std::vector<std::string> kept_fields;
  std::vector<MovedRows> moved_back;
  std::vector<MovedRows> left;
};

// [{"entity": "leads", "field": "contact_id", "ids": [4, 5]}, ...]
boost::json::array moved_json(const std::vector<MovedRows>& moved);
std::vector<MovedRows> moved_of(const std::string& text);
boost::json::object undo_json(const UndoResult& r);

// The merge as GET /api/v1/contact-merges/{id} shows it (docs/api.md, "Contact merges").
boost::json::object merge_json(const storage::ContactMergeRecord& m);

}  // namespace relance::services
