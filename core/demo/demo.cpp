#include "demo/demo.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <future>
#include <set>
#include <stdexcept>

#include "auth/secrets.hpp"
#include "demo/bulk_writer.hpp"
#include "demo/calendar.hpp"
#include "demo/fiction.hpp"
#include "demo/pipeline.hpp"
#include "demo/random.hpp"
#include "events/clock.hpp"
#include "services/record_service.hpp"

namespace relance::demo {
namespace json = boost::json;
namespace ent = storage::entities;
namespace chr = std::chrono;
using auth::Principal;
using auth::Role;

namespace {

constexpr const char* admin_email = "admin@relance-demo.example";
constexpr const char* region_domain = "aura-region-demo.example";
constexpr const char* region_name = "Région Auvergne-Rhône-Alpes";
// The founders whose logins are printed: the biggest start-up's, and a smaller one's.
constexpr std::array<std::size_t, 2> printed_founders{0, 11};

std::uint64_t text_hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

std::string password_for(const Options& o, std::string_view email) {
  if (!o.seeded) return auth::new_token().substr(3, 18);
  static constexpr std::string_view alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  Random r(o.seed ^ text_hash(email));
  std::string pw;
  for (int i = 0; i < 18; ++i) pw += alphabet[static_cast<std::size_t>(r.next() % alphabet.size())];
  return pw;
}

// Runs an account write of the services and waits for its outcome.
services::WriteOutcome wait(const std::function<void(services::OutcomeCallback)>& call) {
  std::promise<services::WriteOutcome> promise;
  auto future = promise.get_future();
  call([&promise](std::exception_ptr error, services::WriteOutcome outcome) {
    if (error) return promise.set_exception(error);
    promise.set_value(std::move(outcome));
  });
  services::WriteOutcome o = future.get();
  if (o.kind != services::WriteOutcome::Kind::created && o.kind != services::WriteOutcome::Kind::updated)
    throw std::runtime_error("demo: a write was refused: " + o.detail + (o.field.empty() ? "" : " (" + o.field + ")"));
  return o;
}

// `total` split over `weights` in whole parts that add up to it exactly (largest remainders).
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<std::int64_t> parts(weights.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    parts[i] = static_cast<std::int64_t>(std::floor(exact));
    given += parts[i];
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total; ++k, ++given) ++parts[remainders[k % remainders.size()].second];
  return parts;
}

class Demo {
 public:
  Demo(storage::Store& store, services::OrgDirectory& orgs, services::AccountService& accounts, const Login& admin,
       const Options& options)
      : store_(store), orgs_(orgs), accounts_(accounts), options_(options), random_(options.seed),
        calendar_(chr::system_clock::now()), clock_(calendar_.accounts_opened), use_clock_(clock_) {
    summary_.logins.push_back(admin);
    const auto row = store_.find_unique(ent::users, "email", storage::Value{std::string(admin.email)});
    if (!row) throw std::runtime_error("demo: the instance admin " + admin.email + " is missing");
    admin_ = Principal{row->id, row->org_id, 0, Role::admin, true};
  }

  Summary run() {
    region();
    startups();
    const Counts c = write_pipelines(store_, clock_, calendar_, events_, startups_, random_, options_.progress);
    run_scheduler();
    summary_.companies = c.companies;
    summary_.contacts = c.contacts;
    summary_.leads = c.leads;
    summary_.stage_changes = c.stage_changes;
    summary_.activities = c.activities;
    summary_.followups = c.followups;
    summary_.outcomes = c.outcomes;
    return summary_;
  }

 private:
  void say(const std::string& line) const {
    if (options_.progress) options_.progress(line);
  }

  void run_scheduler() {
    if (!options_.scheduler_tick) return;
    const auto started = chr::steady_clock::now();
    // A pass reads every follow-up already due (done ones too): some thirty passes, a day
    // apart or more, keep it to seconds at any scale; each announces what fell due since the
    // one before, stamped the day of the pass.
    const Instant first = Instant(calendar_.mission_first) + chr::hours(7);
    const auto step = std::max<Instant::duration>(chr::days{1}, (calendar_.now - first) / 30);
    for (Instant day = first; day < calendar_.now; day += step) {
      clock_.set(day);
      options_.scheduler_tick(day);
    }
    clock_.set(calendar_.now);
    options_.scheduler_tick(calendar_.now);
    char took[32];
    std::snprintf(took, sizeof took, "%.1f", chr::duration<double>(chr::steady_clock::now() - started).count());
    say(std::string("follow-ups that fell due announced as the scheduler would have, in ") + took + " s");
  }

