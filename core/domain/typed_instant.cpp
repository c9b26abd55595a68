#include "domain/typed_instant.hpp"

// date::parse and date::format inline code GCC 12 wrongly reports (see time.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <charconv>
#include <vector>

namespace relance::domain {
namespace {

constexpr int default_minutes = 9 * 60;  // a day without a time means 09:00

// Lower-case ASCII, the typographic apostrophe as "'", words split on spaces.
std::vector<std::string> words_of(std::string_view text) {
  std::string s;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "\xE2\x80\x99") {  // ’ (U+2019), as phones type "aujourd’hui"
      s += '\'';
      i += 2;
      continue;
    }
    const char c = text[i];
    s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : (c == '\t' ? ' ' : c);
  }
  std::vector<std::string> words;
  std::size_t at = 0;
  while (at < s.size()) {
    const std::size_t end = std::min(s.find(' ', at), s.size());
    if (end > at) words.push_back(s.substr(at, end - at));
    at = end + 1;
  }
  return words;
}

std::optional<int> number(std::string_view digits) {
  if (digits.empty() || digits.size() > 2) return std::nullopt;
  int n = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return n;
}

// "09:00", "9:00", "9h", "9h30", "14h30", "9am", "2:30pm", "12am" -> minutes after midnight.
std::optional<int> read_clock(std::string_view t) {
  int add = -1;  // 12-hour clock: 0 for am, 12 for pm
  if (t.ends_with("am") || t.ends_with("pm")) {
    add = t.ends_with("pm") ? 12 : 0;
    t.remove_suffix(2);
  }
  const std::size_t sep = t.find_first_of(":h");
  const auto hours = number(t.substr(0, sep));
  std::optional<int> minutes = 0;
  if (sep != std::string_view::npos) {
    const std::string_view rest = t.substr(sep + 1);
    if (t[sep] == ':' && rest.size() != 2) return std::nullopt;
    if (t[sep] == 'h' && add >= 0) return std::nullopt;  // "9h" is a 24-hour clock
    minutes = rest.empty() ? std::optional<int>(0) : (rest.size() == 2 ? number(rest) : std::nullopt);
  } else if (add < 0) {
    return std::nullopt;  // a bare number is not a time
  }
  if (!hours || !minutes || *minutes > 59) return std::nullopt;
  int h = *hours;
  if (add >= 0) {
    if (h < 1 || h > 12) return std::nullopt;
    h = h % 12 + add;
  }
  if (h > 23) return std::nullopt;
  return h * 60 + *minutes;
}

// Weekdays in English and French, full and short, Sunday first (date::weekday's order).
int weekday_of(std::string_view w) {
  if (w.ends_with('.')) w.remove_suffix(1);  // "lun."
  static constexpr std::array<std::array<std::string_view, 4>, 7> names{{
      {"sun", "sunday", "dim", "dimanche"},
      {"mon", "monday", "lun", "lundi"},
      {"tue", "tuesday", "mar", "mardi"},
      {"wed", "wednesday", "mer", "mercredi"},
      {"thu", "thursday", "jeu", "jeudi"},
      {"fri", "friday", "ven", "vendredi"},
      {"sat", "saturday", "sam", "samedi"},
  }};
  for (std::size_t d = 0; d < names.size(); ++d)
    for (std::string_view n : names[d])
      if (w == n) return static_cast<int>(d);
  // "tues", "thur", "thurs": common spellings of the English short names.
  if (w == "tues") return 2;
  if (w == "thur" || w == "thurs") return 4;
  return -1;
}

date::local_days day_of(std::string_view ymd) {
  int y = 0;
  unsigned m = 0, d = 0;
  std::from_chars(ymd.data(), ymd.data() + 4, y);
  std::from_chars(ymd.data() + 5, ymd.data() + 7, m);
  std::from_chars(ymd.data() + 8, ymd.data() + 10, d);
  return date::local_days{date::year{y} / date::month{m} / date::day{d}};
}

std::string text_of(date::local_days day) { return date::format("%F", day); }

}  // namespace

std::string_view typed_instant_forms() {
  return "tomorrow 09:00, demain 9h, today 14:30, mon 14:30, lun 14h30, 2026-12-05 09:00, 2026-12-05 "
         "(09:00), in 2h, in 90s, 3d, 2d ago, now, 2026-12-05T09:00:00+01:00 (RFC 3339)";
}

