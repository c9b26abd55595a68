// The record kinds of the command line: names, columns, positional fields, default order.
#include <boost/json/value.hpp>

#include <iostream>

#include "cli/api_client.hpp"
#include "cli/record_kind.hpp"
#include "cli/record_output.hpp"

namespace relance::cli {
namespace ent = storage::entities;

namespace {

// The records of `kind` whose `owner_field` names the record shown (a lead's activities, an
// event's outcomes), as a titled table (nothing when none).
void print_part(ApiClient& api, const RecordKind& kind, const std::string& title, const std::string& owner_field,
                std::int64_t owner_id) {
  const auto page = api.call("GET", kind.path() + "?" + owner_field + "=" + std::to_string(owner_id) + "&limit=200" +
                                        (kind.default_sort.empty() ? "" : "&sort=" + kind.default_sort))
                        .json();
  const auto& items = page.at("items").as_array();
  if (items.empty()) return;
  std::cout << "\n" << title << "\n" << table_text(kind, items);
}

}  // namespace

Kind contact_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::contacts, "contact", "People met: add, list, show, edit, rm",
      {{"NAME", {"first_name", "last_name"}},
       {"EMAIL", {"emails"}},
       {"PHONE", {"phones"}},
       {"COMPANY", {"company_id"}},
       {"TITLE", {"title"}},
       {"CITY", {"city", "country"}, ", "},
       {"TAGS", {"tags"}}},
      {}, "", {}});
  return k;
}

Kind company_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::companies, "company", "Funds, accelerators, corporates, customers: add, list, show, edit, rm",
      {{"NAME", {"name"}},
       {"KIND", {"kind"}},
       {"SECTOR", {"sector"}},
       {"COUNTRY", {"country"}},
       {"DOMAIN", {"domain"}},
       {"TAGS", {"tags"}}},
      {"name"}, "", {}});
  return k;
}

Kind activity_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::activities, "activity", "Meetings, calls, emails, notes and stage changes: list, show, edit, rm",
      {{"WHEN", {"occurred_at"}},
       {"KIND", {"kind"}},
       {"LEAD", {"lead_id"}},
       {"CONTACT", {"contact_id"}},
       {"STAGE", {"from_stage", "to_stage"}, " → "},
       {"SUBJECT", {"subject"}}},
      {"kind"}, "-occurred_at", {}});
  return k;
}

Kind followup_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::followups, "followup", "Follow-ups: add, list, done, snooze, show, edit, rm",
      {{"DUE", {"due_at"}},
       {"STATUS", {"status"}},
       {"TITLE", {"title"}},
       {"LEAD", {"lead_id"}},
       {"CONTACT", {"contact_id"}},
       {"ASSIGNEE", {"assignee_id"}}},
      {"title"}, "due_at", {}});
  return k;
}

Kind lead_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::leads, "lead", "Leads through the pipeline: add, move, list, show, edit, rm",
      {{"TITLE", {"title"}},
       {"STAGE", {"stage"}},
       {"VALUE", {"value", "currency"}},
       {"CONTACT", {"contact_id"}},
       {"COMPANY", {"company_id"}},
       {"OWNER", {"owner_id"}},
       {"CLOSE", {"expected_close"}}},
      {"title"}, "", [](ApiClient& api, const boost::json::object& lead) {
        const std::int64_t id = lead.at("id").to_number<std::int64_t>();
        print_part(api, *activity_kind(), "Activities", "lead_id", id);
        print_part(api, *followup_kind(), "Follow-ups", "lead_id", id);
        print_part(api, *outcome_kind(), "Outcomes", "lead_id", id);
      }});
  return k;
}

Kind outcome_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::outcomes, "outcome",
      "What a lead produced (an investment, a contract, a pilot, jobs), optionally from a mission event: "
      "add, list, show, edit, rm",
      {{"DATE", {"occurred_on"}},
       {"KIND", {"kind"}},
       {"LEAD", {"lead_id"}},
       {"EVENT", {"event_id"}},
       {"AMOUNT", {"amount", "currency"}},
       {"JOBS", {"jobs"}},
       {"EVIDENCE", {"evidence"}}},
      {"kind"}, "-created_at", {}});
  return k;
}

Kind event_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::events, "event", "Trade missions, fairs, conferences: add, list, show, edit, rm",
      {{"NAME", {"name"}},
       {"KIND", {"kind"}},
       {"WHERE", {"city", "country"}, ", "},
       {"FROM", {"starts_on"}},
       {"TO", {"ends_on"}}},
      {"name"}, "", [](ApiClient& api, const boost::json::object& event) {
        print_part(api, *outcome_kind(), "Outcomes", "event_id", event.at("id").to_number<std::int64_t>());
      }});
  return k;
}

}  // namespace relance::cli
