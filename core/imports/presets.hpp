// Internal to core/imports: the CSV presets (presets/<name>.toml) and how a header is
// recognised and mapped. See presets/README.md for the file format.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace relance::imports::detail {

// How the values of one column become a field.
struct ColumnRule {
  std::string pattern;  // header name, folded (case, accents, spaces); '*' matches any text
  std::string field;    // a contact field, or "company", "full_name", "ignore"
  std::string split;    // several values in one cell, separated by this
  std::vector<std::string> drop;          // values left out (folded)
  std::vector<std::string> date_formats;  // met_at: "%d %b %Y"...
  std::string contains;                   // only values that contain this (folded)
  std::string join;                       // text: join values of several columns with this
};

struct Preset {
  std::string name;   // file name without .toml
  std::string label;  // "LinkedIn Connections"
  std::vector<std::string> all;  // required header columns (folded)
  std::vector<std::string> any;  // at least one of these (folded), when not empty
  std::size_t max_preamble_lines = 0;  // lines before the header that may be skipped
  int priority = 0;                    // tried first when higher
  std::vector<ColumnRule> columns;     // exact names first, then patterns with '*'

  // The rule for a header column, or nullptr.
  const ColumnRule* rule_for(const std::string& folded_header) const;
  // Whether a header (folded columns) is one this preset recognises.
  bool recognises(const std::vector<std::string>& folded_header) const;
  // The required columns a header lacks, as written in the preset.
  std::vector<std::string> missing(const std::vector<std::string>& folded_header) const;
  std::vector<std::string> all_as_written, any_as_written;
};

// Header folding: trimmed, case- and accent-folded, runs of white space as one space.
std::string fold_header(const std::string& column);

// Every preset of a folder, highest priority first. Throws an internal Problem for a preset that
// is not valid (a bad preset is a packaging bug, not the user's).
std::vector<Preset> load_presets(const std::string& dir);
Preset load_preset(const std::string& file);

// The fields a mapping may name: contact fields a client may write, plus "company",
// "full_name" and "ignore".
bool known_target(const std::string& field);

// A custom preset from ImportOptions::mapping; throws a malformed Problem for an unknown field.
Preset custom_preset(const std::map<std::string, std::string>& mapping);

// True when `text` (folded) matches `pattern` (folded, '*' = any text).
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace relance::imports::detail
