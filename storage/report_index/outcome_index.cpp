#include "report_index/outcome_index.hpp"

#include <algorithm>
#include <mutex>

#include "report_index/outcome_tally.hpp"

namespace relance::storage {

std::int64_t OutcomeIndex::seq() const {
  std::shared_lock lock(mutex_);
  return seq_;
}

void OutcomeIndex::put(const ReportOutcomeRow& row) {
  const std::uint32_t slot = slots_.put(row.outcome_id);
  if (slot >= outcomes_.size()) outcomes_.resize(slot + 1);
  Outcome& o = outcomes_[slot];
  o.event_id = row.event_id;
  o.amount = row.amount;
  o.amount_eur = row.amount_eur;
  o.jobs = row.jobs;
  o.org = orgs_.id(row.org_id);
  o.partner = partners_.id(row.partner_id);
  o.kind = names_.id(row.kind);
  o.month = names_.id(row.day.substr(0, 7));
  o.sector = names_.id(row.sector.value_or(""));
  o.sector_key = row.sector ? static_cast<std::int32_t>(names_.id(fold_ascii(*row.sector))) : no_sector;
  o.currency = currencies_.id(row.currency);
  // A day that is not a date falls in no bounded period, as no such text sorts between two dates.
  o.day = day_number(row.day).value_or(std::numeric_limits<std::int32_t>::min());
  o.live = true;
}

void OutcomeIndex::load(const std::vector<ReportOutcomeRow>& rows, std::int64_t seq) {
  std::unique_lock lock(mutex_);
  outcomes_.clear();
  slots_.clear();
  outcomes_.reserve(rows.size());
  for (const auto& row : rows) put(row);
  seq_ = seq;
}

void OutcomeIndex::apply(const std::vector<std::int64_t>& changed, const std::vector<ReportOutcomeRow>& rows,
                         std::int64_t seq) {
  std::unique_lock lock(mutex_);
  for (std::int64_t id : changed)
    if (const auto slot = slots_.erase(id)) outcomes_[*slot] = Outcome{};
  for (const auto& row : rows) put(row);
  seq_ = std::max(seq_, seq);
}

std::optional<OutcomeReport> OutcomeIndex::outcomes(const ReportFilter& f, std::optional<std::int64_t> only_org,
                                                    std::size_t partner_limit) const {
  std::shared_lock lock(mutex_);
  // The filter as numbers. A value the index has never seen selects nothing.
  std::int32_t first_day = std::numeric_limits<std::int32_t>::min(), last_day = std::numeric_limits<std::int32_t>::max();
  if (f.from) {
    const auto d = day_number(*f.from);
    if (!d || f.from->size() != 10) return std::nullopt;
    first_day = *d;
  }
  if (f.to) {
    const auto d = day_number(*f.to);
    if (!d || f.to->size() != 10) return std::nullopt;
    last_day = *d;
  }
  bool none = false;
  std::optional<std::uint32_t> org, partner, shown_org;
  std::int32_t sector_key = no_sector;
  if (f.org_id) none |= !(org = orgs_.find(*f.org_id));
  if (f.partner_company_id) none |= !(partner = partners_.find(*f.partner_company_id));
  if (f.sector) {
    const auto key = names_.find(fold_ascii(*f.sector));
    none |= !key;
    if (key) sector_key = static_cast<std::int32_t>(*key);
  }
  if (only_org) shown_org = orgs_.find(*only_org).value_or(std::numeric_limits<std::uint32_t>::max());

  OutcomeTally tally(orgs_.size(), partners_.size(), names_.size(), currencies_.size());
  if (!none)
    for (const Outcome& o : outcomes_) {
      if (!o.live || (org && o.org != *org) || (f.event_id && o.event_id != *f.event_id) ||
          (partner && o.partner != *partner) || (f.sector && o.sector_key != sector_key) || o.day < first_day ||
          o.day > last_day)
        continue;
      tally.add(OutcomeItem{o.org, o.partner, o.kind, o.month, o.sector, o.currency,
                            !shown_org || o.org == *shown_org, 1, o.amount, o.amount_eur, o.jobs});
    }
  return tally.report(OutcomeNames{orgs_.values(), partners_.values(), names_.values(), currencies_.values()},
                      partner_limit);
}

}  // namespace relance::storage
