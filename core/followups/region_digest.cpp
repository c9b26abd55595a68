#include "followups/region_digest.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

#include "domain/record_json.hpp"

namespace relance::followups {
namespace json = boost::json;
namespace ent = storage::entities;
using storage::Row;
using storage::Scope;

namespace {

constexpr std::size_t page_limit = 1000;

std::string before(domain::Clock::time_point now, int days) {
  return domain::format_instant(now - std::chrono::hours(24 * days));
}

std::int64_t days_since(domain::Clock::time_point now, const std::string& instant) {
  const auto t = domain::parse_instant(instant);
  return t ? std::chrono::duration_cast<std::chrono::hours>(now - *t).count() / 24 : 0;
}

json::value text_or_null(const std::string* s) { return s ? json::value(*s) : json::value(nullptr); }

struct Startup {
  std::int64_t id;
  std::string name;
};

// Every organisation but the region's.
std::vector<Startup> startups(storage::Store& store) {
  storage::ListQuery q;
  q.scope = Scope::everything();
  q.limit = page_limit;
  std::vector<Startup> out;
  for (const Row& o : store.list(ent::organisations, q)) {
    const std::string* kind = o.text(ent::organisations, "kind");
    if (kind && *kind == "region") continue;
    const std::string* name = o.text(ent::organisations, "name");
    out.push_back(Startup{o.id, name ? *name : std::string()});
  }
  return out;
}

}  // namespace

int weekday_of(const std::string& date) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (date.size() != 10 || std::from_chars(date.data(), date.data() + 4, y).ec != std::errc() ||
      std::from_chars(date.data() + 5, date.data() + 7, m).ec != std::errc() ||
      std::from_chars(date.data() + 8, date.data() + 10, d).ec != std::errc())
    return -1;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return -1;
  return static_cast<int>(std::chrono::weekday{std::chrono::sys_days{ymd}}.c_encoding());
}

RegionFigures region_figures(storage::Store& store, domain::Clock::time_point now, int stale_days, int quiet_days) {
  const std::vector<Startup> orgs = startups(store);
  auto name_of = [&](std::int64_t org_id) -> json::value {
    for (const Startup& s : orgs)
      if (s.id == org_id) return json::value(s.name);
    return nullptr;
  };

  json::array outcomes;
  storage::ListQuery q;
  q.scope = Scope::everything();
  q.filters.push_back({"created_at", storage::Filter::Op::ge, before(now, 7)});
  q.limit = page_limit;
  for (const Row& r : store.list(ent::outcomes, q)) {
    const json::object row = domain::encode_row(ent::outcomes, r, true);  // never the notes
    json::object item{{"id", r.id}, {"org_id", r.org_id}, {"org_name", name_of(r.org_id)}};
    for (const char* f : {"kind", "amount", "currency", "amount_eur", "jobs", "occurred_on", "lead_id"})
      item[f] = row.contains(f) ? row.at(f) : json::value(nullptr);
    outcomes.push_back(std::move(item));
  }

  json::array stale, quiet;
  const std::string stale_before = before(now, stale_days), quiet_before = before(now, quiet_days);
  for (const Startup& s : orgs) {
    const auto leads = store.stale_leads(s.id, std::nullopt, std::nullopt, stale_before, page_limit);
    if (!leads.empty()) {
      std::int64_t oldest = 0;
      for (const auto& l : leads)
        oldest = std::max(oldest, days_since(now, l.last_activity_at.empty() ? l.lead.created_at : l.last_activity_at));
      stale.push_back(json::object{{"org_id", s.id}, {"org_name", s.name},
                                   {"leads", static_cast<std::int64_t>(leads.size())}, {"oldest_days", oldest}});
    }
    storage::ListQuery last;
    last.scope = Scope::org(s.id);
    last.sort = "occurred_at";
    last.descending = true;
    last.limit = 1;
    const std::vector<Row> latest = store.list(ent::activities, last);
    const std::string* at = latest.empty() ? nullptr : latest.front().text(ent::activities, "occurred_at");
    if (at && *at >= quiet_before) continue;
    json::object item{{"org_id", s.id}, {"org_name", s.name}, {"last_activity_at", text_or_null(at)}};
    item["days"] = at ? json::value(days_since(now, *at)) : json::value(nullptr);
    quiet.push_back(std::move(item));
  }
  return RegionFigures{json::serialize(outcomes), json::serialize(stale), json::serialize(quiet)};
}

}  // namespace relance::followups
