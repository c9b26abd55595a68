// Row: one row of an entity as every room handles it, the server-kept columns and the
// values of the entity's fields (schema.hpp) in their declared order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relance/model/schema.hpp"
#include "relance/model/value.hpp"

namespace relance::storage {

// One row of an entity: the server-kept columns, then `values`, aligned with
// entity.fields.
struct Row {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t version = 0;  // starts at 1, +1 on every update; the ETag
  std::string created_at;
  std::string updated_at;
  std::int64_t created_by = 0;
  std::int64_t updated_by = 0;
  std::vector<Value> values;

  const Value& get(const Entity& e, std::string_view field) const;
  void set(const Entity& e, std::string_view field, Value v);
  // The field's value when it holds text (or an integer); nullptr (nullopt) otherwise.
  const std::string* text(const Entity& e, std::string_view field) const;
  std::optional<std::int64_t> integer(const Entity& e, std::string_view field) const;
};

}  // namespace relance::storage
