#include "reports/report_service.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "domain/currency.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "relance/model/schema.hpp"
#include "relance/storage/store.hpp"
#include "reports/report_tables.hpp"
#include "services/account_service.hpp"

namespace relance::reports {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 5> names{"funnel", "outcomes", "followup-discipline", "stale",
                                                "mission-summary"};

// Who the caller sees by name: every organisation, or their own.
struct Viewer {
  bool everyone = false;
  std::int64_t own_org = 0;
  std::set<std::string> stages;  // for a member: the stage names every start-up shares, and their own
  bool sees(std::int64_t org_id) const { return everyone || org_id == own_org; }
  // A stage as the mission's totals name it: another start-up's own stage names are its
  // own business, counted as "other" for a member.
  std::string stage_in_totals(const std::string& stage) const {
    return everyone || stages.contains(stage) ? stage : std::string("other");
  }
};

json::value number_or_null(std::optional<double> v) { return v ? json::value(*v) : json::value(nullptr); }

std::optional<double> ratio(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

// ---- funnel

struct StageFigures {
  std::int64_t leads = 0, reached = 0;
  storage::Spread stays;
};
using Stages = std::map<std::string, StageFigures>;

// The stages a lead reached: those it has been in, and every step of the pipeline up to the
// furthest of them (a lead moved from new to won went past contacted, meeting and proposal),
// so that no stage counts fewer leads than the one after it and a conversion never exceeds
// 1. "lost" is an exit, not a step: it tells nothing of how far a lead went.
std::set<std::string> reached_stages(const std::vector<std::string>& been, const std::vector<std::string>& pipeline) {
  std::set<std::string> out(been.begin(), been.end());
  std::size_t steps = 0;  // the steps up to the furthest reached
  for (std::size_t i = 0; i < pipeline.size(); ++i)
    if (pipeline[i] != "lost" && out.contains(pipeline[i])) steps = i + 1;
  for (std::size_t i = 0; i < steps; ++i)
    if (pipeline[i] != "lost") out.insert(pipeline[i]);
  return out;
}

// The stages of `pipeline` in its order, then any other stage seen, by name. Conversion runs
// from each stage to the next one of the pipeline; "lost" is an exit, not a step.
json::object funnel_of(Stages& seen, const std::vector<std::string>& pipeline) {
  std::vector<std::string> order = pipeline;
  for (const auto& [stage, _] : seen)
    if (std::find(order.begin(), order.end(), stage) == order.end()) order.push_back(stage);
  std::vector<std::string> steps;
  for (const auto& s : order)
    if (s != "lost") steps.push_back(s);
  StageFigures none;
  auto at = [&](const std::string& s) -> StageFigures& {
    const auto it = seen.find(s);
    return it == seen.end() ? none : it->second;
  };
  json::array stages;
  std::int64_t total = 0;
  for (const auto& s : order) {
    StageFigures& f = at(s);
    total += f.leads;
    std::optional<double> conversion;
    const auto step = std::find(steps.begin(), steps.end(), s);
    if (step != steps.end() && step + 1 != steps.end()) conversion = ratio(at(*(step + 1)).reached, f.reached);
    stages.push_back(json::object{{"stage", s},
                                  {"leads", f.leads},
                                  {"reached", f.reached},
                                  {"conversion_to_next", number_or_null(conversion)},
                                  {"stays", f.stays.n},
                                  {"median_seconds", number_or_null(f.stays.median)},
                                  {"p90_seconds", number_or_null(f.stays.p90)}});
  }
  return json::object{{"leads", total}, {"stages", std::move(stages)}};
}

// ---- outcomes

json::object sums_json(const storage::OutcomeSums& s) {
  json::array amounts;
  for (const auto& [currency, minor] : s.amounts) {
    const int digits = domain::currency_minor_units(currency).value_or(2);
    amounts.push_back(json::object{{"currency", currency}, {"amount", static_cast<double>(minor) / std::pow(10.0, digits)}});
  }
  return json::object{{"count", s.count},
                      {"amount_eur", static_cast<double>(s.amount_eur) / 100.0},
                      {"amounts", std::move(amounts)},
                      {"jobs", s.jobs}};
}

// Each group's figures beside its key: `named(key, object)` writes the group's own members.
template <class Key, class Named>
json::array breakdown(const std::vector<std::pair<Key, storage::OutcomeSums>>& groups, Named named) {
  json::array out;
  for (const auto& [key, sums] : groups) {
    json::object o = sums_json(sums);
    named(key, o);
    out.push_back(std::move(o));
  }
  return out;
}

// ---- follow-up discipline

// The bounds of the discipline's shares, in seconds: 72 hours and 7 days.
const std::vector<double> followup_bounds{72 * 3600.0, 7 * 24 * 3600.0};

json::object discipline_of(const storage::MissionFollowups& m, std::int64_t overdue) {
  const std::int64_t in_72h = m.within.at(0), in_7d = m.within.at(1);
  const auto hours = m.delays.median ? std::optional<double>(*m.delays.median / 3600) : std::nullopt;
  return json::object{{"mission_leads", m.leads},
                      {"with_reference", m.started},
                      {"followed_up", m.delays.n},
                      {"within_72h", in_72h},
                      {"within_7d", in_7d},
                      {"share_within_72h", number_or_null(ratio(in_72h, m.started))},
                      {"share_within_7d", number_or_null(ratio(in_7d, m.started))},
                      {"median_hours_to_first_followup", number_or_null(hours)},
                      {"overdue_followups", overdue}};
}

json::object definitions() {
  return json::object{
      {"leads", "Leads created in the period, from the mission when one is chosen, by their current stage."},
      {"reached", "Leads that have been in the stage or gone past it: their current stage, both stages of each "
                  "of their stage changes, and every stage of the pipeline before the furthest of those (lost is "
                  "an exit, not a step)."},
      {"conversion_to_next", "Leads that reached the next stage of the pipeline divided by those that reached "
                             "this one (lost is an exit, not a step)."},
      {"stays", "Times a lead left the stage by a stage change: the stays the durations are taken over."},
      {"median_seconds", "Median time a lead stayed in the stage, from entering it (its creation or the stage "
                         "change into it) to the stage change out of it; p90_seconds: nine stays in ten were "
                         "shorter or equal (nearest rank)."},
      {"p90_seconds", "The stay nine stays in ten were shorter than or equal to: the value at rank ⌈0.9 n⌉ of "
                      "the stays in order."},
      {"outcomes", "Outcomes dated in the period (their date, else the day they were recorded), of the mission "
                   "(their event, else their lead's)."},
      {"count", "Number of those outcomes."},
      {"amounts", "Sums of the outcomes' amounts in each currency they were written in, euros included."},
      {"amount_eur", "Sum of the outcomes' amounts in euros, each converted when it was written at the rate of "
                     "the region's exchange-rate table that applied to its date (an outcome in a currency "
                     "without a rate counts in amounts only, until the first rate of its currency converts it)."},
      {"jobs", "Jobs created, as recorded on the outcomes."},
      {"mission_leads", "Leads that came from a mission or fair (the chosen one when given)."},
      {"with_reference", "Mission leads whose follow-up clock has started: their first meeting, else the end of "
                         "their mission (the day after its last day, 00:00 UTC), once that time has passed."},
      {"followed_up", "Mission leads with a call, email or meeting logged after that start."},
      {"within_72h", "Mission leads with a call, email or meeting logged within 72 hours after that start; "
                     "within_7d: within 7 days; the shares divide by with_reference."},
      {"within_7d", "Mission leads with a call, email or meeting logged within 7 days after that start."},
      {"share_within_72h", "within_72h divided by with_reference (none when no clock has started)."},
      {"share_within_7d", "within_7d divided by with_reference (none when no clock has started)."},
      {"median_hours_to_first_followup", "Median hours from that start to the first call, email or meeting "
                                         "after it, over the leads followed up."},
      {"overdue_followups", "Open or snoozed follow-ups of mission leads whose due time has passed."},
      {"stale", "Open leads (not won or lost) with no activity of any kind for the stage's days: the days "
                "asked, else the start-up's stale-stage cadence rule for the stage, else 14."},
      {"leads_total", "A start-up's own stale leads; the list shows the most idle first, as many as the limit "
                      "asked (100 unless asked)."},
      {"partners_total", "Partner companies of the outcomes; by_partner lists those with the most in euros first, "
                         "as many as the limit asked (100 unless asked), other_partners sums the rest."},
  };
}

}  // namespace

std::string_view report_name(Report r) { return names[static_cast<std::size_t>(r)]; }

std::optional<Report> parse_report(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<Report>(i);
  return std::nullopt;
}

namespace {

// Whether a member's filter would single out start-ups in the mission's totals: a period and
// the region's events are every start-up's, but an event of one start-up, a company (each
// is one start-up's) or a sector (a company's own word) select that start-up's figures. The
// totals are then the member's own. An event the member may not read is missing to them.
bool narrows_to_one_startup(storage::Store& store, const auth::Principal& p, const storage::ReportFilter& f) {
  if (f.event_id) {
    const auto event = store.get(storage::entities::events, storage::Scope::org_and_region(p.org_id), *f.event_id);
    if (!event) throw Problem(Problem::Kind::not_found, "Not found", "no event " + std::to_string(*f.event_id), "event_id");
    if (event->org_id == p.org_id) return true;
  }
  return f.partner_company_id || f.sector;
}

// The bodies of the reports, for one caller and one filter.
class Builder {
 public:
  Builder(storage::ReportReads& reads, storage::Store& store, services::OrgDirectory& orgs, const auth::Principal& p,
          ReportQuery& q)
      : reads_(reads), orgs_(orgs), q_(q) {
    viewer_.everyone = p.is_staff() || p.is_admin();
    viewer_.own_org = p.org_id;
    if (!viewer_.everyone) {
      if (q.filter.org_id && *q.filter.org_id != p.org_id)
        throw Problem::forbidden("a start-up's members see their own organisation's figures only");
      // The mission's totals cover every start-up; the rows by name, the caller's own.
      q.filter.org_id.reset();
      if (narrows_to_one_startup(store, p, q.filter)) q.filter.org_id = p.org_id;
      for (std::string_view s : services::default_pipeline_stages()) viewer_.stages.emplace(s);
      for (const std::string& s : orgs.get(p.org_id)->stages) viewer_.stages.insert(s);
    }
    if (q.days && (*q.days < 1 || *q.days > 3650)) throw Problem::invalid("days", "days must be from 1 to 3650");
    q.filter.now = domain::now_instant();
  }

