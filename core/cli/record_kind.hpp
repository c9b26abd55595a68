// RecordKind: how the records of one entity look on the command line (`relance contact`,
// `relance lead`...): the subcommand's name, the list's columns, the fields `add` also takes
// as positional arguments. The fields themselves, their options and their validation come
// from the schema (storage/model/schema.cpp) and the API, never from a list kept here.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "relance/model/schema.hpp"

namespace relance::cli {

class ApiClient;

// A column of a list: its fields' values joined by `joiner` (empty ones left out), under a
// header the catalogue's key names ("cli.column.name"), in the user's language.
struct Column {
  std::string header;
  std::vector<std::string_view> fields;
  std::string joiner = " ";
};

struct RecordKind {
  const storage::Entity* entity = nullptr;
  std::string command;  // "contact": the subcommand, and the noun in messages
  std::string help;
  std::vector<Column> columns;               // the list's table (the id comes first)
  std::vector<std::string_view> positional;  // fields `add` also takes as positional arguments
  std::string default_sort;                  // a list's order without --sort ("": the API's)
  // What `show` prints after the record (a lead's activities and follow-ups), in tables.
  std::function<void(ApiClient&, const boost::json::object&)> more;

  std::string path() const { return "/api/v1/" + std::string(entity->name); }
  std::string path(std::int64_t id) const { return path() + "/" + std::to_string(id); }
};
using Kind = std::shared_ptr<const RecordKind>;

Kind contact_kind();
Kind company_kind();
Kind lead_kind();
Kind activity_kind();
Kind followup_kind();
Kind outcome_kind();
Kind event_kind();

}  // namespace relance::cli
