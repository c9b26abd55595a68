// ISO 4217 currencies and their minor units, for amounts kept as integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace relance::domain {

// Number of decimals of the currency ("EUR" -> 2, "JPY" -> 0), nullopt if not ISO 4217.
std::optional<int> currency_minor_units(std::string_view code);

// 10^n, for scaling amounts between minor units (n from 0 to 18).
constexpr std::int64_t power_of_ten(int n) {
  std::int64_t r = 1;
  for (; n > 0; --n) r *= 10;
  return r;
}

}  // namespace relance::domain
