// Writing JSON text straight into a string. Rows are encoded on every read and write, and
// building a boost::json::object per row (a hash table, an allocation per key) cost more
// than the database: this writes the same document without the intermediate tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "relance/model/row.hpp"

namespace relance::domain {

// `s` as a JSON string, quotes included. `s` is valid UTF-8 (checked on input).
void append_json_string(std::string& out, std::string_view s);
void append_json_int(std::string& out, std::int64_t n);

// The strings of a list stored as JSON text: the list kinds of the schema, and the events
// and datasets of a plugin instance. Text that is empty or not a JSON array reads as an
// empty list, and items that are not strings are skipped: what was stored was written by
// the server, so a damaged value degrades to "no items" rather than failing a read.
std::vector<std::string> read_text_list(std::string_view stored);
// The items of a list field of `row` (email_list, phone_list, tag_list, text_list); empty
// when the field is null.
std::vector<std::string> row_list(const storage::Row& row, const storage::Entity& e, std::string_view field);

}  // namespace relance::domain
