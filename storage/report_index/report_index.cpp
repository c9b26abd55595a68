#include "report_index/report_index.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

#include "relance/model/instant.hpp"
#include "report_index/stage_path.hpp"

namespace relance::storage {
namespace {
namespace chr = std::chrono;

// "YYYY-MM-DD" (the first ten characters of an instant too) as days since 1970.
std::optional<std::int32_t> day_number(const std::string& text) {
  unsigned y = 0, m = 0, d = 0;
  if (text.size() < 10 || std::sscanf(text.c_str(), "%4u-%2u-%2u", &y, &m, &d) != 3 || text[4] != '-' ||
      text[7] != '-')
    return std::nullopt;
  const chr::year_month_day ymd{chr::year(static_cast<int>(y)), chr::month(m), chr::day(d)};
  if (!ymd.ok() || (text.size() > 10 && text[10] != 'T')) return std::nullopt;
  return static_cast<std::int32_t>(chr::sys_days(ymd).time_since_epoch().count());
}

// An instant as milliseconds since 1970: "YYYY-MM-DDTHH:MM:SS.mmmZ", the form storage
// writes (relance/model/instant.hpp), compared as text by SQL and as numbers here; the
// fraction may be missing or of other lengths (a report's "now" given by a caller).
std::int64_t instant_ms(const std::string& text) {
  const auto day = day_number(text);
  unsigned h = 0, mi = 0, s = 0;
  if (!day || text.size() < 19 || std::sscanf(text.c_str() + 11, "%2u:%2u:%2u", &h, &mi, &s) != 3) return 0;
  std::int64_t ms = 0, scale = 100;
  if (text.size() > 20 && text[19] == '.')
    for (std::size_t i = 20; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10)
      ms += (text[i] - '0') * scale;
  return ((static_cast<std::int64_t>(*day) * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms;
}

// SQLite's julianday() of an instant: its whole milliseconds as a Julian day number, the
// division SQLite makes, so that a stale lead's idle days compare with its days exactly
// as the SQL does (a lead idle exactly 14 days is stale at 14).
double julian_day(std::int64_t unix_ms) {
  constexpr std::int64_t unix_epoch_jd_ms = 210866760000000;
  return static_cast<double>(unix_ms + unix_epoch_jd_ms) / 86400000.0;
}

// SQLite's lower() without ICU: ASCII letters only, as the sector keys were folded.
std::string sqlite_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Counts by (organisation, name), dense: a vector per organisation seen.
class Counts {
 public:
  void add(std::int32_t org, std::int32_t name, std::int64_t n) {
    if (static_cast<std::size_t>(org) >= by_org_.size()) by_org_.resize(static_cast<std::size_t>(org) + 1);
    auto& v = by_org_[static_cast<std::size_t>(org)];
    if (static_cast<std::size_t>(name) >= v.size()) v.resize(static_cast<std::size_t>(name) + 1);
    v[static_cast<std::size_t>(name)] += n;
  }
  template <class Each>
  void each(Each f) const {
    for (std::size_t o = 0; o < by_org_.size(); ++o)
      for (std::size_t n = 0; n < by_org_[o].size(); ++n)
        if (by_org_[o][n] != 0) f(static_cast<std::int32_t>(o), static_cast<std::int32_t>(n), by_org_[o][n]);
  }

 private:
  std::vector<std::vector<std::int64_t>> by_org_;
};

// Counts by (organisation, stage) as the reads answer them, the numbers named again.
std::vector<StageLeads> stage_leads(const Counts& counts, const std::vector<std::int64_t>& orgs,
                                    const std::vector<std::string>& names) {
  std::vector<StageLeads> out;
  counts.each([&](std::int32_t o, std::int32_t stage, std::int64_t n) {
    out.push_back(StageLeads{orgs[static_cast<std::size_t>(o)], names[static_cast<std::size_t>(stage)], n});
  });
  return out;
}

}  // namespace

struct ReportIndex::Selection {
  std::optional<std::int64_t> org_id, event_id, company_id;
  std::optional<std::int32_t> sector;  // none known: `no_match`
  bool no_match = false;
  std::int32_t first_day = std::numeric_limits<std::int32_t>::min();  // created day within [first, last]
  std::int32_t last_day = std::numeric_limits<std::int32_t>::max();
  std::int64_t now_ms = 0;

  bool covers(const Lead& l) const {
    return (!org_id || l.org_id == *org_id) && (!event_id || l.event_id == *event_id) &&
           (!company_id || l.company_id == *company_id) && (!sector || l.sector == *sector) &&
           l.created_day >= first_day && l.created_day <= last_day;
  }
};

std::optional<ReportIndex::Selection> ReportIndex::select(const ReportFilter& f) const {
  Selection s;
  s.org_id = f.org_id;
  s.event_id = f.event_id;
  s.company_id = f.partner_company_id;
  if (f.from) {
    const auto d = day_number(*f.from);
    if (!d || f.from->size() != 10) return std::nullopt;
    s.first_day = *d;
  }
  if (f.to) {
    const auto d = day_number(*f.to);
    if (!d || f.to->size() != 10) return std::nullopt;
    s.last_day = *d;
  }
  if (f.sector) {
    const auto it = name_ids_.find(sqlite_lower(*f.sector));
    if (it == name_ids_.end()) s.no_match = true;
    else s.sector = it->second;
  }
  s.now_ms = instant_ms(f.now);
  return s;
}

template <class Visit>
void ReportIndex::each(const Selection& s, Visit visit) const {
  if (s.no_match) return;
  for (const Lead& l : leads_)
    if (s.covers(l)) visit(l);
}

std::int64_t ReportIndex::seq() const {
  std::shared_lock lock(mutex_);
  return seq_;
}

std::int32_t ReportIndex::name(const std::string& text) {
  const auto [it, added] = name_ids_.try_emplace(text, static_cast<std::int32_t>(names_.size()));
  if (added) names_.push_back(text);
  return it->second;
}

std::int32_t ReportIndex::org(std::int64_t org_id) {
  const auto [it, added] = org_ids_.try_emplace(org_id, static_cast<std::int32_t>(orgs_.size()));
  if (added) orgs_.push_back(org_id);
  return it->second;
}

ReportIndex::Lead ReportIndex::lead_of(const ReportLeadRow& row) {
  Lead l;
  l.id = row.lead_id;
  l.org_id = row.org_id;
  l.event_id = row.event_id;
  l.company_id = row.company_id;
  l.org = org(row.org_id);
  l.sector = name(row.sector_key);
  l.stage = name(row.stage);
  l.path = name(row.path);
  // A creation that is not an instant falls in no bounded period, as no such text sorts
  // between two dates.
  l.created_day = day_number(row.created_at).value_or(std::numeric_limits<std::int32_t>::min());
  l.last_ms = instant_ms(row.last_at);
  if (row.ref_at) l.ref_ms = instant_ms(*row.ref_at);
  if (row.delay) {
    l.delay = *row.delay;
    l.has_delay = true;
  }
  for (const auto& [stage, seconds] : row.stays) l.stays.emplace_back(name(stage), seconds);
  for (const auto& due : row.pending_due) l.pending_due_ms.push_back(instant_ms(due));
  return l;
}

void ReportIndex::put(const ReportLeadRow& row) {
  const auto it = at_.find(row.lead_id);
  if (it != at_.end()) {
    leads_[it->second] = lead_of(row);
    return;
  }
  at_.emplace(row.lead_id, leads_.size());
  leads_.push_back(lead_of(row));
}

void ReportIndex::erase(std::int64_t lead_id) {
  const auto it = at_.find(lead_id);
  if (it == at_.end()) return;
  const std::size_t at = it->second;
  at_.erase(it);
  if (at + 1 != leads_.size()) {
    leads_[at] = std::move(leads_.back());
    at_[leads_[at].id] = at;
  }
  leads_.pop_back();
}

void ReportIndex::load(std::vector<ReportLeadRow> rows, std::int64_t seq) {
  std::unique_lock lock(mutex_);
  leads_.clear();
  at_.clear();
  leads_.reserve(rows.size());
  for (const auto& row : rows) put(row);
  seq_ = seq;
}

void ReportIndex::apply(const std::vector<std::int64_t>& changed, std::vector<ReportLeadRow> rows, std::int64_t seq) {
  std::unique_lock lock(mutex_);
  for (std::int64_t id : changed) erase(id);
  for (const auto& row : rows) put(row);
  seq_ = std::max(seq_, seq);
}

std::optional<std::vector<StageLeads>> ReportIndex::leads_by_stage(const ReportFilter& f) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  Counts counts;
  each(*s, [&](const Lead& l) { counts.add(l.org, l.stage, 1); });
  return stage_leads(counts, orgs_, names_);
}

std::optional<std::vector<StagePath>> ReportIndex::stage_paths(const ReportFilter& f) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  Counts counts;
  each(*s, [&](const Lead& l) { counts.add(l.org, l.path, 1); });
  std::vector<StagePath> out;
  counts.each([&](std::int32_t o, std::int32_t path, std::int64_t n) {
    out.push_back(StagePath{orgs_[static_cast<std::size_t>(o)], split_stages(names_[static_cast<std::size_t>(path)]), n});
  });
  return out;
}

std::optional<std::vector<StageStays>> ReportIndex::stage_stays(const ReportFilter& f) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  std::map<std::pair<std::int32_t, std::int32_t>, std::vector<double>> groups;  // (org, stage)
  std::pair<std::int32_t, std::int32_t> last_key{-1, -1};
  std::vector<double>* last = nullptr;
  each(*s, [&](const Lead& l) {
    for (const auto& [stage, seconds] : l.stays) {
      const std::pair<std::int32_t, std::int32_t> key{l.org, stage};
      if (key != last_key) {
        last = &groups[key];
        last_key = key;
      }
      last->push_back(seconds);
    }
  });
  std::vector<StageStays> out;
  for (auto& [key, seconds] : groups)
    out.push_back(StageStays{orgs_[static_cast<std::size_t>(key.first)], names_[static_cast<std::size_t>(key.second)],
                             std::move(seconds)});
  return out;
}

