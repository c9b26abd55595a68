// How records print: a table for lists, one field a line for a record, the daemon's JSON
// for scripts (--json).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

#include "cli/record_kind.hpp"

namespace relance::cli {

// The JSON as the daemon sent it, on one line.
void print_json(const boost::json::value& v);
// The kind's columns, a row per item.
std::string table_text(const RecordKind& kind, const boost::json::array& items);
// "name: value" lines, aligned, for the fields that have a value.
std::string record_text(const RecordKind& kind, const boost::json::object& record);
// A value as a cell: lists joined with ", ", instants in local time, "" for null.
std::string value_text(const storage::Entity& entity, std::string_view field, const boost::json::value* v);

}  // namespace relance::cli
