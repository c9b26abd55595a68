#include "report_index/report_index.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

#include "relance/model/instant.hpp"
#include "report_index/spread_groups.hpp"
#include "report_index/stage_path.hpp"

namespace relance::storage {
namespace {
namespace chr = std::chrono;

// Numbers of the indexes' states, never given twice (in any index of the process): the key of
// a thread's last selection.
std::atomic<std::uint64_t> next_generation{1};

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
  std::optional<std::int32_t> org, event, company, sector;  // numbers into the dictionaries
  bool no_match = false;  // a value the index has never seen: no lead
  std::int32_t first_day = std::numeric_limits<std::int32_t>::min();  // created day within [first, last]
  std::int32_t last_day = std::numeric_limits<std::int32_t>::max();
  std::int64_t now_ms = 0;

  bool same_leads(const Selection& o) const {
    return org == o.org && event == o.event && company == o.company && sector == o.sector && no_match == o.no_match &&
           first_day == o.first_day && last_day == o.last_day;
  }
};

ReportIndex::ReportIndex() {
  events_.id(0);
  companies_.id(0);
}

void ReportIndex::Columns::resize(std::size_t n) {
  id.resize(n);
  live.resize(n / 64 + 1);
  for (auto* c : {&org, &event, &company, &sector, &stage, &path, &created_day}) c->resize(n);
  last_ms.resize(n);
  ref_ms.resize(n, no_instant);
}

void ReportIndex::Columns::set_live(std::uint32_t slot, bool is_live) {
  const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
  if (is_live) live[slot / 64] |= bit;
  else live[slot / 64] &= ~bit;
}

std::optional<ReportIndex::Selection> ReportIndex::select(const ReportFilter& f) const {
  Selection s;
  auto number = [&](const auto& dictionary, const auto& value, std::optional<std::int32_t>& into) {
    const auto n = dictionary.find(value);
    if (!n) s.no_match = true;
    else into = static_cast<std::int32_t>(*n);
  };
  if (f.org_id) number(orgs_, *f.org_id, s.org);
  if (f.event_id) number(events_, *f.event_id, s.event);
  if (f.partner_company_id) number(companies_, *f.partner_company_id, s.company);
  if (f.sector) number(sectors_, fold_ascii(*f.sector), s.sector);
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
  s.now_ms = instant_ms(f.now);
  return s;
}

ReportIndex::Covered ReportIndex::covered(const Selection& s) const {
  // A report makes several reads with the same filter on the same thread (a mission summary,
  // seven): the last selection of the thread is kept while the index is unchanged.
  struct Last {
    std::uint64_t generation = 0;
    Selection selection;
    Covered covered;
  };
  thread_local Last last;
  if (last.generation == generation_ && last.selection.same_leads(s)) return last.covered;
  Covered out;
  if (s.no_match) {
    out.bits.assign(leads_.live.size(), 0);
    last = Last{generation_, s, out};
    return out;
  }
  out.bits = leads_.live;
  // Each filter clears the bits of the leads it leaves out, reading its column only.
  auto keep_where = [&](auto keeps) {
    each_set_bit(out.bits, [&](std::size_t slot) {
      if (!keeps(slot)) out.bits[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
      return true;
    });
  };
  auto equal = [&](const std::vector<std::int32_t>& column, std::optional<std::int32_t> value) {
    if (value) keep_where([&](std::size_t slot) { return column[slot] == *value; });
  };
  equal(leads_.org, s.org);
  equal(leads_.event, s.event);
  equal(leads_.company, s.company);
  equal(leads_.sector, s.sector);
  if (s.first_day != std::numeric_limits<std::int32_t>::min() || s.last_day != std::numeric_limits<std::int32_t>::max())
    keep_where([&](std::size_t slot) {
      return leads_.created_day[slot] >= s.first_day && leads_.created_day[slot] <= s.last_day;
    });
  for (std::uint64_t word : out.bits) out.count += static_cast<std::size_t>(__builtin_popcountll(word));
  last = Last{generation_, s, out};
  return out;
}

std::int64_t ReportIndex::seq() const {
  std::shared_lock lock(mutex_);
  return seq_;
}

void ReportIndex::put(const ReportLeadRow& row, Added& added) {
  const std::uint32_t slot = slots_.put(row.lead_id);
  if (slot >= leads_.id.size()) leads_.resize(slot + 1);
  Columns& c = leads_;
  c.id[slot] = row.lead_id;
  c.set_live(slot, true);
  c.org[slot] = static_cast<std::int32_t>(orgs_.id(row.org_id));
  c.event[slot] = static_cast<std::int32_t>(events_.id(row.event_id));
  c.company[slot] = static_cast<std::int32_t>(companies_.id(row.company_id));
  c.sector[slot] = static_cast<std::int32_t>(sectors_.id(row.sector_key));
  c.stage[slot] = static_cast<std::int32_t>(stages_.id(row.stage));
  c.path[slot] = static_cast<std::int32_t>(paths_.id(row.path));
  // A creation that is not an instant falls in no bounded period, as no such text sorts
  // between two dates.
  c.created_day[slot] = day_number(row.created_at).value_or(std::numeric_limits<std::int32_t>::min());
  c.last_ms[slot] = instant_ms(row.last_at);
  c.ref_ms[slot] = row.ref_at ? instant_ms(*row.ref_at) : no_instant;
  const auto org = static_cast<std::uint32_t>(c.org[slot]);
  for (const auto& [stage, seconds] : row.stays)
    added.stays.push_back(
        RankedValues::Entry{seconds, slot, stay_key(c.org[slot], static_cast<std::int32_t>(stages_.id(stage)))});
  if (row.delay) added.delays.push_back(RankedValues::Entry{*row.delay, slot, org});
  for (const auto& due : row.pending_due)
    added.pending.push_back(RankedValues::Entry{static_cast<double>(instant_ms(due)), slot, org});
}

void ReportIndex::erase(std::int64_t lead_id, std::vector<bool>& changed) {
  if (const auto slot = slots_.erase(lead_id)) {
    leads_.id[*slot] = 0;
    leads_.set_live(*slot, false);
    changed[*slot] = true;
  }
}

void ReportIndex::load(std::vector<ReportLeadRow> rows, std::int64_t seq) {
  std::unique_lock lock(mutex_);
  leads_ = Columns{};
  slots_.clear();
  leads_.resize(rows.size());
  Added added;
  for (const auto& row : rows) put(row, added);
  stays_.assign(std::move(added.stays));
  delays_.assign(std::move(added.delays));
  pending_.assign(std::move(added.pending));
  seq_ = seq;
  generation_ = next_generation++;
}

void ReportIndex::apply(const std::vector<std::int64_t>& changed, std::vector<ReportLeadRow> rows, std::int64_t seq) {
  std::unique_lock lock(mutex_);
  // Every changed lead leaves its slot (its values with it) and the rows come back in.
  std::vector<bool> slots(leads_.id.size(), false);
  for (std::int64_t id : changed) erase(id, slots);
  Added added;
  for (const auto& row : rows) put(row, added);
  stays_.replace(slots, std::move(added.stays));
  delays_.replace(slots, std::move(added.delays));
  pending_.replace(slots, std::move(added.pending));
  seq_ = std::max(seq_, seq);
  generation_ = next_generation++;
}

std::optional<std::vector<StageLeads>> ReportIndex::leads_by_stage(const ReportFilter& f) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  Counts counts;
  covered(*s).each([&](std::uint32_t slot) { counts.add(leads_.org[slot], leads_.stage[slot], 1); });
  return stage_leads(counts, orgs_.values(), stages_.values());
}

std::optional<std::vector<StagePath>> ReportIndex::stage_paths(const ReportFilter& f) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  Counts counts;
  covered(*s).each([&](std::uint32_t slot) { counts.add(leads_.org[slot], leads_.path[slot], 1); });
  std::vector<StagePath> out;
  counts.each([&](std::int32_t o, std::int32_t path, std::int64_t n) {
    out.push_back(StagePath{orgs_[static_cast<std::size_t>(o)], split_stages(paths_[static_cast<std::size_t>(path)]), n});
  });
  return out;
}

