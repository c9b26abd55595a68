#include "relance/model/schema.hpp"

#include <array>

namespace relance::storage {

const Field* Entity::field(std::string_view field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

std::optional<std::size_t> Entity::index_of(std::string_view field_name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == field_name) return i;
  return std::nullopt;
}

bool Entity::has_search() const {
  for (const auto& f : fields)
    if (f.has(searchable)) return true;
  return false;
}

namespace {

using K = FieldKind;
constexpr unsigned R = required, P = personal, RO = read_only, NN = not_null, Q = searchable,
                   W1 = write_once, U = unique;

constexpr std::array<std::string_view, 2> org_kinds{"startup", "region"};
constexpr std::array<std::string_view, 4> roles{"member", "org-admin", "staff", "admin"};
constexpr std::array<std::string_view, 3> token_kinds{"session", "personal", "password"};
constexpr std::array<std::string_view, 2> token_scopes{"read", "read-write"};
constexpr std::array<std::string_view, 2> locales{"fr", "en"};
constexpr std::array<std::string_view, 9> company_kinds{
    "vc-fund", "accelerator", "corporate", "university", "customer",
    "partner", "public-body", "startup", "other"};
constexpr std::array<std::string_view, 5> lawful_bases{
    "consent", "legitimate-interest", "contract", "legal-obligation", "unknown"};
constexpr std::array<std::string_view, 5> activity_kinds{"meeting", "call", "email", "note",
                                                         "stage-change"};
constexpr std::array<std::string_view, 4> followup_states{"open", "done", "snoozed",
                                                          "cancelled"};
constexpr std::array<std::string_view, 7> outcome_kinds{
    "investment", "partnership", "customer-contract", "pilot", "hire", "us-subsidiary", "other"};
constexpr std::array<std::string_view, 5> event_kinds{"trade-mission", "fair", "conference",
                                                      "meetup", "other"};
constexpr std::array<std::string_view, 3> cadence_kinds{"stale-stage", "after-meeting",
                                                        "mission-deadline"};
constexpr std::array<std::string_view, 3> share_request_states{"pending", "accepted", "declined"};

constexpr std::array organisation_fields{
    Field{"name", K::text, R | NN | U, {}, {}, 200, "Display name of the start-up or the region"},
    Field{"kind", K::choice, W1, {}, org_kinds, 0, "startup (default) or region"},
    Field{"default_region", K::country, none, {}, {}, 0,
          "Country used to read phone numbers written without a country code (default FR)"},
    Field{"pipeline_stages", K::text_list, none, {}, {}, 64,
          "Ordered pipeline stages of this organisation's leads"},
};

constexpr std::array user_fields{
    Field{"email", K::text, R | NN | U | P, {}, {}, 254,
          "Login email, unique on the instance (hidden from region staff but for the region's own users)"},
    Field{"display_name", K::text, NN, {}, {}, 200, "Name shown to colleagues"},
    Field{"role", K::choice, none, {}, roles, 0, "member, org-admin, staff or admin"},
    Field{"locale", K::choice, none, {}, locales, 0, "fr or en"},
    Field{"time_zone", K::time_zone, none, {}, {}, 0, "IANA time zone of the user"},
    Field{"disabled", K::boolean, none, {}, {}, 0, "A disabled user cannot log in"},
    Field{"password_hash", K::secret, none, {}, {}, 0, {}},
};

constexpr std::array token_fields{
    Field{"user_id", K::reference, RO, "users", {}, 0, "Owner of the token"},
    Field{"name", K::text, none, {}, {}, 200, "What the token is for"},
    Field{"kind", K::choice, RO, {}, token_kinds, 0, "session (from login), personal, or password (a set-password link)"},
    Field{"scope", K::choice, W1, {}, token_scopes, 0, "read or read-write"},
    Field{"expires_at", K::timestamp, W1, {}, {}, 0, "When the token stops working"},
    Field{"revoked_at", K::timestamp, RO, {}, {}, 0, "When the token was revoked"},
    Field{"token_hash", K::secret, none, {}, {}, 0, {}},
};

constexpr std::array company_fields{
    Field{"name", K::text, R | NN | Q, {}, {}, 300, "Company name"},
    Field{"domain", K::text, Q, {}, {}, 253, "Web domain, e.g. example.com"},
    Field{"sector", K::text, Q, {}, {}, 200, "Sector"},
    Field{"country", K::country, none, {}, {}, 0, "ISO 3166-1 alpha-2 country"},
    Field{"kind", K::choice, none, {}, company_kinds, 0, "Kind of organisation"},
    Field{"website", K::url, none, {}, {}, 2000, "Web site"},
    Field{"tags", K::tag_list, none, {}, {}, 0, "Free tags"},
    Field{"notes", K::text, P | Q, {}, {}, 20000, "Notes"},
};

constexpr std::array contact_fields{
    Field{"first_name", K::text, P | NN | Q, {}, {}, 200, "Given name"},
    Field{"last_name", K::text, P | NN | Q, {}, {}, 200, "Family name"},
    Field{"emails", K::email_list, P | Q, {}, {}, 20, "Email addresses, normalised"},
    Field{"phones", K::phone_list, P, {}, {}, 20, "Phone numbers in E.164"},
    Field{"company_id", K::reference, none, "companies", {}, 0, "Company the contact works for"},
    Field{"title", K::text, Q, {}, {}, 300, "Job title"},
    Field{"city", K::text, Q, {}, {}, 200, "City"},
    Field{"country", K::country, none, {}, {}, 0, "ISO 3166-1 alpha-2 country"},
    Field{"linkedin_url", K::url, P, {}, {}, 2000, "LinkedIn profile URL"},
    Field{"tags", K::tag_list, none, {}, {}, 0, "Free tags"},
    Field{"notes", K::text, P | Q, {}, {}, 20000, "Notes"},
    Field{"met_at", K::timestamp, none, {}, {}, 0, "When the contact was met"},
    Field{"met_where", K::text, Q, {}, {}, 300, "Where the contact was met"},
    Field{"source_event_id", K::reference, none, "events", {}, 0,
          "Trade mission or fair where the contact was met"},
    Field{"lawful_basis", K::choice, none, {}, lawful_bases, 0, "GDPR lawful basis for keeping the data"},
    Field{"consent_at", K::timestamp, none, {}, {}, 0, "When consent was given"},
    Field{"consent_note", K::text, P, {}, {}, 2000, "How consent was given"},
    Field{"time_zone", K::time_zone, none, {}, {}, 0,
          "IANA time zone where the contact works (follow-ups show their local time)"},
};

constexpr std::array lead_fields{
    Field{"title", K::text, R | NN | Q, {}, {}, 300, "What the lead is about"},
    Field{"contact_id", K::reference, none, "contacts", {}, 0, "Main contact"},
    Field{"company_id", K::reference, none, "companies", {}, 0, "Company"},
    Field{"owner_id", K::reference, none, "users", {}, 0, "Colleague who owns the lead"},
    Field{"stage", K::stage, NN, {}, {}, 0, "Pipeline stage"},
    Field{"value", K::money, none, {}, {}, 0, "Expected value, in `currency`"},
    Field{"currency", K::currency, none, {}, {}, 0, "ISO 4217 currency of value"},
    Field{"expected_close", K::date, none, {}, {}, 0, "Expected closing date"},
    Field{"shared_with_region", K::boolean, none, {}, {}, 0,
          "Region staff may see the contact's personal data"},
    Field{"source_event_id", K::reference, none, "events", {}, 0, "Where the lead came from"},
    Field{"tags", K::tag_list, none, {}, {}, 0, "Free tags"},
    Field{"notes", K::text, P | Q, {}, {}, 20000, "Notes"},
};

constexpr std::array activity_fields{
    Field{"lead_id", K::reference, none, "leads", {}, 0, "Lead the activity belongs to"},
    Field{"contact_id", K::reference, none, "contacts", {}, 0, "Contact met, called or written to"},
    Field{"kind", K::choice, R | NN, {}, activity_kinds, 0, "meeting, call, email or note"},
    Field{"occurred_at", K::timestamp, NN, {}, {}, 0, "When it happened (default: now)"},
    Field{"subject", K::text, Q, {}, {}, 300, "Subject"},
    Field{"notes", K::text, P | Q, {}, {}, 20000, "Notes"},
    Field{"from_stage", K::text, RO, {}, {}, 64, "For stage changes: the stage before"},
    Field{"to_stage", K::text, RO, {}, {}, 64, "For stage changes: the stage after"},
    Field{"author_id", K::reference, RO, "users", {}, 0, "Who logged it"},
};

constexpr std::array followup_fields{
    Field{"lead_id", K::reference, none, "leads", {}, 0, "Lead to follow up"},
    Field{"contact_id", K::reference, none, "contacts", {}, 0, "Contact to follow up"},
    Field{"assignee_id", K::reference, none, "users", {}, 0, "Who follows up (default: caller)"},
    Field{"title", K::text, R | Q, {}, {}, 300, "What to do"},
    Field{"due_at", K::timestamp, R | NN, {}, {}, 0, "Due instant"},
    Field{"time_zone", K::time_zone, none, {}, {}, 0, "IANA time zone of the assignee"},
    Field{"status", K::choice, NN, {}, followup_states, 0, "open, done, snoozed or cancelled"},
    Field{"notes", K::text, P, {}, {}, 20000, "Notes"},
    Field{"done_at", K::timestamp, RO, {}, {}, 0, "When it was marked done"},
};

constexpr std::array outcome_fields{
    Field{"lead_id", K::reference, none, "leads", {}, 0, "Lead that produced the outcome"},
    Field{"event_id", K::reference, none, "events", {}, 0, "Trade mission or fair the outcome came from"},
    Field{"partner_company_id", K::reference, none, "companies", {}, 0,
          "Partner company: the fund that invested, the corporate that signed..."},
    Field{"kind", K::choice, R | NN, {}, outcome_kinds, 0, "Kind of outcome"},
    Field{"amount", K::money, none, {}, {}, 0, "Amount, in `currency`"},
    Field{"currency", K::currency, none, {}, {}, 0, "ISO 4217 currency of amount"},
    Field{"amount_eur", K::money, RO, {}, {}, 0,
          "The amount in euros, computed when amount, currency or occurred_on is written, with eur_rate",
          "EUR"},
    Field{"eur_rate", K::rate, RO, {}, {}, 0,
          "The value of one unit of currency in euros that amount_eur was computed with "
          "(from /exchange-rates; kept, so that later rates do not change it)"},
    Field{"jobs", K::integer, none, {}, {}, 0, "Jobs created"},
    Field{"occurred_on", K::date, none, {}, {}, 0, "Date of the outcome"},
    Field{"evidence", K::text, none, {}, {}, 2000, "Evidence: press release, signed contract..."},
    Field{"notes", K::text, P, {}, {}, 20000, "Notes"},
};

constexpr std::array event_fields{
    Field{"name", K::text, R | NN, {}, {}, 300, "Name of the mission or fair"},
    Field{"kind", K::choice, none, {}, event_kinds, 0, "trade-mission, fair, conference, meetup, other"},
    Field{"city", K::text, none, {}, {}, 200, "City"},
    Field{"country", K::country, none, {}, {}, 0, "ISO 3166-1 alpha-2 country"},
    Field{"starts_on", K::date, none, {}, {}, 0, "First day"},
    Field{"ends_on", K::date, none, {}, {}, 0, "Last day"},
};

// Rules that create follow-ups so that no lead is forgotten (core/followups/cadence.cpp).
constexpr std::array cadence_rule_fields{
    Field{"kind", K::choice, R | W1, {}, cadence_kinds, 0,
          "stale-stage: a lead in `stage` with no activity for `days` days gets a follow-up for its owner; "
          "after-meeting: a logged meeting gets a follow-up `days` days later; mission-deadline: every lead "
          "from `event_id` gets a first follow-up within `days` days of the event's end"},
    Field{"stage", K::stage, none, {}, {}, 0, "For stale-stage: the pipeline stage watched"},
    Field{"days", K::integer, R, {}, {}, 0, "Days (1 to 365)"},
    Field{"event_id", K::reference, none, "events", {}, 0, "For mission-deadline: the trade mission or fair"},
    Field{"title", K::text, none, {}, {}, 300, "Title of the follow-ups it creates (a sensible default otherwise)"},
    Field{"enabled", K::boolean, none, {}, {}, 0, "Rules can be paused (default: enabled)"},
};

// The region's table of exchange rates to the euro (outcomes' amount_eur): kept by region
// staff and the instance admin, read by every organisation (Sharing::region_wide).
constexpr std::array exchange_rate_fields{
    Field{"currency", K::currency, R | NN, {}, {}, 0, "ISO 4217 currency (not EUR)"},
    Field{"rate", K::rate, R | NN, {}, {}, 0,
          "Value of one unit of currency in euros: 1 USD = 0.9234 EUR is \"0.9234\""},
    Field{"valid_from", K::date, R | NN, {}, {}, 0,
          "First day the rate applies to (an outcome of that day or later, until the next rate)"},
    Field{"source", K::text, none, {}, {}, 300, "Where the rate comes from: ECB reference rate..."},
};

// Region staff asking a start-up to share a lead (core/services/share_requests.cpp). The row
// is the start-up's (org_id is the lead's organisation): its members list and answer it;
// staff, who asked, read it across organisations. Nothing in it is personal data: staff
// write the message, and name the lead by the id they already see on its redacted row.
constexpr std::array share_request_fields{
    Field{"lead_id", K::reference, R | W1, "leads", {}, 0, "Lead the region asks to see shared"},
    Field{"message", K::text, none, {}, {}, 2000, "Why the region asks"},
    Field{"state", K::choice, RO | NN, {}, share_request_states, 0, "pending, accepted or declined"},
    Field{"requested_by", K::reference, RO, "users", {}, 0, "Staff member who asked"},
    Field{"answered_by", K::reference, RO, "users", {}, 0, "Who accepted or declined"},
    Field{"answered_at", K::timestamp, RO, {}, {}, 0, "When it was accepted or declined"},
    Field{"reason", K::text, RO, {}, {}, 2000, "Why it was declined (or accepted), when the start-up says"},
};

// A file kept with a contact: the photo of a business card taken at a stand
// (core/services/attachments.cpp). These fields are its metadata; its bytes are a BLOB
// column beside them that no field names, written and read only by
// WriteTxn::set_attachment_content and Store::attachment_content: a list of a contact's
// files, its audit entry and its event never read them, only GET /api/v1/attachments/{id}.
// Never shared with the region: a card photo is personal data.
constexpr std::string_view attachment_types[] = {"image/jpeg", "image/png", "image/webp"};
constexpr std::array attachment_fields{
    Field{"contact_id", K::reference, R | W1, "contacts", {}, 0, "Contact the file belongs to"},
    Field{"filename", K::text, RO | NN | P, {}, {}, 255, "The file's name as it was sent"},
    Field{"content_type", K::choice, RO | NN, {}, attachment_types, 0, "image/jpeg, image/png or image/webp"},
    Field{"size_bytes", K::integer, RO | NN, {}, {}, 0, "The file's size in bytes"},
};

}  // namespace

namespace entities {
const Entity organisations{"organisations", "organisation", organisation_fields, Sharing::never, false};
const Entity users{"users", "user", user_fields};
const Entity api_tokens{"api_tokens", "token", token_fields};
const Entity companies{"companies", "company", company_fields, Sharing::always};
const Entity contacts{"contacts", "contact", contact_fields, Sharing::via_contact};
const Entity leads{"leads", "lead", lead_fields, Sharing::always};
const Entity activities{"activities", "activity", activity_fields, Sharing::via_lead};
const Entity followups{"followups", "followup", followup_fields, Sharing::via_lead};
const Entity outcomes{"outcomes", "outcome", outcome_fields, Sharing::always};
const Entity events{"events", "event", event_fields, Sharing::region_wide};
const Entity cadence_rules{"cadence_rules", "cadence_rule", cadence_rule_fields};
const Entity exchange_rates{"exchange_rates", "exchange_rate", exchange_rate_fields, Sharing::region_wide};
const Entity share_requests{"share_requests", "share_request", share_request_fields, Sharing::always};
const Entity attachments{"attachments", "attachment", attachment_fields};
}  // namespace entities

std::span<const Entity* const> all_entities() {
  static const std::array<const Entity*, 14> all{
      &entities::organisations, &entities::users,      &entities::api_tokens,
      &entities::events,        &entities::companies,  &entities::contacts,
      &entities::leads,         &entities::activities, &entities::followups,
      &entities::outcomes,      &entities::cadence_rules, &entities::exchange_rates,
      &entities::share_requests, &entities::attachments};
  return all;
}

const Entity* find_entity(std::string_view name) {
  for (const Entity* e : all_entities())
    if (e->name == name) return e;
  return nullptr;
}

std::vector<Reference> references_to(const Entity& e) {
  std::vector<Reference> out;
  for (const Entity* by : all_entities())
    for (const Field& f : by->fields)
      if (f.kind == FieldKind::reference && f.references == e.name) out.push_back({by, &f});
  return out;
}

}  // namespace relance::storage
