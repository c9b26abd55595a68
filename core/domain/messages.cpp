#include "domain/messages.hpp"

#include <cstdlib>
#include <optional>

namespace relance::domain {

Locale locale_of(std::string_view tag, Locale fallback) {
  if (tag.size() >= 2 && (tag[0] == 'f' || tag[0] == 'F') && (tag[1] == 'r' || tag[1] == 'R') &&
      (tag.size() == 2 || tag[2] == '-' || tag[2] == '_' || tag[2] == '.'))
    return Locale::fr;
  if (tag.size() >= 2 && (tag[0] == 'e' || tag[0] == 'E') && (tag[1] == 'n' || tag[1] == 'N') &&
      (tag.size() == 2 || tag[2] == '-' || tag[2] == '_' || tag[2] == '.'))
    return Locale::en;
  return fallback;
}

std::string_view locale_tag(Locale l) { return l == Locale::fr ? "fr" : "en"; }

Locale accepted_locale(std::string_view accept_language, Locale fallback) {
  std::optional<Locale> best;
  double best_weight = 0;
  while (!accept_language.empty()) {
    const std::size_t comma = accept_language.find(',');
    std::string_view entry = accept_language.substr(0, comma);
    accept_language = comma == std::string_view::npos ? std::string_view() : accept_language.substr(comma + 1);
    const std::size_t semicolon = entry.find(';');
    std::string_view tag = entry.substr(0, semicolon);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    double weight = 1;
    if (semicolon != std::string_view::npos) {
      const std::string_view params = entry.substr(semicolon + 1);
      if (const std::size_t q = params.find("q="); q != std::string_view::npos)
        weight = std::strtod(std::string(params.substr(q + 2)).c_str(), nullptr);
    }
    // Two different fallbacks tell a tag the catalogue speaks from one it does not.
    const Locale as_en = locale_of(tag, Locale::en), as_fr = locale_of(tag, Locale::fr);
    if (as_en != as_fr || weight <= 0 || (best && weight <= best_weight)) continue;
    best = as_en;
    best_weight = weight;
  }
  return best.value_or(fallback);
}

std::string message(Locale locale, std::string_view key, std::initializer_list<std::string_view> args) {
  std::string_view text = key;
  for (const CatalogueEntry& e : message_catalogue())
    if (e.key == key) {
      text = locale == Locale::fr ? e.fr : e.en;
      break;
    }
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool slot = text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' &&
                      static_cast<std::size_t>(text[i + 1] - '0') < args.size();
    if (slot) {
      out += *(args.begin() + (text[i + 1] - '0'));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string word_label(Locale locale, std::string_view family, std::string_view word) {
  const std::string key = std::string(family) + std::string(word);
  std::string label = message(locale, key);
  return label == key ? std::string(word) : label;
}

std::string stage_label(Locale locale, std::string_view stage) { return word_label(locale, "stage.", stage); }

}  // namespace relance::domain