std::optional<StaysReport> ReportIndex::stage_stays(const ReportFilter& f, const TotalsStageName& totals_name) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  // A stay's key holds 16 bits of each: past 65,536 organisations or stage names seen, the
  // scan answers.
  if (!s || orgs_.size() > 0x10000 || stages_.size() > 0x10000) return std::nullopt;
  const Covered covered = this->covered(*s);
  // Groups: (organisation, stage) first, then the totals' names, numbered apart.
  const std::size_t stages = stages_.size(), own = orgs_.size() * stages;
  std::vector<std::string> total_names;
  std::map<std::string, std::uint32_t> total_ids;
  std::vector<std::uint32_t> total_of(stages);
  for (std::size_t n = 0; n < stages; ++n) {
    const auto [it, added] =
        total_ids.try_emplace(totals_name(stages_[n]), static_cast<std::uint32_t>(own + total_names.size()));
    if (added) total_names.push_back(it->first);
    total_of[n] = it->second;
  }
  std::vector<GroupSpread> spread;
  stays_.in_order(covered.bits, few(covered), [&](const std::vector<RankedValues::Entry>& stays) {
    spread = spreads(stays, own + total_names.size(), [&](const RankedValues::Entry& e, std::uint32_t* g) {
      if (!covered.has(e.slot)) return 0;
      const std::uint32_t stage = e.key & 0xffff;
      g[0] = static_cast<std::uint32_t>((e.key >> 16) * stages + stage);
      g[1] = total_of[stage];
      return 2;
    });
  });
  StaysReport out;
  for (std::size_t g = 0; g < own; ++g)
    if (spread[g].n > 0)
      out.by_org.push_back(StageStays{orgs_[g / stages], stages_[g % stages], spread_of(spread[g])});
  for (std::size_t t = 0; t < total_names.size(); ++t)
    if (spread[own + t].n > 0) out.totals.push_back(StageStays{0, total_names[t], spread_of(spread[own + t])});
  return out;
}

