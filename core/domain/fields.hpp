// Field rules: turn a JSON value a client sent into the value storage keeps (normalised:
// emails lower-cased, phones in E.164, instants in UTC, amounts in minor units), and back.
// Every refusal is a Problem (422) that names the field and says why.
#pragma once

#include <boost/json/value.hpp>

#include <span>
#include <string>

#include "relance/model/schema.hpp"
#include "relance/model/value.hpp"

namespace relance::domain {

// What some rules need to know about the organisation and the row.
struct FieldContext {
  std::string_view default_region = "FR";        // for phones written without +CC
  std::span<const std::string> stages = {};      // the organisation's pipeline
  int minor_units = 2;                           // of the row's currency, for money
  // Where default_region comes from, for the error that says which region a number was
  // read in: "the organisation's region", "the contact's country", "the import's region".
  std::string_view region_source = "the organisation's region";
};

storage::Value to_storage(const storage::Field& f, const boost::json::value& v,
                          const FieldContext& ctx);
// The value as JSON text, appended to `out` (rows are encoded this way, see record_json).
void append_json(std::string& out, const storage::Field& f, const storage::Value& v,
                 int minor_units);

// The most items a list field (emails, phones, tags, texts) holds; 0 for other kinds.
std::size_t max_items(const storage::Field& f);

// The region a phone number without "+" is read in when a record gives its country (the
// contact's country, as typed: "us" -> "US"); nullopt when the text is not a country code.
// A contact's phones are read in its country, else the organisation's region (record_json
// and the import apply it).
std::optional<std::string> phone_region(std::string_view country);

// What a refusal of the phone number `text` adds to say where it was read: " (read as a
// number of FR, the organisation's region; write it with + and its country code, or give
// the contact's country)"; for a number with "+", " (check its digits)".
std::string phone_hint(std::string_view text, const FieldContext& ctx);

// A normalised email address, or nullopt when it is not one.
std::optional<std::string> normalise_email(std::string_view text);

}  // namespace relance::domain
