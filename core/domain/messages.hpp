// Messages for people, in their language: one catalogue of sentences in English and French
// (message_catalogue.cpp, data only), looked up by key, with {0}, {1}... filled in. The pages
// behind reminder links, the stage names of reminders and digests and the command line's
// sentences all come from it, so that a sentence is translated once, in one place.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace relance::domain {

enum class Locale { en, fr };

// "fr", "fr-FR", "fr_FR.UTF-8" -> fr; anything else (empty included) -> `fallback`.
Locale locale_of(std::string_view tag, Locale fallback = Locale::en);
std::string_view locale_tag(Locale l);  // "en", "fr"

// The language an Accept-Language header asks for ("de-DE,fr;q=0.9,en;q=0.8" -> fr): of the
// languages the catalogue speaks, the one listed with the highest weight (the first among
// equals); `fallback` when it names none of them.
Locale accepted_locale(std::string_view accept_language, Locale fallback);

// One entry of the catalogue: a key and its sentence in each language.
struct CatalogueEntry {
  std::string_view key, en, fr;
};
std::span<const CatalogueEntry> message_catalogue();

// The sentence of `key` in `locale` with {0}, {1}... replaced by `args`; the key itself when
// the catalogue lacks it (a unit test checks that every key used is there).
std::string message(Locale locale, std::string_view key, std::initializer_list<std::string_view> args = {});

// A word of a known set in `locale`: the catalogue's `family` + `word` ("stage." + "won") when
// it has one, else `word` as it is (an organisation's own stage, a state a newer daemon added).
std::string word_label(Locale locale, std::string_view family, std::string_view word);

// A pipeline stage's name in `locale`: the default stages (new, contacted, meeting, proposal,
// won, lost) translated, an organisation's own stages as they are written.
std::string stage_label(Locale locale, std::string_view stage);

}  // namespace relance::domain
