// Internal to core/imports: builds one ImportRow from the values of a record (CSV cells or
// vCard properties), applying a column's rule and the contact field rules.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imports/import.hpp"
#include "imports/presets.hpp"

namespace relance::imports::detail {

class ContactBuilder {
 public:
  explicit ContactBuilder(std::string default_region) : region_(std::move(default_region)) {}

  // Starts a new row.
  void start(std::size_t line);
  // One value of the record: `source` names where it came from in sentences ("column
  // Notes", "property EMAIL"). Values are trimmed; empty ones are ignored.
  void add(const ColumnRule& rule, const std::string& source, std::string_view value);
  void warn(std::string warning) { row_.warnings.push_back(std::move(warning)); }
  void fail(std::string error) {
    if (row_.error.empty()) row_.error = std::move(error);
  }
  // The row as it will be stored: each value through the contact field rules once
  // (domain::to_storage), a refusal becoming the row's error naming its source.
  ImportRow finish();

 private:
  void add_one(const ColumnRule& rule, const std::string& source, std::string value);
  void set_text(const std::string& field, const std::string& source, std::string value,
                const std::string& join);
  void add_item(const std::string& field, const std::string& source, std::string value);

  std::string region_;
  ImportRow row_;
  std::map<std::string, std::string> text_;                 // field -> value
  std::map<std::string, std::vector<std::string>> lists_;   // field -> values
  std::map<std::string, std::string> source_of_;            // field -> first source
  std::string full_name_, company_;
  std::vector<std::pair<std::string, std::string>> phones_typed_;  // (source, as typed)
};

// "France", "États-Unis", "usa", "fr" -> "FR", "US"...; nullopt when unknown.
std::optional<std::string> country_code(std::string_view name);

// A date (and time) in one of `formats` (strftime-like: %d %m %Y %y %b %B %H %M %S, or
// "iso" for RFC 3339 and YYYY-MM-DD) -> RFC 3339 instant in UTC; nullopt if none fits.
std::optional<std::string> parse_date(std::string_view text,
                                      const std::vector<std::string>& formats);

}  // namespace relance::imports::detail