std::optional<Clock::duration> read_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  long long n = 0;
  const char* end = text.data() + text.size() - 1;
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc() || ptr != end || n <= 0 || n > 100000) return std::nullopt;
  switch (text.back()) {
    case 's': return std::chrono::seconds(n);
    case 'm': return std::chrono::minutes(n);
    case 'h': return std::chrono::hours(n);
    case 'd': return std::chrono::hours(24 * n);
    case 'w': return std::chrono::hours(24 * 7 * n);
    default: return std::nullopt;
  }
}

std::optional<Clock::time_point> read_relative(std::string_view text, Clock::time_point now) {
  const std::vector<std::string> words = words_of(text);
  if (words.empty()) return std::nullopt;
  if (words.size() == 1 && (words[0] == "now" || words[0] == "maintenant")) return now;
  std::size_t first = 0, last = words.size();
  if (words[0] == "in" || words[0] == "dans") ++first;
  const bool ago = last > first && words[last - 1] == "ago";
  if (ago) --last;
  if (ago && first > 0) return std::nullopt;  // "in 2h ago"
  std::string amount;  // "2 h" reads as "2h"
  for (std::size_t i = first; i < last; ++i) amount += words[i];
  const auto d = read_duration(amount);
  if (!d) return std::nullopt;
  return ago ? now - *d : now + *d;
}

std::optional<Clock::time_point> read_typed_instant(std::string_view text, Clock::time_point now,
                                                    const std::function<std::string()>& zone) {
  if (auto t = read_relative(text, now)) return t;
  if (auto t = parse_instant(text)) return t;

  std::vector<std::string> words = words_of(text);
  if (words.empty()) return std::nullopt;
  // "2026-12-05T09:00" (no offset): a local date-time, read as "2026-12-05 09:00".
  if (words.size() == 1 && words[0].size() > 11 && words[0][10] == 't') {
    std::string rest = words[0].substr(11);
    words = {words[0].substr(0, 10), rest.size() == 8 && rest.ends_with(":00") ? rest.substr(0, 5) : rest};
  }
  // The time: the words after the day, spaces and "at"/"à" aside ("demain à 9 h").
  std::string clock;
  for (std::size_t i = 1; i < words.size(); ++i)
    if (!(i == 1 && (words[i] == "at" || words[i] == "\xC3\xA0" || words[i] == "a"))) clock += words[i];
  int minutes = default_minutes;
  if (!clock.empty()) {
    const auto m = read_clock(clock);
    if (!m) return std::nullopt;
    minutes = *m;
  }

  const std::string& day = words[0];
  std::string date;
  std::string zone_name;
  auto today = [&] {
    zone_name = zone();
    return local_day(now, zone_name);
  };
  if (valid_date(day)) {
    date = day;
    zone_name = zone();
  } else if (day == "today" || day == "aujourd'hui" || day == "auj") {
    date = today().date;
  } else if (day == "tomorrow" || day == "demain") {
    date = text_of(day_of(today().date) + date::days{1});
  } else if (day == "yesterday" || day == "hier") {  // for list ranges: --occurred-from hier
    date = text_of(day_of(today().date) - date::days{1});
  } else if (const int wanted = weekday_of(day); wanted >= 0) {
    const LocalDay local = today();
    const date::local_days d = day_of(local.date);
    int ahead = (wanted - static_cast<int>(date::weekday{d}.c_encoding()) + 7) % 7;
    if (ahead == 0 && minutes <= local.minutes) ahead = 7;  // that time is past today: next week
    date = text_of(d + date::days{ahead});
  } else {
    return std::nullopt;
  }
  return local_instant(date, minutes, zone_name);
}

std::string local_time_text(Clock::time_point t, std::string_view zone) {
  const date::time_zone* z = nullptr;
  if (valid_time_zone(zone)) z = date::locate_zone(zone);
  if (!z) z = date::locate_zone("UTC");
  const date::zoned_time<std::chrono::seconds> zoned{z, std::chrono::time_point_cast<std::chrono::seconds>(t)};
  return date::format("%F %R %Z", zoned);
}

}  // namespace relance::domain
