// Phone numbers in E.164, read with libphonenumber (kept in this one translation unit).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace relance::domain {

// "+33 4 72 00 00 00", "04 72 00 00 00" with region "FR", "(650) 253-0000" with "US"
// -> "+33472000000". A text without "+" is read as a number of `default_region` (an ISO
// 3166-1 alpha-2 code; "" reads as "FR"). nullopt when the text is not a valid number there.
//
// An extension is kept, after the number in the RFC 3966 way: "+1 650 555 0123 x12",
// "+16505550123 ext. 12", "01 23 45 67 89 poste 12", "+16505550123;ext=12" ->
// "+16505550123;ext=12" (digits only after "ext="). This stored form is the contract every
// reader of phones relies on (exports write `tel:+16505550123;ext=12` in a vCard): E.164,
// then optionally ";ext=" and the extension's digits, nothing else.
std::optional<std::string> to_e164(std::string_view text, std::string_view default_region);

}  // namespace relance::domain
