// FieldOptions: an option per writable field of an entity, derived from the schema
// (--first-name, --email repeatable for emails, --company-id...), read back as the JSON body
// of a POST or PATCH holding only the options given. Values go to the API as typed: it
// validates them and its problem document says what is wrong. Instants are read here, as a
// person types them (cli/when.hpp), in the zone --time-zone gives (the record's own time_zone
// field where it has one), else the user's.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "cli/record_kind.hpp"

namespace relance::cli {

// "--first-name" for first_name; list fields take the singular ("--email" for emails).
std::string option_name(const storage::Field& f);

class FieldOptions {
 public:
  enum class Purpose { create, update };
  // Adds the options to `cmd`, except for the fields in `except` (set by the command itself).
  // On create, the kind's positional fields are positional arguments too; on update, the
  // options include --unset FIELD.
  FieldOptions(CLI::App& cmd, const RecordKind& kind, Purpose purpose, std::vector<std::string_view> except = {});
  FieldOptions(const FieldOptions&) = delete;
  FieldOptions& operator=(const FieldOptions&) = delete;

  // The fields given, as the API takes them.
  boost::json::object body() const;

 private:
  struct Value {
    const storage::Field* field;
    CLI::Option* option;
    std::string one;                // single-valued fields
    std::vector<std::string> many;  // list fields
  };
  const storage::Entity* entity_;
  std::deque<Value> values_;  // stable addresses: CLI11 writes into them
  std::vector<std::string> unset_;
  std::string reading_zone_;  // --time-zone, for an entity without a time_zone field
};

}  // namespace relance::cli
