// ISO 4217 currencies and their minor units, for amounts kept as integers.
#pragma once

#include <optional>
#include <string_view>

namespace relance::domain {

// Number of decimals of the currency ("EUR" -> 2, "JPY" -> 0), nullopt if not ISO 4217.
std::optional<int> currency_minor_units(std::string_view code);

}  // namespace relance::domain
