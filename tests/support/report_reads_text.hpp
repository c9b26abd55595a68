// Every read of the region reports' storage (relance/storage/report_reads.hpp), as text in a
// stable order, so that two answers (the index's and a scan's, a daemon's before and after a
// restart) compare as strings and a difference prints readably.
#pragma once

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "relance/storage/report_reads.hpp"

namespace relance::test {
namespace st = relance::storage;

inline std::string report_reads_text(st::ReportReads& reads, const st::ReportFilter& f) {
  std::ostringstream out;
  std::vector<std::string> lines;
  auto flush = [&](const char* name) {
    std::sort(lines.begin(), lines.end());
    out << name << ":\n";
    for (const auto& l : lines) out << "  " << l << "\n";
    lines.clear();
  };
  for (const auto& s : reads.leads_by_stage(f)) lines.push_back(std::to_string(s.org_id) + " " + s.stage + " " + std::to_string(s.leads));
  flush("leads_by_stage");
  for (auto p : reads.stage_paths(f)) {
    std::sort(p.stages.begin(), p.stages.end());
    std::string stages;
    for (const auto& s : p.stages) stages += s + "|";
    lines.push_back(std::to_string(p.org_id) + " " + stages + " " + std::to_string(p.leads));
  }
  flush("stage_paths");
  char spread[96];
  auto spread_text = [&](const st::Spread& v) {
    std::snprintf(spread, sizeof spread, "n %lld median %.6f p90 %.6f", static_cast<long long>(v.n),
                  v.median.value_or(-1), v.p90.value_or(-1));
    return std::string(spread);
  };
  // The totals as a member sees them: another start-up's own stages under "other".
  const auto stays = reads.stage_stays(f, [](const std::string& s) { return s == "proposal" ? "other" : s; });
  for (const auto& s : stays.by_org) lines.push_back(std::to_string(s.org_id) + " " + s.stage + " " + spread_text(s.seconds));
  for (const auto& s : stays.totals) lines.push_back("all " + s.stage + " " + spread_text(s.seconds));
  flush("stage_stays");
  const auto followups = reads.first_followups(f, {3600.0 * 72, 3600.0 * 24 * 7});
  auto followup_text = [&](const st::MissionFollowups& m) {
    std::string t = "leads " + std::to_string(m.leads) + " started " + std::to_string(m.started) + " delays " +
                    spread_text(m.delays) + " within";
    for (auto n : m.within) t += " " + std::to_string(n);
    return t;
  };
  for (const auto& m : followups.by_org) lines.push_back(std::to_string(m.org_id) + " " + followup_text(m));
  lines.push_back("all " + followup_text(followups.totals));
  flush("first_followups");
  auto sums_text = [](const st::OutcomeSums& s) {
    std::string t = std::to_string(s.count) + " outcomes, " + std::to_string(s.amount_eur) + " EUR cents, " +
                    std::to_string(s.jobs) + " jobs,";
    for (const auto& [currency, minor] : s.amounts) t += " " + std::to_string(minor) + " " + currency;
    return t;
  };
  // As staff (every start-up broken down) and as a member of the first start-up seen, with a
  // partners' list cut short.
  std::optional<std::int64_t> member_org;
  for (std::optional<std::int64_t> only : {std::optional<std::int64_t>(), member_org}) {
    const auto r = reads.outcomes(f, only, 2);
    const std::string as = only ? "member " + std::to_string(*only) + ": " : "staff: ";
    lines.push_back(as + "totals " + sums_text(r.totals));
    for (const auto& [org, s] : r.by_org) {
      lines.push_back(as + "org " + std::to_string(org) + " " + sums_text(s));
      if (!member_org) member_org = org;
    }
    for (const auto& [k, s] : r.by_kind) lines.push_back(as + "kind " + k + " " + sums_text(s));
    for (const auto& [m, s] : r.by_month) lines.push_back(as + "month " + m + " " + sums_text(s));
    for (const auto& [sector, s] : r.by_sector) lines.push_back(as + "sector " + sector + " " + sums_text(s));
    std::string partners;
    for (const auto& p : r.by_partner) partners += " " + std::to_string(p.company_id) + " " + p.name + " " + sums_text(p.sums);
    lines.push_back(as + "partners (in order)" + partners);
    lines.push_back(as + "partners " + std::to_string(r.partners_total) + ", others " + sums_text(r.other_partners));
    if (!member_org) break;
  }
  flush("outcomes");
  for (std::optional<int> days : {std::optional<int>(), std::optional<int>(2), std::optional<int>(40)}) {
    for (const auto& s : reads.stale_counts(f, days, 14))
      lines.push_back(std::to_string(s.org_id) + " " + s.stage + " " + std::to_string(s.leads));
    flush(days ? ("stale_counts " + std::to_string(*days)).c_str() : "stale_counts");
  }
  for (const auto& c : reads.overdue_followups(f))
    lines.push_back(std::to_string(c.org_id) + " " + std::to_string(c.count));
  flush("overdue_followups");
  if (f.org_id)
    for (std::size_t limit : {std::size_t(1000), std::size_t(2)}) {
      const auto stale = reads.stale_leads_of(f, std::nullopt, 14, limit);
      for (const auto& l : stale.leads)
        lines.push_back(std::to_string(l.lead_id) + " " + l.title + " " + l.stage + " " + l.last_activity_at);
      lines.push_back("of " + std::to_string(stale.total));
      flush(("stale_leads_of, at most " + std::to_string(limit)).c_str());
    }
  return out.str();
}

}  // namespace relance::test
