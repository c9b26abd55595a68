// Typed instants as a founder types them, read with a clock the test sets: every form, in
// English and French, in the user's zone (never the machine's), across clock changes; and
// the message catalogue they are refused with.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "domain/messages.hpp"
#include "domain/time.hpp"
#include "domain/typed_instant.hpp"

using namespace relance;
using domain::Clock;
using namespace std::chrono_literals;

namespace {

const std::string paris = "Europe/Paris";
const std::string los_angeles = "America/Los_Angeles";

Clock::time_point utc(const char* rfc3339) { return *domain::parse_instant(rfc3339); }

// The instant `text` stands for at `now` in `zone`, as RFC 3339 UTC; "" when unreadable.
std::string read(std::string_view text, Clock::time_point now, const std::string& zone) {
  const auto t = domain::read_typed_instant(text, now, [&zone] { return zone; });
  return t ? domain::format_instant(*t) : std::string();
}

// 09:00 the day after `now` in `zone`, computed from the zone's rules, not written down.
std::string nine_tomorrow(Clock::time_point now, const std::string& zone) {
  const domain::LocalDay today = domain::local_day(now, zone);
  const domain::LocalDay tomorrow = domain::local_day(today.ends + 1h, zone);
  return domain::format_instant(*domain::local_instant(tomorrow.date, 9 * 60, zone));
}

}  // namespace

TEST_CASE("typed instants: tomorrow and demain with a time are read in the user's zone") {
  // Friday 27 March 2026, 10:00 in Paris (CET, UTC+1).
  const auto now = utc("2026-03-27T09:00:00Z");
  for (const char* text : {"tomorrow 09:00", "demain 9h", "Demain à 9 h", "tomorrow at 9am", "DEMAIN 09:00",
                           "tomorrow 9:00", "demain 9h00"}) {
    INFO(text);
    CHECK(read(text, now, paris) == "2026-03-28T08:00:00.000Z");
  }
  CHECK(read("tomorrow", now, paris) == "2026-03-28T08:00:00.000Z");  // a day alone: 09:00
  CHECK(read("today 14:30", now, paris) == "2026-03-27T13:30:00.000Z");
  CHECK(read("aujourd'hui 14h30", now, paris) == "2026-03-27T13:30:00.000Z");
  CHECK(read("aujourd\xE2\x80\x99hui 14h30", now, paris) == "2026-03-27T13:30:00.000Z");  // typographic apostrophe
  CHECK(read("today 2:30pm", now, paris) == "2026-03-27T13:30:00.000Z");
  CHECK(read("today 12am", now, paris) == "2026-03-26T23:00:00.000Z");
  CHECK(read("yesterday 14:30", now, paris) == "2026-03-26T13:30:00.000Z");  // for list ranges
  CHECK(read("hier 8h", now, paris) == "2026-03-26T07:00:00.000Z");
}

TEST_CASE("typed instants: tomorrow 09:00 in Los Angeles is 17:00 UTC in winter and 16:00 UTC in summer") {
  const auto winter = utc("2026-12-04T20:00:00Z");  // noon PST
  const auto summer = utc("2026-07-01T20:00:00Z");  // 13:00 PDT
  CHECK(read("tomorrow 09:00", winter, los_angeles) == nine_tomorrow(winter, los_angeles));
  CHECK(read("tomorrow 09:00", winter, los_angeles) == "2026-12-05T17:00:00.000Z");
  CHECK(read("tomorrow 09:00", summer, los_angeles) == nine_tomorrow(summer, los_angeles));
  CHECK(read("tomorrow 09:00", summer, los_angeles) == "2026-07-02T16:00:00.000Z");
  // The same words in Tokyo (already 5 December there) are another instant: the zone is the
  // caller's choice, not the machine's.
  CHECK(read("tomorrow 09:00", winter, "Asia/Tokyo") == "2026-12-06T00:00:00.000Z");
}

TEST_CASE("typed instants: a weekday is the next such day, French and English names alike") {
  const auto friday_ten = utc("2026-03-27T09:00:00Z");  // Friday, 10:00 Paris
  // Monday 30 March is after the clocks went forward: CEST, UTC+2.
  for (const char* text : {"mon 14:30", "lun 14h30", "lundi 14h30", "Monday 2:30pm", "lun. 14h30", "MON 14:30"}) {
    INFO(text);
    CHECK(read(text, friday_ten, paris) == "2026-03-30T12:30:00.000Z");
  }
  CHECK(read("mon", friday_ten, paris) == "2026-03-30T07:00:00.000Z");
  CHECK(read("fri 11:00", friday_ten, paris) == "2026-03-27T10:00:00.000Z");  // today, still to come
  CHECK(read("ven 9h", friday_ten, paris) == "2026-04-03T07:00:00.000Z");     // today's is past: next week
  CHECK(read("sat 10:00", friday_ten, paris) == "2026-03-28T09:00:00.000Z");
  CHECK(read("dim 10h", friday_ten, paris) == "2026-03-29T08:00:00.000Z");
  for (const char* day : {"tue", "mar", "mardi", "wed", "mer", "mercredi", "thu", "jeu", "jeudi", "samedi", "sunday"}) {
    INFO(day);
    CHECK_FALSE(read(day, friday_ten, paris).empty());
  }
}

