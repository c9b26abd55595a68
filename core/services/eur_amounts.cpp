#include "services/eur_amounts.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "domain/currency.hpp"
#include "domain/eur_amount.hpp"
#include "domain/problem.hpp"
#include "domain/time.hpp"
#include "services/record_writes.hpp"

namespace relance::services {
using storage::Entity;
using storage::Row;
namespace ent = storage::entities;

namespace {

const std::string euro = "EUR";

// The day after "YYYY-MM-DD" (a valid date: the field rules checked it).
std::string next_day(const std::string& date) {
  int y = 0;
  unsigned m = 0, d = 0;
  std::sscanf(date.c_str(), "%d-%u-%u", &y, &m, &d);
  const std::chrono::year_month_day next{std::chrono::sys_days{std::chrono::year_month_day{
                                             std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}} +
                                         std::chrono::days{1}};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(next.year()),
                static_cast<unsigned>(next.month()), static_cast<unsigned>(next.day()));
  return out;
}

// The rate of `currency` on `day` (the header says which), as the region's table holds it.
std::optional<domain::EurRate> rate_on(storage::WriteTxn& tx, std::int64_t org_id, const std::string& currency,
                                       const std::string& day) {
  storage::ListQuery q;
  q.scope = storage::Scope::org_and_region(org_id);
  q.filters.push_back({"currency", storage::Filter::Op::eq, currency});
  q.sort = "valid_from";
  q.limit = 1;
  q.descending = true;
  q.filters.push_back({"valid_from", storage::Filter::Op::lt, next_day(day)});
  auto rows = tx.list(ent::exchange_rates, q);
  if (rows.empty()) {  // none yet on that day: the earliest known
    q.filters.pop_back();
    q.descending = false;
    rows = tx.list(ent::exchange_rates, q);
  }
  if (rows.empty()) return std::nullopt;
  const std::string* text = rows.front().text(ent::exchange_rates, "rate");
  return text ? domain::parse_eur_rate(*text) : std::nullopt;
}

void set(const Entity& e, Row& row, std::string_view field, storage::Value v, std::vector<std::size_t>& changed) {
  const std::size_t i = *e.index_of(field);
  if (row.values[i] == v) return;
  row.values[i] = std::move(v);
  if (std::find(changed.begin(), changed.end(), i) == changed.end()) changed.push_back(i);
}

bool touches(const Entity& e, const std::vector<std::size_t>& changed, std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields)
    if (std::find(changed.begin(), changed.end(), *e.index_of(f)) != changed.end()) return true;
  return false;
}

// Sets the outcome's amount_eur and eur_rate at the rate of its currency on its date (its
// occurred_on, else `undated`): both null when no rate applies.
void convert(storage::WriteTxn& tx, Row& row, const std::string& undated, std::vector<std::size_t>& changed) {
  const Entity& e = ent::outcomes;
  const auto amount = row.integer(e, "amount");
  const std::string* currency = row.text(e, "currency");
  std::optional<domain::EurRate> rate;
  if (amount && currency) {
    if (*currency == euro) {
      rate = domain::EurRate{1, 0};
    } else {
      const std::string* on = row.text(e, "occurred_on");
      rate = rate_on(tx, row.org_id, *currency, on ? *on : undated);
    }
  }
  if (!rate) {
    set(e, row, "amount_eur", storage::Value{}, changed);
    set(e, row, "eur_rate", storage::Value{}, changed);
    return;
  }
  const auto cents = domain::eur_cents(*amount, domain::currency_minor_units(*currency).value_or(2), *rate);
  if (!cents) throw Problem::invalid("amount", "amount is too large to be converted to euros");
  set(e, row, "amount_eur", *cents, changed);
  set(e, row, "eur_rate", domain::eur_rate_text(*rate), changed);
}

void settle_outcome(storage::WriteTxn& tx, Row& row, std::vector<std::size_t>& changed) {
  if (!touches(ent::outcomes, changed, {"amount", "currency", "occurred_on"})) return;
  convert(tx, row, domain::now_instant().substr(0, 10), changed);
}

void check_rate(storage::WriteTxn& tx, const Row& row) {
  const Entity& e = ent::exchange_rates;
  const std::string* currency = row.text(e, "currency");
  const std::string* from = row.text(e, "valid_from");
  if (!currency || !from) return;
  if (*currency == euro) throw Problem::invalid("currency", "currency: EUR is the euro itself, at the rate 1");
  storage::ListQuery q;
  q.scope = storage::Scope::org(row.org_id);
  q.filters.push_back({"currency", storage::Filter::Op::eq, *currency});
  q.filters.push_back({"valid_from", storage::Filter::Op::eq, *from});
  q.limit = 2;
  for (const Row& other : tx.list(e, q))
    if (other.id != row.id)
      throw Problem::conflict("exchange rate " + std::to_string(other.id) + " is the rate of " + *currency +
                                  " from " + *from + " already; change it instead",
                              "valid_from");
}

}  // namespace

void require_rate_keeper(const auth::Principal& p, const Entity& e) {
  if (&e == &ent::exchange_rates && !p.is_staff() && !p.is_admin())
    throw Problem::forbidden("only region staff and the instance admin keep the exchange rates");
}

void convert_waiting_outcomes(storage::WriteTxn& tx, const auth::Principal& p, const Entity& e, const Row& rate) {
  if (&e != &ent::exchange_rates) return;
  const std::string* currency = rate.text(e, "currency");
  if (!currency) return;
  const Entity& o = ent::outcomes;
  storage::ListQuery q;
  q.scope = storage::Scope::everything();  // every start-up's: the table is the region's
  q.filters.push_back({"currency", storage::Filter::Op::eq, *currency});
  q.filters.push_back({"eur_rate", storage::Filter::Op::is_null, {}});
  q.limit = 500;
  for (std::vector<Row> page = tx.list(o, q); !page.empty(); page = tx.list(o, q)) {
    for (Row& row : page) {
      const Row before = row;
      std::vector<std::size_t> changed;
      try {
        // Undated: the day it was recorded, the day its figures belong to.
        convert(tx, row, row.created_at.substr(0, 10), changed);
      } catch (const Problem&) {
        continue;  // euros beyond what an amount holds: this one stays without, the rate is written
      }
      if (changed.empty()) continue;  // no amount: nothing to convert
      write_record(tx, p, o, WriteKind::update, row, &before, changed, event_type(o, WriteKind::update));
    }
    q.after_id = page.back().id;
  }
}

void settle_money(storage::WriteTxn& tx, const Entity& e, Row& row, std::vector<std::size_t>& changed) {
  if (&e == &ent::outcomes) settle_outcome(tx, row, changed);
  if (&e == &ent::exchange_rates) check_rate(tx, row);
}

}  // namespace relance::services
