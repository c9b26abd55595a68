// Record commands: `relance contact|company|lead add|list|show|edit|rm` (and `lead move`),
// built once for any RecordKind; activity_commands.cpp and followup_commands.cpp build on
// the same verbs.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <string>

#include "cli/record_kind.hpp"

namespace relance::cli {

// Sets what `cmd` runs once CLI11 has parsed it.
void runs(CLI::App* cmd, std::function<int()>& run, std::function<int()> body);
// --json: print the daemon's JSON answer.
void add_json_flag(CLI::App* cmd, bool& as_json);

// `relance <kind.command>`, needing one of the verbs added to it.
CLI::App* add_record_group(CLI::App& app, const Kind& kind);
// `<name> [positional fields] [--field value...]`: POSTs a record.
CLI::App* add_create_command(CLI::App& parent, std::function<int()>& run, const Kind& kind, const std::string& name,
                             const std::string& help);
// `list`: the list's filters as options (from the API's list parameters), --all, --json.
CLI::App* add_list_command(CLI::App& group, std::function<int()>& run, const Kind& kind);
CLI::App* add_show_command(CLI::App& group, std::function<int()>& run, const Kind& kind);
CLI::App* add_edit_command(CLI::App& group, std::function<int()>& run, const Kind& kind);
CLI::App* add_remove_command(CLI::App& group, std::function<int()>& run, const Kind& kind);
// add, list, show, edit and rm under `relance <kind.command>`.
CLI::App* add_crud_commands(CLI::App& app, std::function<int()>& run, const Kind& kind);

// PATCHes `fields` onto a record, then prints it (--json) or "<kind> <id> <what>".
int patch_record(const RecordKind& kind, std::int64_t id, const boost::json::object& fields, bool as_json,
                 const std::string& what);
// Prints a record the daemon answered to a write: its JSON, or "<kind> <id> <what>".
void print_written(const RecordKind& kind, const boost::json::object& record, bool as_json, const std::string& what);

// contact (with merge, unmerge and merges), company, event, outcome and lead (with lead move).
void add_record_commands(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
