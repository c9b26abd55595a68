#include "domain/company_name.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

#include "domain/text.hpp"

namespace relance::domain {
namespace {

// Legal forms written after a company's name, folded as company_name_key folds them
// ("S.A.R.L." -> "sarl"). English, French, German, Dutch, Italian, Spanish, Nordic and
// Asian forms a founder's address book holds; "co" and "company" too ("Acme & Co.").
constexpr std::string_view legal_forms[] = {
    "ab",   "ag",        "aps",  "as",      "bv",      "cie",     "co",     "company", "corp",
    "corporation", "eirl", "eurl", "gmbh",  "inc",     "incorporated", "kg", "kk",    "limited",
    "llc",  "llp",       "lp",   "ltd",     "ltda",    "nv",      "oy",     "oyj",     "plc",
    "pte",  "pty",       "sa",   "sarl",    "sas",     "sasu",    "sca",    "scop",    "sl",
    "slu",  "snc",       "spa",  "srl",     "ug",      "ohg",     "gbr",    "ev"};


bool is_legal_form(std::string_view word) {
  return std::find(std::begin(legal_forms), std::end(legal_forms), word) != std::end(legal_forms);
}

bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::string company_name_key(std::string_view name) {
  // Folded, then cut into words at anything that is not a letter or a digit (bytes of
  // other scripts, and emoji, stay in their word).
  const std::string folded = fold_case(name);
  std::vector<std::string> words(1);
  for (char c : folded) {
    if (ascii_alnum(c) || static_cast<unsigned char>(c) >= 0x80) words.back() += c;
    else if (!words.back().empty()) words.emplace_back();
  }
  if (words.back().empty()) words.pop_back();
  // Initials written with dots or spaces are one word: "S.A.S." -> "s a s" -> "sas".
  std::vector<std::string> joined;
  bool after_initial = false;
  for (std::string& w : words) {
    const bool initial = w.size() == 1;
    if (initial && after_initial) joined.back() += w;
    else joined.push_back(std::move(w));
    after_initial = initial;
  }
  while (joined.size() > 1 && is_legal_form(joined.back())) joined.pop_back();
  std::string key;
  for (const std::string& w : joined) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}

std::string company_domain_key(std::string_view text) {
  std::string s = fold_ascii_case(trim(text));
  if (const auto scheme = s.find("://"); scheme != std::string::npos) s.erase(0, scheme + 3);
  if (const auto end = s.find_first_of("/?#:"); end != std::string::npos) s.erase(end);
  if (const auto at = s.rfind('@'); at != std::string::npos) s.erase(0, at + 1);
  if (s.starts_with("www.")) s.erase(0, 4);
  while (!s.empty() && s.back() == '.') s.pop_back();
  if (s.find('.') == std::string::npos) return {};
  return s;
}

}  // namespace relance::domain
