#include "sqlite/report_aggregates.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "sqlite/report_queries.hpp"
#include "sqlite/report_rows.hpp"

namespace relance::storage::sqlite::aggregates {
namespace {
namespace chr = std::chrono;

// A period cut at month boundaries. The sums are kept by month: the whole months of a period
// are read from them, its partial first and last months from the rows of each lead (or
// outcome) found by their index on the day. Bounds are "YYYY-MM-DD" texts compared with a
// creation instant or an outcome's day: `lo` inclusive, `hi` exclusive (the day after `to`).
struct Period {
  bool split = true;                   // false: a date that is not one; the caller scans
  std::optional<std::string> m1, m2;   // whole months: m1 <= month < m2 (unset: unbounded)
  std::vector<std::pair<std::string, std::string>> edges;  // [lo, hi) read row by row
  std::optional<std::string> lo, hi;   // the whole period
  bool empty = false;                  // no whole month: all of it from the rows
};

std::optional<chr::year_month_day> parse_date(const std::string& s) {
  unsigned y = 0, m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  const chr::year_month_day ymd{chr::year(static_cast<int>(y)), chr::month(m), chr::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string date_text(chr::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

Period period_of(const ReportFilter& f) {
  Period p, unsplit;
  unsplit.split = false;
  std::optional<chr::year_month> first_whole, end_whole;
  if (f.from) {
    const auto d = parse_date(*f.from);
    if (!d) return unsplit;
    p.lo = *f.from;
    first_whole = d->year() / d->month();
    if (d->day() != chr::day(1)) *first_whole += chr::months(1);
  }
  if (f.to) {
    const auto d = parse_date(*f.to);
    if (!d) return unsplit;
    const chr::year_month_day next{chr::sys_days(*d) + chr::days(1)};
    p.hi = date_text(next);
    end_whole = next.year() / next.month();
  }
  auto month_text = [](chr::year_month m) { return date_text(m / chr::day(1)).substr(0, 7); };
  if (first_whole && end_whole && *first_whole >= *end_whole) {
    p.empty = true;
    p.edges.emplace_back(*p.lo, *p.hi);
    return p;
  }
  if (first_whole) {
    p.m1 = month_text(*first_whole);
    if (*p.lo < *p.m1 + "-01") p.edges.emplace_back(*p.lo, *p.m1 + "-01");
  }
  if (end_whole) {
    p.m2 = month_text(*end_whole);
    if (*p.m2 + "-01" < *p.hi) p.edges.emplace_back(*p.m2 + "-01", *p.hi);
  }
  return p;
}

void bind_period(SQLite::Statement& st, const void* more) {
  const auto& p = *static_cast<const Period*>(more);
  auto bind = [&](const char* name, const std::optional<std::string>& v) {
    if (v && st.getIndex(name) > 0) st.bind(name, *v);
  };
  bind(":m1", p.m1);
  bind(":m2", p.m2);
  bind(":lo", p.lo);
  bind(":hi", p.hi);
  for (std::size_t i = 0; i < p.edges.size(); ++i) {
    const std::string n = std::to_string(i);
    bind((":e" + n + "lo").c_str(), p.edges[i].first);
    bind((":e" + n + "hi").c_str(), p.edges[i].second);
  }
}

// The conditions of the filter's start-up, mission and partner on an outcome's row; its
// sector is its partner's, joined when reporting.
std::string key_conditions(const ReportFilter& f) {
  std::string w;
  if (f.org_id) w += " AND org_id = :org";
  if (f.event_id) w += " AND event_id = :event";
  if (f.partner_company_id) w += " AND partner_id = :partner";
  return w;
}

// `column` within the edges of the period, or within the whole period.
std::string in_edges(const Period& p, const std::string& column) {
  std::string w;
  for (std::size_t i = 0; i < p.edges.size(); ++i) {
    const std::string n = std::to_string(i);
    w += (i ? " OR " : "") + ("(" + column + " >= :e" + n + "lo AND " + column + " < :e" + n + "hi)");
  }
  return " AND (" + (w.empty() ? "0" : w) + ")";
}
std::string in_months(const Period& p) {
  std::string w;
  if (p.m1) w += " AND month >= :m1";
  if (p.m2) w += " AND month < :m2";
  return w;
}

}  // namespace

std::vector<OutcomeGroup> outcome_groups(Connection& c, const ReportFilter& f) {
  const Period p = period_of(f);
  if (!p.split) return sqlite::outcome_groups(c, f);
  const std::string keys = key_conditions(f);
  std::string rows;
  if (!p.empty)
    rows = "SELECT org_id, kind, partner_id, month, currency, outcomes AS n, amount, amount_eur, jobs"
           " FROM report_outcome_sums WHERE 1" + keys + in_months(p);
  if (!p.edges.empty())
    rows += (rows.empty() ? "" : " UNION ALL ") +
            ("SELECT org_id, kind, partner_id, substr(day, 1, 7) AS month, currency, 1 AS n, amount, amount_eur, jobs"
             " FROM report_outcomes WHERE 1" + keys + in_edges(p, "day"));
  // The partner's name and sector as they are now (a sector is the partner's, not the outcome's).
  const std::string sql =
      "SELECT s.org_id, s.kind, s.partner_id, coalesce(pc.name, ''), coalesce(pc.sector, ''), s.month, s.currency,"
      " sum(s.n), sum(s.amount), sum(s.amount_eur), sum(s.jobs) FROM (" + rows +
      ") s LEFT JOIN companies pc ON pc.id = s.partner_id" +
      (f.sector ? " WHERE pc.sector = :sector COLLATE NOCASE" : "") + " GROUP BY 1, 2, 3, 4, 5, 6, 7";
  return rows_of<OutcomeGroup>(c, sql, f, outcome_group, bind_period, &p);
}

}  // namespace relance::storage::sqlite::aggregates
