#include "reports/report_tables.hpp"

#include <cstdio>

namespace relance::reports {
namespace json = boost::json;
using storage::Field;
using K = storage::FieldKind;

namespace {

constexpr std::string_view total_label = "Total";

storage::Value cell(const json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  if (v.is_string()) return std::string(v.as_string());
  return storage::Null{};
}

// The values of `o`'s members `names`, in order.
std::vector<storage::Value> cells(const json::object& o, std::initializer_list<std::string_view> names) {
  std::vector<storage::Value> row;
  for (std::string_view n : names) row.push_back(o.contains(n) ? cell(o.at(n)) : storage::Value{});
  return row;
}

std::vector<storage::Value> with_first(storage::Value first, std::vector<storage::Value> rest) {
  rest.insert(rest.begin(), std::move(first));
  return rest;
}

// Reals travel as REAL values in text-kind columns (the model has no decimal kind).
Field column(std::string_view name, K kind = K::text) { return Field{name, kind}; }

exports::Table funnel_table(const json::object& doc) {
  exports::Table t{"funnel",
                   {column("start_up"), column("stage"), column("leads", K::integer), column("reached", K::integer),
                    column("conversion_to_next"), column("stays", K::integer), column("median_seconds"),
                    column("p90_seconds")},
                   {}};
  auto add = [&](std::string_view who, const json::object& group) {
    for (const auto& s : group.at("stages").as_array())
      t.rows.push_back(with_first(std::string(who), cells(s.as_object(), {"stage", "leads", "reached",
                                                                          "conversion_to_next", "stays",
                                                                          "median_seconds", "p90_seconds"})));
  };
  add(total_label, doc.at("overall").as_object());
  for (const auto& s : doc.at("startups").as_array()) add(s.at("org_name").as_string(), s.as_object());
  return t;
}

// Amounts in currencies: "USD 1500, GBP 20.5".
std::string amounts_text(const json::array& amounts) {
  std::string out;
  for (const auto& a : amounts) {
    char number[64];
    std::snprintf(number, sizeof number, "%.2f", a.at("amount").to_number<double>());
    out += (out.empty() ? "" : ", ") + std::string(a.at("currency").as_string()) + " " + number;
  }
  return out;
}

exports::Table outcomes_table(const json::object& doc) {
  exports::Table t{"outcomes",
                   {column("breakdown"), column("key"), column("count", K::integer), column("amount_eur"),
                    column("amounts"), column("jobs", K::integer)},
                   {}};
  auto add = [&](std::string_view breakdown, const json::value& key, const json::object& f) {
    t.rows.push_back({std::string(breakdown), cell(key), cell(f.at("count")), cell(f.at("amount_eur")),
                      amounts_text(f.at("amounts").as_array()), cell(f.at("jobs"))});
  };
  add("total", json::string(total_label), doc.at("totals").as_object());
  const std::pair<std::string_view, std::string_view> groups[] = {
      {"startups", "org_name"}, {"by_kind", "kind"}, {"by_partner", "company_name"},
      {"by_sector", "sector"},  {"by_month", "month"}};
  for (const auto& [member, key] : groups) {
    for (const auto& g : doc.at(member).as_array()) add(member, g.at(key), g.as_object());
    // The partners beyond the list's limit, summed.
    if (member == "by_partner" && doc.at("other_partners").at("count").as_int64() > 0)
      add("other_partners", nullptr, doc.at("other_partners").as_object());
  }
  return t;
}

exports::Table discipline_table(const json::object& doc) {
  exports::Table t{"followup_discipline",
                   {column("start_up"), column("mission_leads", K::integer), column("with_reference", K::integer),
                    column("followed_up", K::integer), column("within_72h", K::integer),
                    column("within_7d", K::integer), column("share_within_72h"), column("share_within_7d"),
                    column("median_hours_to_first_followup"), column("overdue_followups", K::integer)},
                   {}};
  auto add = [&](std::string_view who, const json::object& d) {
    t.rows.push_back(with_first(std::string(who),
                                cells(d, {"mission_leads", "with_reference", "followed_up", "within_72h",
                                          "within_7d", "share_within_72h", "share_within_7d",
                                          "median_hours_to_first_followup", "overdue_followups"})));
  };
  add(total_label, doc.at("overall").as_object());
  for (const auto& s : doc.at("startups").as_array()) add(s.at("org_name").as_string(), s.as_object());
  return t;
}

std::vector<exports::Table> stale_tables(const json::object& doc) {
  exports::Table counts{"stale", {column("start_up"), column("stage"), column("leads", K::integer)}, {}};
  auto add = [&](std::string_view who, const json::object& group) {
    for (const auto& s : group.at("stages").as_array())
      counts.rows.push_back(with_first(std::string(who), cells(s.as_object(), {"stage", "leads"})));
  };
  add(total_label, doc.at("totals").as_object());
  for (const auto& s : doc.at("startups").as_array()) add(s.at("org_name").as_string(), s.as_object());
  std::vector<exports::Table> out{std::move(counts)};
  const json::array& leads = doc.at("leads").as_array();
  if (!leads.empty()) {
    exports::Table list{"stale_leads",
                        {column("lead_id", K::integer), column("title"), column("stage"),
                         column("last_activity_at", K::timestamp), column("idle_days")},
                        {}};
    for (const auto& l : leads)
      list.rows.push_back(cells(l.as_object(), {"id", "title", "stage", "last_activity_at", "idle_days"}));
    out.push_back(std::move(list));
  }
  return out;
}

exports::Table definitions_table(const json::object& definitions) {
  exports::Table t{"definitions", {column("figure"), column("definition")}, {}};
  for (const auto& kv : definitions) t.rows.push_back({std::string(kv.key()), cell(kv.value())});
  return t;
}

}  // namespace

std::vector<exports::Table> tables_of(Report r, const json::object& doc) {
  switch (r) {
    case Report::funnel: return {funnel_table(doc)};
    case Report::outcomes: return {outcomes_table(doc)};
    case Report::followup_discipline: return {discipline_table(doc)};
    case Report::stale: return stale_tables(doc);
    case Report::mission_summary: break;
  }
  std::vector<exports::Table> out{funnel_table(doc.at("funnel").as_object()),
                                  outcomes_table(doc.at("outcomes").as_object()),
                                  discipline_table(doc.at("followup_discipline").as_object())};
  for (auto& t : stale_tables(doc.at("stale").as_object())) out.push_back(std::move(t));
  out.push_back(definitions_table(doc.at("definitions").as_object()));
  return out;
}

}  // namespace relance::reports
