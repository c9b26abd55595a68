// Writing JSON text straight into a string. Rows are encoded on every read and write, and
// building a boost::json::object per row (a hash table, an allocation per key) cost more
// than the database: this writes the same document without the intermediate tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace relance::domain {

// `s` as a JSON string, quotes included. `s` is valid UTF-8 (checked on input).
void append_json_string(std::string& out, std::string_view s);
void append_json_int(std::string& out, std::int64_t n);

}  // namespace relance::domain
