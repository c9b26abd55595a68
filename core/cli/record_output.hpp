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
// A record, or a page's items, of `kind` with "due_local" beside "due_at" where the daemon
// did not add it: the wall clock in the record's time_zone, else the user's
// ("2026-12-05T09:00:00", as the follow-up views write it). The rest as the daemon sent it.
boost::json::value with_local_times(const RecordKind& kind, boost::json::value v);
// The kind's columns, a row per item.
std::string table_text(const RecordKind& kind, const boost::json::array& items);
// "name: value" lines, aligned, for the fields that have a value.
std::string record_text(const RecordKind& kind, const boost::json::object& record);
// A value as a cell: lists joined with ", ", instants in the user's zone with its
// abbreviation ("2026-12-05 09:00 PST"), "" for null.
std::string value_text(const storage::Entity& entity, std::string_view field, const boost::json::value* v);

}  // namespace relance::cli
