#include "sqlite/report_queries.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "report_index/dictionary.hpp"
#include "report_index/outcome_tally.hpp"
#include "report_index/spread_groups.hpp"
#include "sqlite/report_rows.hpp"

namespace relance::storage::sqlite {
namespace {

// The WHERE clauses name only the filters that are set. A condition such as `(:org IS NULL
// OR l.org_id = :org)` keeps one statement for every combination, but SQLite plans a
// statement before its values are bound, so such a condition can use no index: every report
// scanned every lead and outcome of the instance, whichever mission, start-up or partner it
// asked about. A statement per combination of filters (64 at most, each prepared once per
// reader connection) lets a mission, a start-up, a partner, a sector or a period find their
// rows by index (migration 12).

// The leads a report covers: ` WHERE ...` on leads `l`. The created_at of a row is an
// instant "YYYY-MM-DDT...Z", compared as text with the period's dates.
std::string lead_conditions(const ReportFilter& f) {
  std::string w = " WHERE 1";
  if (f.org_id) w += " AND l.org_id = :org";
  if (f.event_id) w += " AND l.source_event_id = :event";
  if (f.partner_company_id) w += " AND l.company_id = :partner";
  if (f.sector) w += " AND l.company_id IN (SELECT id FROM companies WHERE sector = :sector COLLATE NOCASE)";
  if (f.from) w += " AND l.created_at >= :from";
  if (f.to) w += " AND l.created_at < date(:to, '+1 day')";
  return w;
}
std::string leads_covered(const ReportFilter& f) { return " FROM leads l" + lead_conditions(f); }

// The stage changes of those leads (`a`), which the server logs as activities.
const std::string stage_changes =
    " FROM leads l JOIN activities a ON a.lead_id = l.id AND a.kind = 'stage-change' AND +a.org_id = l.org_id";

// The date an outcome counts on: its own, else the day it was recorded.
const std::string outcome_day = "coalesce(o.occurred_on, substr(o.created_at, 1, 10))";

// The outcomes a report covers, with their partner company (`pc`). The amount in euro cents
// (amount_eur) was computed when the outcome was written, at the rate of the region's table
// (none when no rate covered its currency). An outcome's mission is its own event, else its
// lead's.
std::string outcomes_covered(const ReportFilter& f) {
  std::string from = " FROM outcomes o LEFT JOIN companies pc ON pc.id = o.partner_company_id";
  std::string w = " WHERE 1";
  if (f.org_id) w += " AND o.org_id = :org";
  if (f.event_id) {
    from += " LEFT JOIN leads l ON l.id = o.lead_id";
    w += " AND coalesce(o.event_id, l.source_event_id) = :event";
  }
  if (f.sector) w += " AND pc.sector = :sector COLLATE NOCASE";
  if (f.partner_company_id) w += " AND o.partner_company_id = :partner";
  if (f.from) w += " AND " + outcome_day + " >= :from";
  if (f.to) w += " AND " + outcome_day + " <= :to";
  return from + w;
}

// The open leads with their last activity and the idle days that make them stale.
std::string stale_leads_sql(const ReportFilter& f) {
  const std::string last_at =
      "coalesce((SELECT max(a.occurred_at) FROM activities a WHERE a.lead_id = l.id AND +a.org_id = l.org_id),"
      " l.created_at)";
  return "WITH fl AS (SELECT l.id, l.org_id, l.title, l.stage, " + last_at + " AS last_at,"
         " coalesce(:days, (SELECT min(r.days) FROM cadence_rules r WHERE r.org_id = l.org_id AND r.kind = 'stale-stage'"
         " AND r.stage = l.stage AND coalesce(r.enabled, 1) != 0), :default_days) AS days" +
         leads_covered(f) +
         " AND l.stage NOT IN ('won', 'lost')),"
         " st AS (SELECT *, julianday(:now) - julianday(last_at) AS idle FROM fl)";
}

}  // namespace

std::vector<StageLeads> leads_by_stage(Connection& c, const ReportFilter& f) {
  const std::string sql = "SELECT l.org_id, l.stage, count(*)" + leads_covered(f) + " GROUP BY l.org_id, l.stage";
  return rows_of<StageLeads>(c, sql, f, stage_leads);
}

std::vector<StagePath> stage_paths(Connection& c, const ReportFilter& f) {
  // A lead has been in its current stage and in both stages of each of its stage changes.
  // Its stages are joined by the unit separator (no stage name holds a control character)
  // and the leads counted by organisation and set of stages: few sets, whatever the leads.
  const std::string changes = stage_changes + lead_conditions(f);
  const std::string sql =
      "WITH seen AS (SELECT l.id, l.org_id, l.stage" + leads_covered(f) +
      " UNION SELECT l.id, l.org_id, a.from_stage" + changes +
      " UNION SELECT l.id, l.org_id, a.to_stage" + changes + "),"
      " paths AS (SELECT org_id, group_concat(stage, char(31)) AS stages"
      " FROM (SELECT * FROM seen WHERE stage IS NOT NULL ORDER BY id, stage) GROUP BY id, org_id)"
      " SELECT org_id, stages, count(*) FROM paths GROUP BY org_id, stages";
  return rows_of<StagePath>(c, sql, f, [](SQLite::Statement& st) {
    return StagePath{st.getColumn(0).getInt64(), split_stages(st.getColumn(1).getString()), st.getColumn(2).getInt64()};
  });
}

StaysReport stage_stays(Connection& c, const ReportFilter& f, const TotalsStageName& totals_name) {
  // A stay ends at a stage change out of the stage, and began at the change before it on
  // the same lead, or at the lead's creation for its first stage.
  const std::string sql =
      "SELECT org_id, stage, seconds FROM (SELECT l.org_id, a.from_stage AS stage, (julianday(a.occurred_at) -"
      " julianday(coalesce(lag(a.occurred_at) OVER (PARTITION BY a.lead_id ORDER BY a.occurred_at, a.id),"
      " l.created_at))) * 86400.0 AS seconds" +
      stage_changes + lead_conditions(f) + ") WHERE stage IS NOT NULL";
  return guarded([&] {
    auto& st = c.statement(sql);
    bind_filter(st, f);
    GroupedValues stays;
    std::map<std::string, std::string> total_names;
    while (st.executeStep()) {
      const std::string stage = st.getColumn(1).getString();
      auto total = total_names.find(stage);
      if (total == total_names.end()) total = total_names.emplace(stage, totals_name(stage)).first;
      stays.add(stays.group(st.getColumn(0).getInt64(), stage, total->second), st.getColumn(2).getDouble());
    }
    st.reset();
    StaysReport out;
    stays.spreads(
        {}, [&](std::int64_t org_id, const std::string& stage, const GroupSpread& g) {
          out.by_org.push_back(StageStays{org_id, stage, spread_of(g)});
        },
        [&](const std::string& stage, const GroupSpread& g) { out.totals.push_back(StageStays{0, stage, spread_of(g)}); });
    return out;
  });
}

OutcomeReport outcomes(Connection& c, const ReportFilter& f, std::optional<std::int64_t> only_org,
                       std::size_t partner_limit) {
  // The outcomes grouped by every key of the report, summed by OutcomeTally as the index's are.
  const std::string sql =
      "SELECT o.org_id, coalesce(o.partner_company_id, 0), o.kind, substr(" + outcome_day + ", 1, 7),"
      " coalesce(pc.sector, ''), coalesce(o.currency, ''), count(*), coalesce(sum(o.amount), 0),"
      " coalesce(sum(o.amount_eur), 0), coalesce(sum(o.jobs), 0)" +
      outcomes_covered(f) + " GROUP BY 1, 2, 3, 4, 5, 6";
  return guarded([&] {
    auto& st = c.statement(sql);
    bind_filter(st, f);
    Dictionary<std::int64_t> orgs, partners;
    Dictionary<std::string> names, currencies;
    std::vector<OutcomeItem> items;
    while (st.executeStep()) {
      OutcomeItem o;
      const std::int64_t org_id = st.getColumn(0).getInt64();
      o.org = orgs.id(org_id);
      o.broken_down = !only_org || org_id == *only_org;
      o.partner = partners.id(st.getColumn(1).getInt64());
      o.kind = names.id(st.getColumn(2).getString());
      o.month = names.id(st.getColumn(3).getString());
      o.sector = names.id(st.getColumn(4).getString());
      o.currency = currencies.id(st.getColumn(5).getString());
      o.count = st.getColumn(6).getInt64();
      o.amount = st.getColumn(7).getInt64();
      o.amount_eur = st.getColumn(8).getInt64();
      o.jobs = st.getColumn(9).getInt64();
      items.push_back(o);
    }
    st.reset();
    OutcomeTally tally(orgs.size(), partners.size(), names.size(), currencies.size());
    for (const auto& o : items) tally.add(o);
    return tally.report(OutcomeNames{orgs.values(), partners.values(), names.values(), currencies.values()},
                        partner_limit);
  });
}

FollowupsReport first_followups(Connection& c, const ReportFilter& f, const std::vector<double>& within) {
  const std::string sql =
      "WITH fl AS (SELECT l.id, l.org_id, l.source_event_id" + leads_covered(f) +
      " AND l.source_event_id IS NOT NULL),"
      " start AS MATERIALIZED (SELECT fl.id, fl.org_id, coalesce("
      " (SELECT min(a.occurred_at) FROM activities a WHERE a.lead_id = fl.id AND a.kind = 'meeting' AND +a.org_id = fl.org_id),"
      " (SELECT date(e.ends_on, '+1 day') || 'T00:00:00.000Z' FROM events e WHERE e.id = fl.source_event_id))"
      " AS at FROM fl),"
      // A clock starts when its meeting took place or its mission ended: not before (a
      // meeting logged ahead, a mission still going on).
      " ref AS (SELECT id, org_id, CASE WHEN at <= :now THEN at END AS ref_at FROM start)"
      " SELECT org_id, ref_at IS NOT NULL, (julianday((SELECT min(a.occurred_at) FROM activities a"
      " WHERE a.lead_id = ref.id AND +a.org_id = ref.org_id AND a.kind IN ('call', 'email', 'meeting')"
      " AND a.occurred_at > ref.ref_at))"
      " - julianday(ref_at)) * 86400.0 FROM ref";
  return guarded([&] {
    auto& st = c.statement(sql);
    bind_filter(st, f);
    FollowupsReport out;
    out.totals.within.assign(within.size(), 0);
    std::map<std::int64_t, MissionFollowups> by_org;
    GroupedValues delays;
    while (st.executeStep()) {
      const std::int64_t org_id = st.getColumn(0).getInt64();
      MissionFollowups& m = by_org.try_emplace(org_id, MissionFollowups{org_id, 0, 0, {}, {}}).first->second;
      ++m.leads;
      ++out.totals.leads;
      if (st.getColumn(1).getInt() != 0) {
        ++m.started;
        ++out.totals.started;
      }
      if (!st.getColumn(2).isNull()) delays.add(delays.group(org_id, "", ""), st.getColumn(2).getDouble());
    }
    st.reset();
    for (auto& [_, m] : by_org) m.within.assign(within.size(), 0);
    delays.spreads(
        within,
        [&](std::int64_t org_id, const std::string&, const GroupSpread& g) {
          by_org[org_id].delays = spread_of(g);
          by_org[org_id].within = g.at_most;
        },
        [&](const std::string&, const GroupSpread& g) {
          out.totals.delays = spread_of(g);
          out.totals.within = g.at_most;
        });
    for (auto& [_, m] : by_org) out.by_org.push_back(std::move(m));
    return out;
  });
}

std::vector<OrgCount> overdue_followups(Connection& c, const ReportFilter& f) {
  const std::string sql =
      "SELECT l.org_id, count(*) FROM followups fu JOIN leads l ON l.id = fu.lead_id" + lead_conditions(f) +
      " AND l.source_event_id IS NOT NULL AND fu.status IN ('open', 'snoozed') AND fu.due_at < :now"
      " GROUP BY l.org_id";
  return rows_of<OrgCount>(c, sql, f, [](SQLite::Statement& st) {
    return OrgCount{st.getColumn(0).getInt64(), st.getColumn(1).getInt64()};
  });
}

std::vector<StageLeads> stale_counts(Connection& c, const ReportFilter& f, std::optional<int> days, int default_days) {
  const std::string sql =
      stale_leads_sql(f) + " SELECT org_id, stage, count(*) FROM st WHERE idle >= days GROUP BY org_id, stage";
  const StaleDays d{days, default_days};
  return rows_of<StageLeads>(c, sql, f, stage_leads, bind_days, &d);
}

StaleLeads stale_leads_of(Connection& c, const ReportFilter& f, std::optional<int> days, int default_days,
                          std::size_t limit) {
  const StaleDays d{days, default_days};
  const std::string sql = stale_leads_sql(f) +
                                 " SELECT org_id, id, title, stage, last_at, idle FROM st WHERE idle >= days"
                                 " ORDER BY idle DESC, id";
  StaleLeads out;
  out.leads = rows_of<StaleLeadEntry>(c, sql, f, [](SQLite::Statement& st) {
    return StaleLeadEntry{st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getString(),
                          st.getColumn(3).getString(), st.getColumn(4).getString(), st.getColumn(5).getDouble()};
  }, bind_days, &d);
  out.total = static_cast<std::int64_t>(out.leads.size());
  if (out.leads.size() > limit) out.leads.resize(limit);
  return out;
}

void add_titles(Connection& c, std::vector<StaleLeadEntry>& leads) {
  guarded([&] {
    auto& st = c.statement("SELECT title FROM leads WHERE id = ?");
    for (auto& l : leads) {
      st.bind(1, l.lead_id);
      if (st.executeStep()) l.title = st.getColumn(0).getString();
      st.reset();
    }
  });
}

}  // namespace relance::storage::sqlite