  std::string unique_email(const std::string& local, std::string_view domain) {
    std::string email = local + "@" + std::string(domain);
    for (int n = 2; !emails_.insert(email).second; ++n) email = local + std::to_string(n) + "@" + std::string(domain);
    return email;
  }

  // A user of organisation `org_id`, created by the instance admin as `relance user add` does;
  // with a password when `who` says whose login is printed.
  Principal user(std::int64_t org_id, Role role, const Person& person, std::string_view domain,
                 const std::string& who = {}) {
    const std::string email = unique_email(email_local_part(person), domain);
    json::object body{{"org_id", org_id},
                      {"email", email},
                      {"display_name", person.first_name + " " + person.last_name},
                      {"role", std::string(auth::role_name(role))},
                      {"locale", "fr"},
                      {"time_zone", "Europe/Paris"}};
    if (!who.empty()) {
      const std::string password = password_for(options_, email);
      body["password"] = password;
      summary_.logins.push_back(Login{who, email, password});
    }
    const auto o = wait([&](services::OutcomeCallback done) { accounts_.create_user(admin_, body, {}, std::move(done)); });
    ++summary_.users;
    return Principal{o.id, org_id, 0, role, true};
  }

  void region() {
    wait([&](services::OutcomeCallback done) {
      accounts_.update_organisation(admin_, admin_.org_id, json::object{{"name", region_name}}, std::nullopt,
                                    std::move(done));
    });
    orgs_.forget(admin_.org_id);
    static constexpr std::array<std::array<const char*, 2>, 3> staff{
        {{"Camille", "Roux-Delorme"}, {"Mathis", "Garnier"}, {"Inès", "Boualem"}}};
    for (std::size_t i = 0; i < staff.size(); ++i) {
      clock_.set(calendar_.accounts_opened + chr::hours(1 + static_cast<int>(i)));
      const Principal p = user(admin_.org_id, Role::staff, Person{staff[i][0], staff[i][1]}, region_domain,
                               i == 0 ? "region staff" : "");
      if (i == 0) staff_ = p;
    }
    const auto region_org = orgs_.get(admin_.org_id);
    BulkWriter w(store_, clock_, 100);
    auto add = [&](const storage::Entity& e, Instant at, json::object fields, std::int64_t* id = nullptr) {
      storage::Row row = services::new_record(staff_, *region_org, e, fields);
      w.add(std::min(at, calendar_.now - chr::hours(1)),
            [p = staff_, &e, row = std::move(row), id](storage::WriteTxn& tx, const BulkWriter::At&) mutable {
              services::insert_record(tx, p, e, row);
              if (id) *id = row.id;
            });
    };
    // The exchange rates the outcomes' euros are computed with, as the region keeps them.
    const int y = calendar_.year;
    struct Rate {
      const char* currency;
      int year;
      unsigned month;
      const char* rate;
    };
    const std::array<Rate, 10> rates{{{"USD", y - 1, 1, "0.9120"}, {"USD", y - 1, 7, "0.9210"}, {"USD", y, 1, "0.9050"},
                                      {"USD", y, 4, "0.9175"}, {"USD", y, 6, "0.9268"}, {"GBP", y - 1, 1, "1.1650"},
                                      {"GBP", y, 1, "1.1790"}, {"CHF", y - 1, 1, "1.0410"}, {"CHF", y, 1, "1.0580"},
                                      {"CAD", y, 1, "0.6810"}}};
    for (const Rate& r : rates) {
      const Days from{chr::year{r.year} / chr::month{r.month} / chr::day{2}};
      add(ent::exchange_rates, Instant(from) + chr::hours(9),
          json::object{{"currency", r.currency}, {"rate", r.rate}, {"valid_from", date_text(from)},
                       {"source", "Taux de référence publié le " + date_text(from)}});
    }
    summary_.exchange_rates = static_cast<std::int64_t>(rates.size());
    auto event = [&](std::int64_t* id, std::string name, const char* kind, const char* city, const char* country,
                     Days first, Days last) {
      add(ent::events, calendar_.accounts_opened + chr::days{7},
          json::object{{"name", std::move(name)}, {"kind", kind}, {"city", city}, {"country", country},
                       {"starts_on", date_text(first)}, {"ends_on", date_text(last)}},
          id);
      ++summary_.events;
    };
    event(&events_.mission, "Mission Silicon Valley " + std::to_string(y), "trade-mission", "San Francisco", "US",
          calendar_.mission_first, calendar_.mission_last);
    event(&events_.fair, "Salon Alpes Innovation " + std::to_string(y), "fair", "Lyon", "FR", calendar_.fair_first,
          calendar_.fair_last);
    event(&events_.conference, "Digital Health Summit " + std::to_string(y - 1), "conference", "Boston", "US",
          calendar_.conference_first, calendar_.conference_last);
    event(&events_.meetup, "Retour de mission : afterwork des start-ups", "meetup", "Lyon", "FR", calendar_.meetup,
          calendar_.meetup);
    w.finish();
    say("region: " + std::string(region_name) + ", 3 staff, " + std::to_string(summary_.events) + " events, " +
        std::to_string(summary_.exchange_rates) + " exchange rates");
  }