std::optional<std::vector<MissionFollowups>> ReportIndex::first_followups(const ReportFilter& f) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  std::map<std::int32_t, MissionFollowups> by_org;
  each(*s, [&](const Lead& l) {
    if (l.event_id == 0) return;
    MissionFollowups& m = by_org[l.org];
    ++m.leads;
    // A clock starts once its instant has passed (a meeting logged ahead, a mission going on).
    if (l.ref_ms == no_instant || l.ref_ms > s->now_ms) return;
    ++m.started;
    if (l.has_delay) m.delays.push_back(l.delay);
  });
  std::vector<MissionFollowups> out;
  for (auto& [o, m] : by_org) {
    m.org_id = orgs_[static_cast<std::size_t>(o)];
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<std::vector<OrgCount>> ReportIndex::overdue_followups(const ReportFilter& f) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  std::map<std::int64_t, std::int64_t> by_org;
  each(*s, [&](const Lead& l) {
    if (l.event_id == 0) return;
    for (std::int64_t due : l.pending_due_ms)
      if (due < s->now_ms) ++by_org[l.org_id];
  });
  std::vector<OrgCount> out;
  for (const auto& [org_id, n] : by_org) out.push_back(OrgCount{org_id, n});
  return out;
}

template <class Visit>
void ReportIndex::each_stale(const Selection& s, std::optional<int> days, int default_days, const StaleRules& rules,
                             Visit visit) const {
  // The days of each (organisation, stage) that has a rule, by their numbers.
  std::map<std::pair<std::int32_t, std::int32_t>, int> rule_days;
  if (!days)
    for (const auto& [org_id, stages] : rules) {
      const auto o = org_ids_.find(org_id);
      if (o == org_ids_.end()) continue;
      for (const auto& [stage, n] : stages)
        if (const auto st = name_ids_.find(stage); st != name_ids_.end()) rule_days[{o->second, st->second}] = n;
    }
  const auto won = name_ids_.find("won"), lost = name_ids_.find("lost");
  auto closed = [&](std::int32_t stage) {
    return (won != name_ids_.end() && stage == won->second) || (lost != name_ids_.end() && stage == lost->second);
  };
  const double now = julian_day(s.now_ms);
  each(s, [&](const Lead& l) {
    if (closed(l.stage)) return;
    int limit = days.value_or(default_days);
    if (!days)
      if (const auto r = rule_days.find({l.org, l.stage}); r != rule_days.end()) limit = r->second;
    const double idle = now - julian_day(l.last_ms);
    if (idle >= limit) visit(l, idle);
  });
}

