// Phone numbers in E.164, read with libphonenumber (kept in this one translation unit).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace relance::domain {

// "+33 4 72 00 00 00", "04 72 00 00 00" with region "FR", "(650) 253-0000" with "US"
// -> "+33472000000". nullopt when the text is not a valid number for the region.
std::optional<std::string> to_e164(std::string_view text, std::string_view default_region);

}  // namespace relance::domain
