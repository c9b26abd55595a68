#include "domain/phone.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <array>
#include <functional>

namespace relance::domain {
namespace {

// French switchboards write extensions "poste 12" (libphonenumber knows "x", "ext.", "#",
// ";ext=" and others, not this one): read as "ext. 12".
std::string with_known_extension_words(std::string text) {
  for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
    std::string word = text.substr(i, 5);
    for (char& c : word) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (word == "poste") text.replace(i, 5, "ext. ");
  }
  return text;
}

std::optional<std::string> parse_e164(const std::string& text, const std::string& region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(with_known_extension_words(text), region, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return std::nullopt;
  if (!util.IsValidNumber(number)) return std::nullopt;
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  if (number.has_extension() && !number.extension().empty()) out += ";ext=" + number.extension();
  return out;
}

// The answers of the last few hundred numbers, per thread. libphonenumber runs ICU regular
// expressions, slow per number (docs/performance.md, "Figures behind the code"); an import
// checks each number as it reads it and again when the row meets the API's field rules,
// and the second time it is already in E.164: the answer for an E.164 text is that same
// text, whatever the region, so each answer is also kept under its own E.164 form.
class RecentNumbers {
 public:
  const std::optional<std::string>* find(const std::string& key) const {
    const Slot& s = slots_[slot_of(key)];
    return s.used && s.key == key ? &s.answer : nullptr;
  }
  void keep(const std::string& key, const std::optional<std::string>& answer) {
    Slot& s = slots_[slot_of(key)];
    s.used = true;
    s.key = key;
    s.answer = answer;
  }

 private:
  struct Slot {
    bool used = false;
    std::string key;
    std::optional<std::string> answer;
  };
  static std::size_t slot_of(const std::string& key) {
    return std::hash<std::string>{}(key) % std::tuple_size_v<decltype(slots_)>;
  }
  std::array<Slot, 512> slots_;
};

}  // namespace

std::optional<std::string> to_e164(std::string_view text, std::string_view default_region) {
  thread_local RecentNumbers recent;
  const std::string region = default_region.empty() ? "FR" : std::string(default_region);
  // A text starting with '+' reads the same in every region.
  std::string key = text.starts_with('+') ? std::string() : region;
  key += '\x1f';
  key += text;
  if (const auto* known = recent.find(key)) return *known;
  auto answer = parse_e164(std::string(text), region);
  recent.keep(key, answer);
  if (answer && *answer != text) recent.keep("\x1f" + *answer, answer);
  return answer;
}

}  // namespace relance::domain