  json::object funnel() {
    std::map<std::int64_t, Stages> by_org;
    Stages overall;
    for (const auto& s : reads_.leads_by_stage(q_.filter)) {
      by_org[s.org_id][s.stage].leads += s.leads;
      overall[viewer_.stage_in_totals(s.stage)].leads += s.leads;
    }
    for (const auto& path : reads_.stage_paths(q_.filter)) {
      for (const std::string& s : reached_stages(path.stages, orgs_.get(path.org_id)->stages)) {
        by_org[path.org_id][s].reached += path.leads;
        overall[viewer_.stage_in_totals(s)].reached += path.leads;
      }
    }
    const auto stays = reads_.stage_stays(q_.filter, [&](const std::string& s) { return viewer_.stage_in_totals(s); });
    for (const auto& s : stays.by_org) by_org[s.org_id][s.stage].stays = s.seconds;
    for (const auto& s : stays.totals) overall[s.stage].stays = s.seconds;
    std::vector<std::string> defaults;
    for (std::string_view s : services::default_pipeline_stages()) defaults.emplace_back(s);
    json::array startups;
    for (auto& [org_id, stages] : by_org) {
      if (!viewer_.sees(org_id)) continue;
      json::object o = named(org_id);
      const auto org = orgs_.get(org_id);
      for (auto& kv : funnel_of(stages, org->stages)) o[kv.key()] = kv.value();
      startups.push_back(std::move(o));
    }
    return json::object{{"overall", funnel_of(overall, defaults)}, {"startups", std::move(startups)}};
  }

