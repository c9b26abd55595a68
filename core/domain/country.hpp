// ISO 3166-1 alpha-2 country codes.
#pragma once

#include <string_view>

namespace relance::domain {

// "FR", "US"... (upper case); false for "ZZ", "fr", "FRA".
bool is_country_code(std::string_view code);

}  // namespace relance::domain