std::optional<std::vector<StageLeads>> ReportIndex::stale_counts(const ReportFilter& f, std::optional<int> days,
                                                                 int default_days, const StaleRules& rules) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  Counts counts;
  each_stale(*s, days, default_days, rules, [&](const Lead& l, double) { counts.add(l.org, l.stage, 1); });
  return stage_leads(counts, orgs_, names_);
}

std::optional<StaleLeads> ReportIndex::stale_leads(const ReportFilter& f, std::optional<int> days, int default_days,
                                                   const StaleRules& rules, std::size_t limit) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  std::vector<std::pair<double, const Lead*>> stale;
  each_stale(*s, days, default_days, rules, [&](const Lead& l, double idle) { stale.emplace_back(idle, &l); });
  // The most idle first, then by id, as the scan orders them.
  auto before = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second->id < b.second->id;
  };
  const std::size_t n = std::min(limit, stale.size());
  std::partial_sort(stale.begin(), stale.begin() + static_cast<std::ptrdiff_t>(n), stale.end(), before);
  StaleLeads out;
  out.total = static_cast<std::int64_t>(stale.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Lead& l = *stale[i].second;
    out.leads.push_back(StaleLeadEntry{l.org_id, l.id, "", names_[static_cast<std::size_t>(l.stage)],
                                       format_instant(chr::system_clock::time_point(chr::milliseconds(l.last_ms))),
                                       stale[i].first});
  }
  return out;
}

}  // namespace relance::storage