  json::object outcomes() {
    const std::optional<std::int64_t> only_org =
        viewer_.everyone ? std::nullopt : std::optional<std::int64_t>(viewer_.own_org);
    const storage::OutcomeReport r = reads_.outcomes(q_.filter, only_org, q_.limit);
    json::array by_partner;
    for (const auto& p : r.by_partner) {
      json::object o = sums_json(p.sums);
      o["company_id"] = p.company_id ? json::value(p.company_id) : json::value(nullptr);
      o["company_name"] = p.company_id ? json::value(p.name) : json::value(nullptr);
      by_partner.push_back(std::move(o));
    }
    return json::object{
        {"totals", sums_json(r.totals)},
        {"startups", breakdown(r.by_org, [&](std::int64_t id, json::object& o) {
           for (auto& kv : named(id)) o[kv.key()] = kv.value();
         })},
        {"by_kind", breakdown(r.by_kind, [](const std::string& k, json::object& o) { o["kind"] = k; })},
        {"by_partner", std::move(by_partner)},
        {"partners_total", r.partners_total},
        {"other_partners", sums_json(r.other_partners)},
        {"by_sector", breakdown(r.by_sector,
                                [](const std::string& k, json::object& o) {
                                  o["sector"] = k.empty() ? json::value(nullptr) : json::value(k);
                                })},
        {"by_month", breakdown(r.by_month, [](const std::string& k, json::object& o) { o["month"] = k; })},
    };
  }

  json::object discipline() {
    const storage::FollowupsReport followups = reads_.first_followups(q_.filter, followup_bounds);
    std::map<std::int64_t, std::int64_t> overdue;
    std::int64_t overdue_total = 0;
    for (const auto& c : reads_.overdue_followups(q_.filter)) {
      overdue[c.org_id] += c.count;
      overdue_total += c.count;
    }
    std::map<std::int64_t, storage::MissionFollowups> by_org;
    for (const auto& m : followups.by_org) by_org[m.org_id] = m;
    for (const auto& [org_id, _] : overdue) by_org.try_emplace(org_id).first->second.within.resize(followup_bounds.size());
    json::array startups;
    for (const auto& [org_id, m] : by_org) {
      if (!viewer_.sees(org_id)) continue;
      json::object o = named(org_id);
      for (auto& kv : discipline_of(m, overdue[org_id])) o[kv.key()] = kv.value();
      startups.push_back(std::move(o));
    }
    return json::object{{"overall", discipline_of(followups.totals, overdue_total)}, {"startups", std::move(startups)}};
  }