TEST_CASE("typed instants: dates with and without a time, and local date-times without an offset") {
  const auto now = utc("2026-11-20T12:00:00Z");
  CHECK(read("2026-12-05 09:00", now, paris) == "2026-12-05T08:00:00.000Z");
  CHECK(read("2026-12-05 9h", now, paris) == "2026-12-05T08:00:00.000Z");
  CHECK(read("2026-12-05", now, paris) == "2026-12-05T08:00:00.000Z");
  CHECK(read("2026-12-05T09:00", now, paris) == "2026-12-05T08:00:00.000Z");
  CHECK(read("2026-12-05T09:00:00", now, paris) == "2026-12-05T08:00:00.000Z");
  CHECK(read("2026-12-05 09:00", now, los_angeles) == "2026-12-05T17:00:00.000Z");
}

TEST_CASE("typed instants: relative forms and RFC 3339 need no zone") {
  const auto now = utc("2026-03-27T09:00:00Z");
  int asked = 0;
  auto read_counting = [&](std::string_view text) {
    const auto t = domain::read_typed_instant(text, now, [&asked] {
      ++asked;
      return std::string("Europe/Paris");
    });
    return t ? domain::format_instant(*t) : std::string();
  };
  CHECK(read_counting("in 2h") == domain::format_instant(now + 2h));
  CHECK(read_counting("in 90s") == domain::format_instant(now + 90s));
  CHECK(read_counting("dans 2h") == domain::format_instant(now + 2h));
  CHECK(read_counting("in 2 h") == domain::format_instant(now + 2h));
  CHECK(read_counting("3d") == domain::format_instant(now + 72h));
  CHECK(read_counting("90m") == domain::format_instant(now + 90min));
  CHECK(read_counting("2w") == domain::format_instant(now + 14 * 24h));
  CHECK(read_counting("2d ago") == domain::format_instant(now - 48h));
  CHECK(read_counting("now") == domain::format_instant(now));
  CHECK(read_counting("2026-12-05T09:00:00-08:00") == "2026-12-05T17:00:00.000Z");
  CHECK(read_counting("2026-12-05T17:00:00Z") == "2026-12-05T17:00:00.000Z");
  CHECK(asked == 0);
  CHECK(read_counting("tomorrow 09:00") == "2026-03-28T08:00:00.000Z");
  CHECK(asked == 1);
}

TEST_CASE("typed instants: clock changes take the moment clocks jump, or the earlier of a repeated hour") {
  // Paris goes from 02:00 CET to 03:00 CEST on Sunday 29 March 2026: 02:30 never happens.
  const auto friday = utc("2026-03-27T09:00:00Z");
  CHECK(read("sun 02:30", friday, paris) == "2026-03-29T01:00:00.000Z");
  CHECK(read("2026-03-29 02:30", friday, paris) == "2026-03-29T01:00:00.000Z");
  // The day of the change has 23 hours: tomorrow 09:00 is not 24 hours after today's.
  const auto saturday_ten = utc("2026-03-28T09:00:00Z");
  CHECK(read("tomorrow 09:00", saturday_ten, paris) == "2026-03-29T07:00:00.000Z");
  CHECK(read("tomorrow 09:00", saturday_ten, paris) == nine_tomorrow(saturday_ten, paris));
  // On Sunday 25 October 2026 02:30 happens twice (CEST, then CET): the earlier, in CEST.
  CHECK(read("2026-10-25 02:30", friday, paris) == "2026-10-25T00:30:00.000Z");
  // Los Angeles: 02:30 on Sunday 8 March 2026 is skipped, 01:30 on 1 November repeated.
  CHECK(read("2026-03-08 02:30", friday, los_angeles) == "2026-03-08T10:00:00.000Z");
  CHECK(read("2026-11-01 01:30", friday, los_angeles) == "2026-11-01T08:30:00.000Z");
}

