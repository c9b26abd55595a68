// Amounts in euros: exchange rates read exactly and amounts converted without floating
// point, so that a report's sum in euros is the sum of what each outcome stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relance::domain {

// An exchange rate as an exact decimal: `units` / 10^`scale` euros for one unit of a currency.
struct EurRate {
  std::int64_t units = 0;
  int scale = 0;
};

inline constexpr int max_rate_decimals = 12;

// "0.9234" -> {9234, 4}. Digits with at most one '.', digits on both sides of it, at most
// max_rate_decimals decimals, above 0 and below 1,000,000 (no currency is worth a million
// euros a unit); nullopt otherwise.
std::optional<EurRate> parse_eur_rate(std::string_view text);

// The canonical text of a rate: no leading zeros, no trailing zeros after the point
// ("0.92340" -> "0.9234", "1.0" -> "1"). What storage keeps and the API answers.
std::string eur_rate_text(const EurRate& rate);

// `amount` minor units of a currency with `minor_units` decimals, in euro cents at `rate`,
// rounded to the cent half away from zero (0.005 EUR up to 0.01 EUR, as the euro's own
// conversion rules round: Council Regulation (EC) No 1103/97, art. 5); nullopt when the
// result does not fit in 64 bits.
std::optional<std::int64_t> eur_cents(std::int64_t amount, int minor_units, const EurRate& rate);

}  // namespace relance::domain