std::optional<FollowupsReport> ReportIndex::first_followups(const ReportFilter& f,
                                                            const std::vector<double>& within) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  // Mission leads counted by organisation; the delays of those whose clock has started (once
  // its instant has passed: a meeting logged ahead, a mission going on) spread.
  std::vector<MissionFollowups> by_org(orgs_.size());
  FollowupsReport out;
  Covered started{std::vector<std::uint64_t>(leads_.live.size(), 0)};
  covered(*s).each([&](std::uint32_t slot) {
    if (leads_.event[slot] == 0) return;
    MissionFollowups& m = by_org[static_cast<std::size_t>(leads_.org[slot])];
    ++m.leads;
    ++out.totals.leads;
    const std::int64_t ref = leads_.ref_ms[slot];
    if (ref == no_instant || ref > s->now_ms) return;
    ++m.started;
    ++out.totals.started;
    started.bits[slot / 64] |= std::uint64_t{1} << (slot % 64);
    ++started.count;
  });
  const std::size_t total = orgs_.size();
  std::vector<GroupSpread> spread;
  delays_.in_order(started.bits, few(started), [&](const std::vector<RankedValues::Entry>& delays) {
    spread = spreads(
        delays, total + 1,
        [&](const RankedValues::Entry& e, std::uint32_t* g) {
          if (!started.has(e.slot)) return 0;
          g[0] = e.key;
          g[1] = static_cast<std::uint32_t>(total);
          return 2;
        },
        within);
  });
  for (std::size_t o = 0; o < total; ++o) {
    if (by_org[o].leads == 0) continue;
    by_org[o].org_id = orgs_[o];
    by_org[o].delays = spread_of(spread[o]);
    by_org[o].within = spread[o].at_most;
    out.by_org.push_back(std::move(by_org[o]));
  }
  out.totals.delays = spread_of(spread[total]);
  out.totals.within = spread[total].at_most;
  return out;
}