  json::object stale() {
    std::map<std::int64_t, std::map<std::string, std::int64_t>> by_org;
    std::map<std::string, std::int64_t> overall;
    for (const auto& s : reads_.stale_counts(q_.filter, q_.days, default_stale_days)) {
      by_org[s.org_id][s.stage] += s.leads;
      overall[viewer_.stage_in_totals(s.stage)] += s.leads;
    }
    auto counts = [](const std::map<std::string, std::int64_t>& stages) {
      json::array a;
      std::int64_t total = 0;
      for (const auto& [stage, n] : stages) {
        a.push_back(json::object{{"stage", stage}, {"leads", n}});
        total += n;
      }
      return json::object{{"leads", total}, {"stages", std::move(a)}};
    };
    json::array startups;
    for (const auto& [org_id, stages] : by_org) {
      if (!viewer_.sees(org_id)) continue;
      json::object o = named(org_id);
      for (auto& kv : counts(stages)) o[kv.key()] = kv.value();
      startups.push_back(std::move(o));
    }
    // Staff get counts; a start-up's members the leads themselves, their own.
    json::array leads;
    std::int64_t leads_total = 0;
    if (!viewer_.everyone) {
      storage::ReportFilter own = q_.filter;
      own.org_id = viewer_.own_org;
      const storage::StaleLeads stale = reads_.stale_leads_of(own, q_.days, default_stale_days, q_.limit);
      leads_total = stale.total;
      for (const auto& l : stale.leads)
        leads.push_back(json::object{{"id", l.lead_id},
                                     {"title", l.title},
                                     {"stage", l.stage},
                                     {"last_activity_at", l.last_activity_at},
                                     {"idle_days", std::floor(l.idle_days * 10) / 10}});
    }
    return json::object{{"days", q_.days ? json::value(*q_.days) : json::value(nullptr)},
                        {"default_days", default_stale_days},
                        {"totals", counts(overall)},
                        {"startups", std::move(startups)},
                        {"leads", std::move(leads)},
                        {"leads_total", leads_total}};
  }

  json::object body(Report r) {
    switch (r) {
      case Report::funnel: return funnel();
      case Report::outcomes: return outcomes();
      case Report::followup_discipline: return discipline();
      case Report::stale: return stale();
      case Report::mission_summary: break;
    }
    return json::object{{"funnel", funnel()},
                        {"outcomes", outcomes()},
                        {"followup_discipline", discipline()},
                        {"stale", stale()},
                        {"definitions", definitions()}};
  }

  json::object header(Report r) const {
    const storage::ReportFilter& f = q_.filter;
    auto id = [](const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); };
    auto text = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
    return json::object{{"report", report_name(r)},
                        {"generated_at", f.now},
                        {"scope", viewer_.everyone ? "every-startup" : "own-startup"},
                        {"filters", json::object{{"event_id", id(f.event_id)},
                                                 {"org_id", id(viewer_.everyone ? f.org_id : viewer_.own_org)},
                                                 {"sector", text(f.sector)},
                                                 {"partner_company_id", id(f.partner_company_id)},
                                                 {"from", text(f.from)},
                                                 {"to", text(f.to)}}}};
  }

 private:
  json::object named(std::int64_t org_id) const {
    std::string name;
    try {
      name = orgs_.get(org_id)->name;
    } catch (const Problem&) {
      // An organisation deleted since: its figures stay, under its id.
    }
    return json::object{{"org_id", org_id}, {"org_name", name}};
  }

  storage::ReportReads& reads_;
  services::OrgDirectory& orgs_;
  ReportQuery& q_;
  Viewer viewer_;
};

}  // namespace

json::object ReportService::report(const auth::Principal& p, Report r, ReportQuery q) const {
  Builder b(reads_, env_.store, orgs_, p, q);
  json::object out = b.header(r);
  for (auto& kv : b.body(r)) out[kv.key()] = kv.value();
  return out;
}

exports::TableFile ReportService::file(const auth::Principal& p, Report r, ReportQuery q, const std::string& format,
                                       const std::optional<std::string>& locale) const {
  const plugin_host::ExporterFormat& f = exports_.format(format);
  const json::object doc = report(p, r, std::move(q));
  return exports::export_tables(env_, f, p, locale, "report-" + std::string(report_name(r)), tables_of(r, doc));
}

}  // namespace relance::reports