TEST_CASE("typed instants: what is not a time is refused, and the refusal lists the accepted forms") {
  const auto now = utc("2026-03-27T09:00:00Z");
  for (const char* text : {"", "   ", "soon", "next tuesday", "tomorrow 25:00", "demain 9", "tomorrow 9:5",
                           "2026-02-30", "2026-02-30 09:00", "in", "3x", "mon 13pm", "demain 9h61", "in 2h ago",
                           "0d", "tomorrow 09:00 please", "avant-hier"}) {
    INFO("[" << text << "]");
    CHECK(read(text, now, paris).empty());
  }
  const std::string forms(domain::typed_instant_forms());
  for (const char* form : {"tomorrow 09:00", "demain 9h", "mon 14:30", "lun 14h30", "2026-12-05 09:00", "2026-12-05",
                           "in 2h", "in 90s", "3d", "RFC 3339"})
    CHECK(forms.find(form) != std::string::npos);
  const std::string fr = domain::message(domain::Locale::fr, "cli.bad_instant", {"--due", "bientôt", forms});
  CHECK(fr.find("bientôt") != std::string::npos);
  CHECK(fr.find("Formes acceptées") != std::string::npos);
  CHECK(fr.find("demain 9h") != std::string::npos);
  const std::string en = domain::message(domain::Locale::en, "cli.bad_instant", {"--due", "soon", forms});
  CHECK(en.find("--due: cannot read \"soon\"") != std::string::npos);
  CHECK(en.find("Accepted forms: ") != std::string::npos);
}

TEST_CASE("local times are shown with the zone's abbreviation") {
  CHECK(domain::local_time_text(utc("2026-12-05T17:00:00Z"), los_angeles) == "2026-12-05 09:00 PST");
  CHECK(domain::local_time_text(utc("2026-07-02T16:00:00Z"), los_angeles) == "2026-07-02 09:00 PDT");
  CHECK(domain::local_time_text(utc("2026-12-05T08:00:00Z"), paris) == "2026-12-05 09:00 CET");
  CHECK(domain::local_time_text(utc("2026-12-05T12:00:00Z"), "America/Sao_Paulo") == "2026-12-05 09:00 -03");
  CHECK(domain::local_time_text(utc("2026-12-05T09:00:00Z"), "Not/AZone") == "2026-12-05 09:00 UTC");
}

TEST_CASE("the message catalogue has every sentence in English and French with the same blanks") {
  std::set<std::string_view> keys;
  for (const domain::CatalogueEntry& e : domain::message_catalogue()) {
    INFO(e.key);
    CHECK(keys.insert(e.key).second);
    CHECK_FALSE(e.en.empty());
    CHECK_FALSE(e.fr.empty());
    for (const char* blank : {"{0}", "{1}", "{2}"})
      CHECK((e.en.find(blank) == std::string_view::npos) == (e.fr.find(blank) == std::string_view::npos));
  }
  CHECK(domain::message(domain::Locale::fr, "link.is_done", {"Appeler Léa 📞"}) ==
        "«\u00a0Appeler Léa 📞\u00a0» est faite.");
  CHECK(domain::message(domain::Locale::en, "link.is_done", {"Call Léa 📞"}) == "\"Call Léa 📞\" is done.");
  CHECK(domain::message(domain::Locale::en, "no.such.key") == "no.such.key");
}

TEST_CASE("stage names are translated for the default stages and kept for an organisation's own") {
  CHECK(domain::stage_label(domain::Locale::fr, "meeting") == "Rendez-vous");
  CHECK(domain::stage_label(domain::Locale::fr, "won") == "Gagné");
  CHECK(domain::stage_label(domain::Locale::en, "meeting") == "Meeting");
  CHECK(domain::stage_label(domain::Locale::fr, "pilote signé") == "pilote signé");
}

TEST_CASE("locales are read from tags and environment values") {
  CHECK(domain::locale_of("fr") == domain::Locale::fr);
  CHECK(domain::locale_of("fr-FR") == domain::Locale::fr);
  CHECK(domain::locale_of("fr_FR.UTF-8") == domain::Locale::fr);
  CHECK(domain::locale_of("en_US.UTF-8", domain::Locale::fr) == domain::Locale::en);
  CHECK(domain::locale_of("C") == domain::Locale::en);
  CHECK(domain::locale_of("", domain::Locale::fr) == domain::Locale::fr);
  CHECK(domain::locale_of("french") == domain::Locale::en);
}

TEST_CASE("a browser's Accept-Language picks the language it weighs most among those the catalogue speaks") {
  using domain::Locale;
  CHECK(domain::accepted_locale("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", Locale::en) == Locale::fr);
  CHECK(domain::accepted_locale("en-GB,en;q=0.9,fr;q=0.8", Locale::fr) == Locale::en);
  CHECK(domain::accepted_locale("de-DE,de;q=0.9,fr;q=0.8,en;q=0.5", Locale::en) == Locale::fr);
  CHECK(domain::accepted_locale("en;q=0.2, fr ; q=0.6", Locale::en) == Locale::fr);
  CHECK(domain::accepted_locale("fr;q=0,en;q=0.1", Locale::fr) == Locale::en);  // q=0: not wanted
  CHECK(domain::accepted_locale("de, es", Locale::fr) == Locale::fr);
  CHECK(domain::accepted_locale("", Locale::en) == Locale::en);
  CHECK(domain::accepted_locale("*", Locale::fr) == Locale::fr);
}
