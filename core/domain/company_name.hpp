// The one rule that says two companies are the same: by a normalised name, or by their web
// domain. The import links a row's company with it and the duplicate finder groups people
// "at the same company" with it, so "Intel Corporation" and "Intel" are one company, and
// Jane Doe at both is one person.
#pragma once

#include <string>
#include <string_view>

namespace relance::domain {

// The name as companies are matched: case and accents folded ("Société" == "societe"),
// punctuation read as a space ("Lumen-Labs" == "Lumen Labs", "S.A.S." == "SAS"), and the
// legal form at the end left out ("Intel Corporation", "Intel Corp.", "INTEL, Inc." ==
// "intel"; "Acme GmbH & Co. KG" == "acme"). A name that is only a legal form keeps it.
// Idempotent: the key of a key is itself. "" for a name with no letter or digit.
std::string company_name_key(std::string_view name);

// The web domain a company's `domain` or `website` names, as matched: lower-case, without
// scheme, "www.", port or path ("https://www.Intel.com/fr" -> "intel.com"). "" when it
// names no domain (no dot).
std::string company_domain_key(std::string_view domain_or_url);

}  // namespace relance::domain
