// The record kinds of the command line: names, columns, positional fields, default order.
#include <boost/json/value.hpp>

#include <iostream>

#include "cli/api_client.hpp"
#include "cli/record_kind.hpp"
#include "cli/record_output.hpp"
#include "cli/user_profile.hpp"

namespace relance::cli {
namespace ent = storage::entities;

namespace {

// The records of `kind` whose `owner_field` names the record shown (a lead's activities, an
// event's outcomes), as a table titled by the catalogue's `title` (nothing when none).
void print_part(ApiClient& api, const RecordKind& kind, std::string_view title, const std::string& owner_field,
                std::int64_t owner_id) {
  const auto page = api.call("GET", kind.path() + "?" + owner_field + "=" + std::to_string(owner_id) + "&limit=200" +
                                        (kind.default_sort.empty() ? "" : "&sort=" + kind.default_sort))
                        .json();
  const auto& items = page.at("items").as_array();
  if (items.empty()) return;
  std::cout << "\n" << say(title) << "\n" << table_text(kind, items);
}

}  // namespace

Kind contact_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::contacts, "contact", "People met: add, list, show, edit, rm",
      {{"cli.column.name", {"first_name", "last_name"}},
       {"cli.column.email", {"emails"}},
       {"cli.column.phone", {"phones"}},
       {"cli.column.company", {"company_id"}},
       {"cli.column.job_title", {"title"}},
       {"cli.column.city", {"city", "country"}, ", "},
       {"cli.column.tags", {"tags"}}},
      {}, "", {}});
  return k;
}

Kind company_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::companies, "company", "Funds, accelerators, corporates, customers: add, list, show, edit, rm",
      {{"cli.column.name", {"name"}},
       {"cli.column.kind", {"kind"}},
       {"cli.column.sector", {"sector"}},
       {"cli.column.country", {"country"}},
       {"cli.column.domain", {"domain"}},
       {"cli.column.tags", {"tags"}}},
      {"name"}, "", {}});
  return k;
}

Kind activity_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::activities, "activity", "Meetings, calls, emails, notes and stage changes: list, show, edit, rm",
      {{"cli.column.when", {"occurred_at"}},
       {"cli.column.kind", {"kind"}},
       {"cli.column.lead", {"lead_id"}},
       {"cli.column.contact", {"contact_id"}},
       {"cli.column.stage", {"from_stage", "to_stage"}, " → "},
       {"cli.column.subject", {"subject"}}},
      {"kind"}, "-occurred_at", {}});
  return k;
}

Kind followup_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::followups, "followup", "Follow-ups: add, list, done, snooze, show, edit, rm",
      {{"cli.column.due", {"due_at"}},
       {"cli.column.status", {"status"}},
       {"cli.column.todo", {"title"}},
       {"cli.column.lead", {"lead_id"}},
       {"cli.column.contact", {"contact_id"}},
       {"cli.column.assignee", {"assignee_id"}}},
      {"title"}, "due_at", {}});
  return k;
}

Kind lead_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::leads, "lead", "Leads through the pipeline: add, move, list, show, edit, rm",
      {{"cli.column.title", {"title"}},
       {"cli.column.stage", {"stage"}},
       {"cli.column.value", {"value", "currency"}},
       {"cli.column.contact", {"contact_id"}},
       {"cli.column.company", {"company_id"}},
       {"cli.column.owner", {"owner_id"}},
       {"cli.column.close", {"expected_close"}}},
      {"title"}, "", [](ApiClient& api, const boost::json::object& lead) {
        const std::int64_t id = lead.at("id").to_number<std::int64_t>();
        print_part(api, *activity_kind(), "cli.part.activities", "lead_id", id);
        print_part(api, *followup_kind(), "cli.part.followups", "lead_id", id);
        print_part(api, *outcome_kind(), "cli.part.outcomes", "lead_id", id);
      }});
  return k;
}

Kind outcome_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::outcomes, "outcome",
      "What a lead produced (an investment, a contract, a pilot, jobs), optionally from a mission event: "
      "add, list, show, edit, rm",
      {{"cli.column.date", {"occurred_on"}},
       {"cli.column.kind", {"kind"}},
       {"cli.column.lead", {"lead_id"}},
       {"cli.column.event", {"event_id"}},
       {"cli.column.amount", {"amount", "currency"}},
       {"cli.column.jobs", {"jobs"}},
       {"cli.column.evidence", {"evidence"}}},
      {"kind"}, "-created_at", {}});
  return k;
}

Kind event_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::events, "event", "Trade missions, fairs, conferences: add, list, show, edit, rm",
      {{"cli.column.name", {"name"}},
       {"cli.column.kind", {"kind"}},
       {"cli.column.where", {"city", "country"}, ", "},
       {"cli.column.from", {"starts_on"}},
       {"cli.column.to", {"ends_on"}}},
      {"name"}, "", [](ApiClient& api, const boost::json::object& event) {
        print_part(api, *outcome_kind(), "cli.part.outcomes", "event_id", event.at("id").to_number<std::int64_t>());
      }});
  return k;
}

}  // namespace relance::cli
