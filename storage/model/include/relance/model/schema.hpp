// The data model, declared once. Each entity is a table whose columns are described here;
// the SQLite backend derives its SQL from these descriptions, and core derives its JSON
// codec, validation, privacy rules and OpenAPI schemas from the same ones, so adding a
// field is one line here (plus a migration) rather than seven edits in seven places.
//
// Thread safety: immutable after static initialisation; read from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace relance::storage {

// What a field means. Storage maps it to an SQL type; core maps it to a JSON type and a
// validation rule.
enum class FieldKind {
  text,        // UTF-8 string, max_length characters
  integer,     // signed 64-bit
  boolean,     // 0/1 in SQL, true/false in JSON
  timestamp,   // RFC 3339 instant, stored as UTC "YYYY-MM-DDTHH:MM:SS.mmmZ"
  date,        // calendar date "YYYY-MM-DD"
  email_list,  // JSON array of normalised email addresses (stored as JSON text)
  phone_list,  // JSON array of E.164 phone numbers (stored as JSON text)
  tag_list,    // JSON array of tags (stored as JSON text, indexed in the tags table)
  text_list,   // JSON array of strings (stored as JSON text)
  currency,    // ISO 4217 code
  money,       // amount in minor units (integer in SQL, decimal number in JSON) of the row's
               // `currency`, or of the field's `fixed_currency`
  rate,        // exchange rate: an exact positive decimal (text in SQL, a decimal string in
               // JSON: "0.9234"), at most 12 decimals, below 1,000,000
  url,         // absolute http(s) URL
  country,     // ISO 3166-1 alpha-2
  time_zone,   // IANA time zone name
  choice,      // one of `choices`
  stage,       // one of the organisation's pipeline stages
  reference,   // id of a row of `references`
  secret,      // never leaves storage through the API (password and token hashes)
};

enum FieldFlags : unsigned {
  none = 0,
  required = 1u << 0,     // must be present and non-null on create
  personal = 1u << 1,     // personal data: hidden from region staff unless shared
  read_only = 1u << 2,    // set by the server only (a client sending it gets a 400)
  not_null = 1u << 3,     // the column is NOT NULL (an absent text is empty): lists may be
                          // ordered by it, since keyset paging compares its values
  searchable = 1u << 4,   // indexed in the entity's full-text index
  write_once = 1u << 5,   // settable on create, not on update
  unique = 1u << 6,       // unique across the instance (users' emails, organisations' names)
};

struct Field {
  std::string_view name;
  FieldKind kind;
  unsigned flags = none;
  std::string_view references = {};             // entity name, for kind == reference
  std::span<const std::string_view> choices = {};  // for kind == choice
  std::size_t max_length = 0;                    // for text-like kinds; 0 = default
  std::string_view description = {};
  std::string_view fixed_currency = {};          // for kind == money: its currency, when it is
                                                 // not the row's `currency` (amount_eur: EUR)

  bool has(FieldFlags f) const { return (flags & f) != 0; }
};

// How a row of this entity is shared with region staff of other organisations. A rule of
// the API's tenancy, kept with the entity because storage builds the scoped SQL of every
// read from it (Scope::org_and_shared: the shared rows are found by the query, not filtered
// after it, so that paging and counts stay right); docs/architecture.md says more.
enum class Sharing {
  never,          // never visible across organisations
  always,         // visible to staff across organisations; personal fields hidden unless
                  // the row (a lead) has shared_with_region set
  via_lead,       // visible when its lead_id points to a shared lead
  via_contact,    // visible when a shared lead points to it (contacts)
  region_wide,    // the region's rows are read by every organisation (its trade missions,
                  // fairs and exchange rates: Scope::org_and_region); another organisation's
                  // rows by staff, whole (an event holds no personal data)
};

struct Entity {
  std::string_view name;      // table and URL segment: "contacts"
  std::string_view singular;  // "contact", used in event types and messages
  std::span<const Field> fields;
  Sharing sharing = Sharing::never;
  bool org_owned = true;  // carries org_id; false only for organisations themselves

  const Field* field(std::string_view field_name) const;
  std::optional<std::size_t> index_of(std::string_view field_name) const;
  bool has_search() const;  // some field is full-text indexed
};

namespace entities {
extern const Entity organisations;
extern const Entity users;
extern const Entity api_tokens;
extern const Entity companies;
extern const Entity contacts;
extern const Entity leads;
extern const Entity activities;
extern const Entity followups;
extern const Entity outcomes;
extern const Entity events;
extern const Entity cadence_rules;
extern const Entity exchange_rates;
extern const Entity share_requests;
extern const Entity attachments;
}  // namespace entities

// Every entity, in dependency order (an entity comes after the ones it references).
std::span<const Entity* const> all_entities();
const Entity* find_entity(std::string_view name);

// A reference field of one entity to rows of another: leads.contact_id to contacts.
struct Reference {
  const Entity* by;
  const Field* field;
};
// Every reference field that points to rows of `e`, in the order of all_entities().
std::vector<Reference> references_to(const Entity& e);

}  // namespace relance::storage
