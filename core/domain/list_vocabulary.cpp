#include "domain/list_vocabulary.hpp"

#include <algorithm>
#include <array>
#include <span>

#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace relance::domain {
using storage::Entity;
using storage::Field;
using storage::FieldKind;
namespace ent = storage::entities;

namespace {

constexpr std::size_t max_search_length = 200;

// What the lists of one entity offer. `equal`: ?name=value (a tag list's is ?tag=);
// `ranged`: ?stem_from= and ?stem_to= (due_at: due_from, starts_on: starts_from); `sorts`:
// ?sort=[-]name besides id, created_at and updated_at.
struct Vocabulary {
  std::span<const std::string_view> equal;
  std::span<const std::string_view> ranged;
  std::span<const std::string_view> sorts;
};

using Names = std::string_view[];
constexpr std::string_view none[] = {""};  // an empty span needs an array to point at

constexpr Names organisation_equal{"name", "kind"};
constexpr Names organisation_sorts{"name"};
constexpr Names user_equal{"email", "role", "disabled"};
constexpr Names user_sorts{"email", "display_name"};
constexpr Names token_equal{"user_id"};
constexpr Names company_equal{"name", "domain", "sector", "country", "kind", "tags"};
constexpr Names company_sorts{"name"};
constexpr Names contact_equal{"company_id", "city", "country", "tags", "source_event_id", "lawful_basis"};
constexpr Names contact_ranged{"met_at"};
constexpr Names contact_sorts{"first_name", "last_name"};
constexpr Names lead_equal{"contact_id", "company_id", "owner_id", "stage", "currency",
                           "shared_with_region", "source_event_id", "tags"};
constexpr Names lead_ranged{"expected_close"};
constexpr Names lead_sorts{"title", "stage"};
constexpr Names activity_equal{"lead_id", "contact_id", "kind", "author_id"};
constexpr Names activity_ranged{"occurred_at"};
constexpr Names activity_sorts{"kind", "occurred_at"};
constexpr Names followup_equal{"lead_id", "contact_id", "assignee_id", "status"};
constexpr Names followup_ranged{"due_at"};
constexpr Names followup_sorts{"due_at", "status"};
constexpr Names outcome_equal{"lead_id", "event_id", "partner_company_id", "kind", "currency"};
constexpr Names outcome_ranged{"occurred_on"};
constexpr Names outcome_sorts{"kind"};
constexpr Names event_equal{"name", "kind", "city", "country"};
constexpr Names event_ranged{"starts_on", "ends_on"};
constexpr Names event_sorts{"name"};
constexpr Names cadence_rule_equal{"kind", "stage", "event_id", "enabled"};
constexpr Names exchange_rate_equal{"currency"};
constexpr Names exchange_rate_sorts{"currency", "valid_from"};
constexpr Names share_request_equal{"lead_id", "state", "requested_by"};

constexpr std::span<const std::string_view> nothing{none, 0};

const Vocabulary& vocabulary(const Entity& e) {
  static const Vocabulary organisations{organisation_equal, nothing, organisation_sorts};
  static const Vocabulary users{user_equal, nothing, user_sorts};
  static const Vocabulary tokens{token_equal, nothing, nothing};
  static const Vocabulary companies{company_equal, nothing, company_sorts};
  static const Vocabulary contacts{contact_equal, contact_ranged, contact_sorts};
  static const Vocabulary leads{lead_equal, lead_ranged, lead_sorts};
  static const Vocabulary activities{activity_equal, activity_ranged, activity_sorts};
  static const Vocabulary followups{followup_equal, followup_ranged, followup_sorts};
  static const Vocabulary outcomes{outcome_equal, outcome_ranged, outcome_sorts};
  static const Vocabulary events{event_equal, event_ranged, event_sorts};
  static const Vocabulary cadence_rules{cadence_rule_equal, nothing, nothing};
  static const Vocabulary exchange_rates{exchange_rate_equal, nothing, exchange_rate_sorts};
  static const Vocabulary share_requests{share_request_equal, nothing, nothing};
  static const Vocabulary unlisted{nothing, nothing, nothing};
  if (&e == &ent::organisations) return organisations;
  if (&e == &ent::users) return users;
  if (&e == &ent::api_tokens) return tokens;
  if (&e == &ent::companies) return companies;
  if (&e == &ent::contacts) return contacts;
  if (&e == &ent::leads) return leads;
  if (&e == &ent::activities) return activities;
  if (&e == &ent::followups) return followups;
  if (&e == &ent::outcomes) return outcomes;
  if (&e == &ent::events) return events;
  if (&e == &ent::cadence_rules) return cadence_rules;
  if (&e == &ent::exchange_rates) return exchange_rates;
  if (&e == &ent::share_requests) return share_requests;
  return unlisted;
}

// The lists whose rows may come from several organisations (region staff's reads) take
// ?org_id=: the records'. Accounts and tokens are listed through their own rules.
bool filters_by_org(const Entity& e) {
  return e.org_owned && &e != &ent::users && &e != &ent::api_tokens;
}

bool holds(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// "due_at" -> "due", "starts_on" -> "starts": the stem of range parameters.
std::string range_stem(std::string_view name) {
  if (name.ends_with("_at") || name.ends_with("_on")) name.remove_suffix(3);
  return std::string(name);
}

// The value a filter compares with, read from the query string like the field it filters.
storage::Value filter_value(const Field& f, const std::string& name, const std::string& raw) {
  switch (f.kind) {
    case FieldKind::reference:
    case FieldKind::integer: {
      auto v = parse_int64(raw);
      if (!v) throw Problem::bad_request(name + " must be an integer", name);
      return *v;
    }
    case FieldKind::boolean:
      if (raw == "true") return std::int64_t{1};
      if (raw == "false") return std::int64_t{0};
      throw Problem::bad_request(name + " must be true or false", name);
    case FieldKind::timestamp: {
      auto t = normalise_instant(raw);
      if (!t) throw Problem::bad_request(name + " must be an RFC 3339 instant", name);
      return *t;
    }
    case FieldKind::date:
      if (!valid_date(raw)) throw Problem::bad_request(name + " must be a date", name);
      return raw;
    case FieldKind::country:
    case FieldKind::currency: return fold_ascii_upper(raw);
    default: return raw;
  }
}

// The field a range parameter (occurred_from, due_to...) bounds; nullptr when it bounds
// none of the entity's fields (created_from and updated_to bound the record's own columns).
const Field* ranged_field(const Entity& e, const std::string& stem) {
  for (std::string_view field : vocabulary(e).ranged)
    if (range_stem(field) == stem) return e.field(field);
  return nullptr;
}

std::string range_stem_of(const std::string& name) {
  return name.substr(0, name.size() - (name.ends_with("_from") ? 5 : 3));
}

std::optional<ListCondition> range_condition(const Entity& e, const std::string& name, const std::string& raw) {
  const std::string stem = range_stem_of(name);
  const auto test = name.ends_with("_from") ? ListCondition::Test::at_least : ListCondition::Test::before;
  if (const Field* f = ranged_field(e, stem)) return ListCondition{f->name, test, filter_value(*f, name, raw)};
  if (stem != "updated" && stem != "created") return std::nullopt;
  auto t = normalise_instant(raw);
  if (!t) throw Problem::bad_request(name + " must be an RFC 3339 instant", name);
  return ListCondition{stem == "updated" ? "updated_at" : "created_at", test, *t};
}

}  // namespace

std::optional<ListCondition> list_condition(const Entity& e, const std::string& name, const std::string& raw) {
  const Vocabulary& v = vocabulary(e);
  if (name == "tag" && e.field("tags")) {
    if (!holds(v.equal, "tags")) return std::nullopt;
    return ListCondition{"tags", ListCondition::Test::has_tag, raw};
  }
  if (name.ends_with("_from") || name.ends_with("_to")) return range_condition(e, name, raw);
  if (name == "org_id" && filters_by_org(e)) {
    auto id = parse_int64(raw);
    if (!id) throw Problem::bad_request("org_id must be an integer", name);
    return ListCondition{"org_id", ListCondition::Test::equals, *id};
  }
  const Field* f = e.field(name);
  if (!f || f->kind == FieldKind::tag_list || !holds(v.equal, name)) return std::nullopt;
  return ListCondition{f->name, ListCondition::Test::equals, filter_value(*f, name, raw)};
}

std::optional<FieldKind> range_kind(const Entity& e, const std::string& name) {
  if (!name.ends_with("_from") && !name.ends_with("_to")) return std::nullopt;
  const std::string stem = range_stem_of(name);
  if (const Field* f = ranged_field(e, stem)) return f->kind;
  if (stem == "updated" || stem == "created") return FieldKind::timestamp;
  return std::nullopt;
}

std::string list_search(const Entity& e, const std::string& raw) {
  if (!e.has_search())
    throw Problem::bad_request("the " + std::string(e.name) + " list has no full-text search", "q");
  if (!valid_utf8(raw)) throw Problem::bad_request("q is not valid UTF-8", "q");
  // FTS5 reads a query's text up to a NUL and then fails on the open phrase (a 500).
  if (raw.find('\0') != std::string::npos) throw Problem::bad_request("q must not contain NUL characters", "q");
  if (utf8_length(raw) > max_search_length) throw Problem::bad_request("q is longer than 200 characters", "q");
  return raw;
}

std::optional<std::string_view> list_sort(const Entity& e, std::string_view name) {
  for (std::string_view always : {std::string_view("id"), std::string_view("created_at"),
                                  std::string_view("updated_at")})
    if (name == always) return always;
  const Vocabulary& v = vocabulary(e);
  const auto it = std::find(v.sorts.begin(), v.sorts.end(), name);
  if (it == v.sorts.end()) return std::nullopt;
  return *it;
}

const Field* list_parameter_field(const Entity& e, const std::string& name) {
  if (name.ends_with("_from") || name.ends_with("_to")) return ranged_field(e, range_stem_of(name));
  const Field* f = e.field(name);
  return f && f->kind != FieldKind::tag_list && holds(vocabulary(e).equal, name) ? f : nullptr;
}

std::vector<std::string_view> list_sorts(const Entity& e) {
  std::vector<std::string_view> out{"id", "created_at", "updated_at"};
  const Vocabulary& v = vocabulary(e);
  out.insert(out.end(), v.sorts.begin(), v.sorts.end());
  return out;
}

std::vector<std::string> list_parameters(const Entity& e) {
  std::vector<std::string> out{"limit", "cursor", "sort", "updated_from", "updated_to",
                               "created_from", "created_to"};
  if (filters_by_org(e)) out.emplace_back("org_id");
  if (e.has_search()) out.emplace_back("q");
  const Vocabulary& v = vocabulary(e);
  for (const Field& f : e.fields) {
    if (holds(v.equal, f.name)) out.emplace_back(f.kind == FieldKind::tag_list ? "tag" : std::string(f.name));
    if (holds(v.ranged, f.name)) {
      out.push_back(range_stem(f.name) + "_from");
      out.push_back(range_stem(f.name) + "_to");
    }
  }
  return out;
}

std::size_t parse_limit(const std::string& name, const std::string& value, std::size_t max) {
  const auto n = parse_int64(value);
  if (!n || *n < 1 || *n > static_cast<std::int64_t>(max))
    throw Problem::bad_request(name + " must be an integer from 1 to " + std::to_string(max), name);
  return static_cast<std::size_t>(*n);
}

}  // namespace relance::domain
