// ReportService: what a trade mission produced, for the region's staff and the start-ups:
// the funnel, the outcomes, the follow-up discipline, the stale leads, and one summary of
// them for the council (docs/api.md, "Reports", defines every figure). Figures come from
// the aggregate reads of storage::ReportReads; no personal field is ever read.
//
// Who sees what: staff and the instance admin see every organisation by name; a start-up's
// members see their own organisation by name and the mission's totals (every start-up
// together), never another start-up's rows. The breakdowns (by stage, kind, partner, sector,
// month) cover the organisations the caller sees by name.
//
// Thread safety: all members may be called concurrently.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "auth/principal.hpp"
#include "exports/export_service.hpp"
#include "exports/table_export.hpp"
#include "relance/storage/report_reads.hpp"
#include "services/org_directory.hpp"

namespace relance::reports {

enum class Report { funnel, outcomes, followup_discipline, stale, mission_summary };

// "funnel", "outcomes", "followup-discipline", "stale", "mission-summary".
std::string_view report_name(Report r);
std::optional<Report> parse_report(std::string_view name);

// The longest of a report's lists (a start-up's stale leads, the partners of the
// outcomes) unless `limit` asks for more, and the most it may ask: a list is the most
// idle leads, or the partners with the most in euros, first; its total is given beside it.
inline constexpr std::size_t default_list_limit = 100;
inline constexpr std::size_t max_list_limit = 10000;

struct ReportQuery {
  storage::ReportFilter filter;  // `now` is the service's to set
  std::optional<int> days;       // stale: the idle days of every stage (1 to 3650)
  std::size_t limit = default_list_limit;  // 1 to max_list_limit
};

// The idle days after which an open lead is stale when neither `days` nor a stale-stage
// cadence rule of its organisation says otherwise.
inline constexpr int default_stale_days = 14;

class ReportService {
 public:
  ReportService(storage::ReportReads& reads, services::OrgDirectory& orgs, exports::ExportService& exports,
                plugin_host::HostEnv& env)
      : reads_(reads), orgs_(orgs), exports_(exports), env_(env) {}

  // The report as JSON. Throws Problem forbidden when a member asks for another
  // organisation, invalid for days out of range.
  boost::json::object report(const auth::Principal& p, Report r, ReportQuery q) const;
  // The same figures as tables, in a file of an exporter's format (throws Problem not_found
  // for a format no plugin offers, and what exports::export_tables throws).
  exports::TableFile file(const auth::Principal& p, Report r, ReportQuery q, const std::string& format,
                          const std::optional<std::string>& locale) const;

 private:
  storage::ReportReads& reads_;
  services::OrgDirectory& orgs_;
  exports::ExportService& exports_;
  plugin_host::HostEnv& env_;
};

}  // namespace relance::reports
