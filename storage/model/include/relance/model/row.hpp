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
  // The items of a list field (email_list, phone_list, tag_list, text_list): read_text_list
  // of its stored text; empty when the field is null.
  std::vector<std::string> list(const Entity& e, std::string_view field) const;
};

// The strings of a list stored as JSON text: the list kinds of the schema, and the events
// and datasets of a plugin instance. Text that is empty or not a JSON array reads as an
// empty list, and items that are not strings are skipped: what was stored was written by
// the server, so a damaged value degrades to "no items" rather than failing a read.
std::vector<std::string> read_text_list(std::string_view stored);

}  // namespace relance::storage
