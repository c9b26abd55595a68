// The region's money figures: each outcome keeps its amount in euros (amount_eur) and the
// rate it was computed with (eur_rate), from the exchange rates region staff keep
// (/api/v1/exchange-rates). Computed inside the outcome's write, when its amount, currency
// or date is written, and never again: a rate added later leaves the outcomes already
// converted as they are, so a report made last year adds up the same today.
//
// The rate of an outcome is its currency's latest with valid_from on or before the
// outcome's occurred_on (the day of the write when it has none); failing that, the
// currency's earliest rate (the nearest known); failing that, none: amount_eur and eur_rate
// stay null (the outcome is recorded all the same: a start-up's record does not wait for the
// region's bookkeeping). Amounts in EUR are their own amount_eur, at the rate 1.
#pragma once

#include <vector>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"

namespace relance::services {

// Refuses (403) a write of an exchange rate by anyone but region staff and the instance admin.
void require_rate_keeper(const auth::Principal& p, const storage::Entity& e);

// Inside the write of a row of `e` whose fields `changed` were written (every set field, on
// a create): an outcome's amount_eur and eur_rate computed again when amount, currency or
// occurred_on is among them (Problem 422 naming amount when the euros overflow); an exchange
// rate checked (Problem 422 for EUR itself, 409 when the currency has a rate from that day
// already). Adds to `changed` the fields it sets.
void settle_money(storage::WriteTxn& tx, const storage::Entity& e, storage::Row& row,
                  std::vector<std::size_t>& changed);

}  // namespace relance::services