std::optional<std::vector<OrgCount>> ReportIndex::overdue_followups(const ReportFilter& f) const {
  std::shared_lock lock(mutex_);
  auto s = select(f);
  if (!s) return std::nullopt;
  const Covered covered = this->covered(*s);
  std::vector<std::int64_t> by_org(orgs_.size(), 0);
  // The due times in order: the overdue ones are those before now, of mission leads.
  const double now = static_cast<double>(s->now_ms);
  pending_.in_order(covered.bits, few(covered), [&](const std::vector<RankedValues::Entry>& pending) {
    for (const auto& e : pending) {
      if (e.value >= now) break;
      if (covered.has(e.slot) && leads_.event[e.slot] != 0) ++by_org[e.key];
    }
  });
  std::vector<OrgCount> out;
  for (std::size_t o = 0; o < by_org.size(); ++o)
    if (by_org[o] != 0) out.push_back(OrgCount{orgs_[o], by_org[o]});
  return out;
}

template <class Visit>
void ReportIndex::each_stale(const Selection& s, const Covered& covered, std::optional<int> days, int default_days,
                             const StaleRules& rules, Visit visit) const {
  // The days of each (organisation, stage), by their numbers: those asked, else the rule's,
  // else the default; none for the closed stages.
  constexpr int closed = -1;
  const std::size_t stages = stages_.size();
  std::vector<int> limit(orgs_.size() * stages, days.value_or(default_days));
  if (!days)
    for (const auto& [org_id, by_stage] : rules) {
      const auto o = orgs_.find(org_id);
      if (!o) continue;
      for (const auto& [stage, n] : by_stage)
        if (const auto st = stages_.find(stage)) limit[*o * stages + *st] = n;
    }
  for (const char* name : {"won", "lost"})
    if (const auto st = stages_.find(name))
      for (std::size_t o = 0; o < orgs_.size(); ++o) limit[o * stages + *st] = closed;
  const double now = julian_day(s.now_ms);
  covered.each([&](std::uint32_t slot) {
    const int days_of = limit[static_cast<std::size_t>(leads_.org[slot]) * stages + static_cast<std::size_t>(leads_.stage[slot])];
    if (days_of == closed) return;
    const double idle = now - julian_day(leads_.last_ms[slot]);
    if (idle >= days_of) visit(slot, idle);
  });
}

std::optional<std::vector<StageLeads>> ReportIndex::stale_counts(const ReportFilter& f, std::optional<int> days,
                                                                 int default_days, const StaleRules& rules) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  Counts counts;
  each_stale(*s, covered(*s), days, default_days, rules,
             [&](std::uint32_t slot, double) { counts.add(leads_.org[slot], leads_.stage[slot], 1); });
  return stage_leads(counts, orgs_.values(), stages_.values());
}

std::optional<StaleLeads> ReportIndex::stale_leads(const ReportFilter& f, std::optional<int> days, int default_days,
                                                   const StaleRules& rules, std::size_t limit) const {
  std::shared_lock lock(mutex_);
  const auto s = select(f);
  if (!s) return std::nullopt;
  std::vector<std::pair<double, std::uint32_t>> stale;  // idle days, slot
  each_stale(*s, covered(*s), days, default_days, rules,
             [&](std::uint32_t slot, double idle) { stale.emplace_back(idle, slot); });
  // The most idle first, then by id, as the scan orders them.
  auto before = [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : leads_.id[a.second] < leads_.id[b.second];
  };
  const std::size_t n = std::min(limit, stale.size());
  std::partial_sort(stale.begin(), stale.begin() + static_cast<std::ptrdiff_t>(n), stale.end(), before);
  StaleLeads out;
  out.total = static_cast<std::int64_t>(stale.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t slot = stale[i].second;
    out.leads.push_back(StaleLeadEntry{orgs_[static_cast<std::size_t>(leads_.org[slot])], leads_.id[slot], "",
                                       stages_[static_cast<std::size_t>(leads_.stage[slot])],
                                       format_instant(chr::system_clock::time_point(chr::milliseconds(leads_.last_ms[slot]))),
                                       stale[i].first});
  }
  return out;
}

}  // namespace relance::storage
