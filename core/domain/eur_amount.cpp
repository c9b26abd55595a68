#include "domain/eur_amount.hpp"

#include <limits>

#include "domain/currency.hpp"

namespace relance::domain {

std::optional<EurRate> parse_eur_rate(std::string_view text) {
  EurRate r;
  std::size_t i = 0;
  int whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) {
    if (whole_digits > 7) return std::nullopt;  // leading zeros included: 8 digits at most
    r.units = r.units * 10 + (text[i] - '0');
  }
  if (whole_digits == 0) return std::nullopt;
  if (r.units >= 1'000'000) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    if (++i >= text.size()) return std::nullopt;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++r.scale > max_rate_decimals) return std::nullopt;
      r.units = r.units * 10 + (text[i] - '0');
    }
    if (r.scale == 0) return std::nullopt;
  }
  if (i != text.size() || r.units == 0) return std::nullopt;
  while (r.scale > 0 && r.units % 10 == 0) {
    r.units /= 10;
    --r.scale;
  }
  return r;
}

std::string eur_rate_text(const EurRate& rate) {
  if (rate.scale == 0) return std::to_string(rate.units);
  const std::int64_t scale = power_of_ten(rate.scale);
  std::string frac = std::to_string(rate.units % scale);
  frac.insert(0, static_cast<std::size_t>(rate.scale) - frac.size(), '0');
  return std::to_string(rate.units / scale) + "." + frac;
}

std::optional<std::int64_t> eur_cents(std::int64_t amount, int minor_units, const EurRate& rate) {
  // amount / 10^minor * units / 10^scale euros = amount * units * 100 / 10^(minor + scale)
  // cents. The product needs up to 63 + 50 bits: computed in 128 (a GCC and Clang builtin).
  __extension__ typedef __int128 Wide;
  const bool negative = amount < 0;
  Wide n = static_cast<Wide>(amount) * rate.units;
  if (negative) n = -n;
  int shift = minor_units + rate.scale - 2;  // the power of ten to divide by
  if (shift < 0) {
    for (; shift < 0; ++shift) n *= 10;  // at most 100 (minor 0, scale 0)
  } else {
    Wide divisor = 1;
    for (int k = 0; k < shift; ++k) divisor *= 10;
    const Wide quotient = n / divisor;
    const Wide remainder = n % divisor;
    n = quotient + (remainder * 2 >= divisor ? 1 : 0);  // half away from zero
  }
  if (n > static_cast<Wide>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  const auto cents = static_cast<std::int64_t>(n);
  return negative ? -cents : cents;
}

}  // namespace relance::domain
