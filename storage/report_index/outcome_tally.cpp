#include "report_index/outcome_tally.hpp"

#include <algorithm>
#include <map>

#include "report_index/dictionary.hpp"

namespace relance::storage {

OutcomeTally::Groups::Groups(std::size_t groups, std::size_t currencies)
    : currencies_(currencies), count_(groups), eur_(groups), jobs_(groups), minor_(groups * currencies),
      in_currency_(groups * currencies) {}

void OutcomeTally::Groups::add(std::size_t g, const OutcomeItem& o) {
  count_[g] += o.count;
  eur_[g] += o.amount_eur;
  jobs_[g] += o.jobs;
  minor_[g * currencies_ + o.currency] += o.amount;
  in_currency_[g * currencies_ + o.currency] += o.count;
}

void OutcomeTally::Groups::merge(std::size_t g, const Groups& from, std::size_t from_g) {
  count_[g] += from.count_[from_g];
  eur_[g] += from.eur_[from_g];
  jobs_[g] += from.jobs_[from_g];
  for (std::size_t c = 0; c < currencies_; ++c) {
    minor_[g * currencies_ + c] += from.minor_[from_g * currencies_ + c];
    in_currency_[g * currencies_ + c] += from.in_currency_[from_g * currencies_ + c];
  }
}

OutcomeSums OutcomeTally::Groups::named(std::size_t g, const std::vector<std::string>& currencies) const {
  OutcomeSums out{count_[g], eur_[g], {}, jobs_[g]};
  // An outcome without an amount counts in no currency; one of 0 in its own.
  for (std::size_t c = 0; c < currencies_; ++c)
    if (!currencies[c].empty() && in_currency_[g * currencies_ + c] > 0)
      out.amounts.emplace_back(currencies[c], minor_[g * currencies_ + c]);
  std::sort(out.amounts.begin(), out.amounts.end());
  return out;
}

OutcomeTally::OutcomeTally(std::size_t orgs, std::size_t partners, std::size_t names, std::size_t currencies)
    : totals_(1, currencies),
      by_org_(orgs, currencies),
      by_partner_(partners, currencies),
      by_kind_(names, currencies),
      by_month_(names, currencies),
      by_sector_(names, currencies),
      currencies_(currencies) {}

void OutcomeTally::add(const OutcomeItem& o) {
  totals_.add(0, o);
  if (!o.broken_down) return;
  by_org_.add(o.org, o);
  by_partner_.add(o.partner, o);
  by_kind_.add(o.kind, o);
  by_month_.add(o.month, o);
  by_sector_.add(o.sector, o);
}

OutcomeReport OutcomeTally::report(const OutcomeNames& n, std::size_t partner_limit) const {
  OutcomeReport out;
  out.totals = totals_.named(0, n.currencies);
  for (std::size_t o = 0; o < by_org_.size(); ++o)
    if (!by_org_.empty(o)) out.by_org.emplace_back(n.orgs[o], by_org_.named(o, n.currencies));
  std::sort(out.by_org.begin(), out.by_org.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto by_name = [&](const Groups& groups, std::vector<std::pair<std::string, OutcomeSums>>& into) {
    for (std::size_t g = 0; g < groups.size(); ++g)
      if (!groups.empty(g)) into.emplace_back(n.names[g], groups.named(g, n.currencies));
    std::sort(into.begin(), into.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  };
  by_name(by_kind_, out.by_kind);
  by_name(by_month_, out.by_month);

  // Sectors: one group per spelling without case, named by its most used spelling.
  std::map<std::string, std::vector<std::size_t>> sectors;  // folded -> spellings (names)
  for (std::size_t g = 0; g < by_sector_.size(); ++g)
    if (!by_sector_.empty(g)) sectors[fold_ascii(n.names[g])].push_back(g);
  Groups merged(sectors.size(), currencies_);
  std::size_t at = 0;
  for (const auto& [_, spellings] : sectors) {
    std::map<std::string, std::int64_t> outcomes;  // spelling -> outcomes, in byte order
    for (std::size_t g : spellings) {
      merged.merge(at, by_sector_, g);
      outcomes[n.names[g]] += by_sector_.count(g);
    }
    const auto most = std::max_element(outcomes.begin(), outcomes.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    out.by_sector.emplace_back(most->first, merged.named(at++, n.currencies));
  }
  std::sort(out.by_sector.begin(), out.by_sector.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  std::vector<std::size_t> partners;
  for (std::size_t p = 0; p < by_partner_.size(); ++p)
    if (!by_partner_.empty(p)) partners.push_back(p);
  out.partners_total = static_cast<std::int64_t>(partners.size());
  const std::size_t shown = std::min(partner_limit, partners.size());
  std::partial_sort(partners.begin(), partners.begin() + static_cast<std::ptrdiff_t>(shown), partners.end(),
                    [&](std::size_t a, std::size_t b) {
                      if (by_partner_.amount_eur(a) != by_partner_.amount_eur(b))
                        return by_partner_.amount_eur(a) > by_partner_.amount_eur(b);
                      if (by_partner_.count(a) != by_partner_.count(b)) return by_partner_.count(a) > by_partner_.count(b);
                      return n.partners[a] < n.partners[b];
                    });
  Groups others(1, currencies_);
  for (std::size_t i = 0; i < partners.size(); ++i) {
    const std::size_t p = partners[i];
    if (i < shown) out.by_partner.push_back(OutcomeReport::Partner{n.partners[p], "", by_partner_.named(p, n.currencies)});
    else others.merge(0, by_partner_, p);
  }
  out.other_partners = others.named(0, n.currencies);
  return out;
}

}  // namespace relance::storage
