// The vocabulary of lists: under which names the records of each entity are filtered
// (?country=FR, ?tag=, ?due_from=, ?q=) and sorted (?sort=-due_at), and how a value given as
// text becomes a condition on a field. This is API meaning, kept out of the model: the model
// says which columns exist and which are NOT NULL (so may order a keyset page); which of them
// a list offers, and under which names, is decided here. It lives in domain, not in api/,
// because four rooms speak it: the API's query strings, the exports' filters, the plugins'
// queries (plugin_host) and the command line's list options (cli).
//
// Thread safety: immutable tables; every function may be called from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relance/model/schema.hpp"
#include "relance/model/value.hpp"

namespace relance::domain {

// The size of a page of a list when the request does not say, and the most it may ask.
inline constexpr std::size_t default_page_size = 50;
inline constexpr std::size_t max_page_size = 200;

// One condition a list's rows must meet: `field` (a field of the entity, or "created_at",
// "updated_at") equals `value`, holds the tag, is at least or before it.
struct ListCondition {
  enum class Test { equals, has_tag, at_least, before };
  std::string_view field;
  Test test = Test::equals;
  storage::Value value;
};

// What ?name=raw means for a list of `e`: its condition; nullopt when `name` is no filter of
// these lists (the caller says "unknown query parameter"). Problem 400 naming the parameter
// when the value does not fit (an integer filter given a word, a bad instant...).
std::optional<ListCondition> list_condition(const storage::Entity& e, const std::string& name,
                                            const std::string& raw);

// The kind of the field a range parameter (?occurred_from=, ?due_to=, ?created_from=) bounds:
// FieldKind::timestamp (an RFC 3339 instant) or FieldKind::date ("YYYY-MM-DD"); nullopt when
// `name` is no range of these lists. The command line reads what people type by it.
std::optional<storage::FieldKind> range_kind(const storage::Entity& e, const std::string& name);

// The words of a full-text search (?q=) of a list of `e`, checked: Problem 400 naming "q"
// when `e` has no search or the text is not valid UTF-8, holds a NUL or is too long.
std::string list_search(const storage::Entity& e, const std::string& raw);

// Whether lists of `e` may be sorted by `name`: "id", "created_at", "updated_at", or a field
// this vocabulary offers (always a NOT NULL column: keyset paging compares its values).
// The name as a string_view that lives as long as the program, or nullopt.
std::optional<std::string_view> list_sort(const storage::Entity& e, std::string_view name);

// The field whose values ?name= compares with: a filter's own field (?country=), the field a
// range bounds (?due_from= bounds due_at); nullptr for every other parameter (limit, cursor,
// sort, q, tag, and the created/updated ranges, which bound the record's own instants).
const storage::Field* list_parameter_field(const storage::Entity& e, const std::string& name);

// Every name ?sort= takes (each also descending, with a leading '-'): id, created_at,
// updated_at, then the fields this vocabulary offers.
std::vector<std::string_view> list_sorts(const storage::Entity& e);

// Every query parameter a list of `e` takes, in the order the OpenAPI document and the
// command line's options show them: limit, cursor, sort, the time ranges, q, then the
// filters in the order of the entity's fields.
std::vector<std::string> list_parameters(const storage::Entity& e);

// The value of a limit parameter named `name`: an integer from 1 to `max`, else Problem 400
// saying so.
std::size_t parse_limit(const std::string& name, const std::string& value, std::size_t max = max_page_size);

}  // namespace relance::domain
