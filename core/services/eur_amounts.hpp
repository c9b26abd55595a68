// The region's money figures: each outcome keeps its amount in euros (amount_eur) and the
// rate it was computed with (eur_rate), from the exchange rates region staff keep
// (/api/v1/exchange-rates). Computed inside the outcome's write, when its amount, currency
// or date is written, and never again for an outcome that got a rate: a rate added later
// leaves the outcomes already converted as they are, so a report made last year adds up the
// same today. An outcome that got none (its currency had no rate yet) is converted when its
// currency's first rate is written, in that rate's transaction (convert_waiting_outcomes).
//
// The rate of an outcome is its currency's latest with valid_from on or before the
// outcome's occurred_on (the day of the write when it has none); failing that, the
// currency's earliest rate (the nearest known); failing that, none: amount_eur and eur_rate
// stay null (the outcome is recorded all the same: a start-up's record does not wait for the
// region's bookkeeping) until then. Amounts in EUR are their own amount_eur, at the rate 1.
#pragma once

#include <vector>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"

namespace relance::services {

// Refuses (403) a write of an exchange rate by anyone but region staff and the instance admin.
void require_rate_keeper(const auth::Principal& p, const storage::Entity& e);

// After the write of a row of `e` (an exchange rate, created or changed; any other entity:
// nothing): every outcome in the rate's currency that has no rate yet (written before its
// currency had one) is converted now, in the same transaction, as a change by `p` (audited,
// with its event). Outcomes that kept a rate are left as they are.
void convert_waiting_outcomes(storage::WriteTxn& tx, const auth::Principal& p, const storage::Entity& e,
                              const storage::Row& rate);

// Inside the write of a row of `e` whose fields `changed` were written (every set field, on
// a create): an outcome's amount_eur and eur_rate computed again when amount, currency or
// occurred_on is among them (Problem 422 naming amount when the euros overflow); an exchange
// rate checked (Problem 422 for EUR itself, 409 when the currency has a rate from that day
// already). Adds to `changed` the fields it sets.
void settle_money(storage::WriteTxn& tx, const storage::Entity& e, storage::Row& row,
                  std::vector<std::size_t>& changed);

}  // namespace relance::services
