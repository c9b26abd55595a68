#include "cli/when.hpp"

#include <charconv>
#include <ctime>

#include "domain/time.hpp"

namespace relance::cli {
namespace {

constexpr std::string_view ago_suffix = " ago";
constexpr std::string_view in_prefix = "in ";

std::optional<Clock::time_point> relative(std::string_view text, Clock::time_point now) {
  if (text == "now") return now;
  if (text.starts_with(in_prefix)) text.remove_prefix(in_prefix.size());
  const bool ago = text.ends_with(ago_suffix);
  if (ago) text.remove_suffix(ago_suffix.size());
  const auto d = parse_duration(text);
  if (!d) return std::nullopt;
  return ago ? now - *d : now + *d;
}

// 09:00 local time on a "YYYY-MM-DD" day.
std::optional<Clock::time_point> morning_of(std::string_view text) {
  if (!domain::valid_date(text)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(std::string(text.substr(0, 4))) - 1900;
  tm.tm_mon = std::stoi(std::string(text.substr(5, 2))) - 1;
  tm.tm_mday = std::stoi(std::string(text.substr(8, 2)));
  tm.tm_hour = 9;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  if (t == -1) return std::nullopt;
  return Clock::from_time_t(t);
}

}  // namespace

std::optional<Clock::duration> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  long long n = 0;
  const char* end = text.data() + text.size() - 1;
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc() || ptr != end || n <= 0 || n > 100000) return std::nullopt;
  switch (text.back()) {
    case 'm': return std::chrono::minutes(n);
    case 'h': return std::chrono::hours(n);
    case 'd': return std::chrono::hours(24 * n);
    case 'w': return std::chrono::hours(24 * 7 * n);
    default: return std::nullopt;
  }
}

std::optional<Clock::time_point> parse_when(std::string_view text, Clock::time_point now) {
  if (auto t = relative(text, now)) return t;
  if (auto t = morning_of(text)) return t;
  return domain::parse_instant(text);
}

std::string instant_text(std::string_view text) {
  const auto t = parse_when(text, Clock::now());
  return t ? domain::format_instant(*t) : std::string(text);
}

std::string relative_instant_text(std::string_view text) {
  const auto t = relative(text, Clock::now());
  return t ? domain::format_instant(*t) : std::string(text);
}

std::string local_time(std::string_view text) {
  const auto t = domain::parse_instant(text);
  if (!t) return std::string(text);
  const std::time_t tt = Clock::to_time_t(*t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return std::string(buf, n);
}

}  // namespace relance::cli
