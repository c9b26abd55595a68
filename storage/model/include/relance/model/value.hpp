// Value: one cell of a row, as storage keeps it. Plain C++ types only, so that core never
// sees SQLite and storage never sees JSON.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace relance::storage {

using Null = std::monostate;
using Value = std::variant<Null, std::int64_t, double, std::string>;

inline bool is_null(const Value& v) { return std::holds_alternative<Null>(v); }

}  // namespace relance::storage