  void startups() {
    const auto profiles = demo::startups();
    // Zipf-like: a few big start-ups, a long tail of small ones.
    std::vector<double> weights;
    for (std::size_t i = 0; i < profiles.size(); ++i) weights.push_back(1.0 / std::pow(static_cast<double>(i + 1), 0.9));
    const std::int64_t n = std::max<std::int64_t>(options_.contacts, 0);
    const auto contacts = apportion(n, weights), leads = apportion(n / 5, weights), outcomes = apportion(n / 50, weights);
    Random r = random_.fork(7);
    for (std::size_t i = 0; i < profiles.size(); ++i) {
      const StartupProfile& profile = profiles[i];
      clock_.set(calendar_.accounts_opened + chr::days{1} + chr::hours(static_cast<int>(i)));
      const auto o = wait([&](services::OutcomeCallback done) {
        accounts_.create_organisation(admin_, json::object{{"name", profile.name}, {"default_region", "FR"}}, {},
                                      std::move(done));
      });
      Startup s;
      s.profile = &profile;
      s.org = orgs_.get(o.id);
      s.contacts = contacts[i];
      s.leads = std::min(leads[i], contacts[i]);
      s.outcomes = std::min(outcomes[i], s.leads);
      const std::string domain = domain_of(profile.name);
      const bool printed = std::find(printed_founders.begin(), printed_founders.end(), i) != printed_founders.end();
      s.members.push_back(Member{user(o.id, Role::org_admin, colleague(r), domain,
                                      printed ? "founder of " + std::string(profile.name) : ""),
                                 {}});
      const std::int64_t colleagues = r.between(0, 3);
      for (std::int64_t k = 0; k < colleagues; ++k) s.members.push_back(Member{user(o.id, Role::member, colleague(r), domain), {}});
      startups_.push_back(std::move(s));
    }
    summary_.startups = static_cast<std::int64_t>(startups_.size());
    private_events(r);
    say("start-ups: " + std::to_string(summary_.startups) + ", with " + std::to_string(summary_.users) +
        " users in all (the region's included)");
  }

  // A few start-ups keep events of their own, which the region sees and others do not.
  void private_events(Random& r) {
    static constexpr std::array<const char*, 5> names{"Démo client à Boston", "Séminaire d'équipe à Annecy",
                                                      "Webinaire investisseurs", "Portes ouvertes du labo",
                                                      "Tournée clients à New York"};
    BulkWriter w(store_, clock_, 100);
    for (std::size_t i = 2, k = 0; i < startups_.size(); i += 6, ++k) {
      Startup& s = startups_[i];
      const Principal& founder = s.members.front().principal;
      Days day = calendar_.mission_last + chr::days{10 + r.between(0, 20)};
      if (Instant(day) >= calendar_.now - chr::days{1}) day = calendar_.mission_first - chr::days{30};
      s.private_event_day = day;
      storage::Row row = services::new_record(
          founder, *s.org, ent::events,
          json::object{{"name", names[k % names.size()]}, {"kind", "other"}, {"starts_on", date_text(day)},
                       {"ends_on", date_text(day)}});
      w.add(Instant(day) - chr::days{14},
            [founder, row = std::move(row), id = &s.private_event](storage::WriteTxn& tx, const BulkWriter::At&) mutable {
              services::insert_record(tx, founder, ent::events, row);
              *id = row.id;
            });
      ++summary_.events;
    }
    w.finish();
  }

  storage::Store& store_;
  services::OrgDirectory& orgs_;
  services::AccountService& accounts_;
  const Options& options_;
  Random random_;
  Calendar calendar_;
  events::FixedClock clock_;
  events::ClockOverride use_clock_;
  Principal admin_, staff_;
  RegionEvents events_;
  std::vector<Startup> startups_;
  std::set<std::string> emails_;
  Summary summary_;
};

}  // namespace

Login admin_login(const Options& options) {
  return Login{"instance admin", admin_email, password_for(options, admin_email)};
}

Summary fill(storage::Store& store, services::OrgDirectory& orgs, services::AccountService& accounts,
             const Login& admin, const Options& options) {
  return Demo(store, orgs, accounts, admin, options).run();
}

}  // namespace relance::demo
