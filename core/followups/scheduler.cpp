// GCC 12 at -O2 reports a false "may be used uninitialized" for the std::variant inside a
// storage::Filter built in place (its double alternative, never the one set); as in
// domain/time.cpp, it can only be silenced for the translation unit.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "followups/scheduler.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <map>
#include <optional>

#include "domain/json_text.hpp"
#include "domain/messages.hpp"
#include "events/clock.hpp"
#include "events/publish.hpp"
#include "followups/cadence.hpp"
#include "followups/region_digest.hpp"
#include "domain/record_json.hpp"

namespace relance::followups {
namespace ent = storage::entities;
using storage::Row;
using storage::Scope;

struct FollowupScheduler::Loop {
  boost::asio::io_context io{1};
  boost::asio::steady_timer timer{io};
  std::thread thread;
};

namespace {

// `"key":` then the string, or null.
void field(std::string& out, const char* key, const std::string* value, bool comma = true) {
  if (comma) out += ',';
  domain::append_json_string(out, key);
  out += ':';
  if (value) domain::append_json_string(out, *value);
  else out += "null";
}
void field(std::string& out, const char* key, const std::string& value, bool comma = true) {
  field(out, key, &value, comma);
}
void raw(std::string& out, const char* key, const std::string& json) {
  out += ',';
  domain::append_json_string(out, key);
  out += ':';
  out += json;
}

// Reads rows once per pass: many follow-ups share an assignee, a contact or a lead.
class Lookups {
 public:
  explicit Lookups(storage::Store& s) : store_(s) {}
  const Row* get(const storage::Entity& e, std::optional<std::int64_t> id) {
    if (!id) return nullptr;
    auto& cache = cache_[&e];
    auto it = cache.find(*id);
    if (it == cache.end()) it = cache.emplace(*id, store_.get(e, Scope::everything(), *id)).first;
    return it->second ? &*it->second : nullptr;
  }

 private:
  storage::Store& store_;
  std::map<const storage::Entity*, std::map<std::int64_t, std::optional<Row>>> cache_;
};

std::string zone_of(const Row* user, const std::string& fallback) {
  const std::string* z = user ? user->text(ent::users, "time_zone") : nullptr;
  return z ? *z : fallback;
}

// The language of the emails to `u`: theirs, else the daemon's default (as user_json says).
domain::Locale locale_of(const Row* u, const std::string& fallback) {
  const std::string* locale = u ? u->text(ent::users, "locale") : nullptr;
  return domain::locale_of(locale ? *locale : fallback, domain::locale_of(fallback));
}

// A lead's "stage" and, beside it, its "stage_label" in the recipient's language.
void stage_fields(std::string& out, const Row& lead, domain::Locale locale) {
  const std::string* stage = lead.text(ent::leads, "stage");
  field(out, "stage", stage);
  if (stage) field(out, "stage_label", domain::stage_label(locale, *stage));
  else field(out, "stage_label", nullptr);
}

std::string user_json(const Row& u, const std::string& zone, const std::string& default_locale) {
  std::string out = "{\"id\":";
  domain::append_json_int(out, u.id);
  field(out, "email", u.text(ent::users, "email"));
  field(out, "display_name", u.text(ent::users, "display_name"));
  const std::string* locale = u.text(ent::users, "locale");
  field(out, "locale", locale ? *locale : default_locale);
  field(out, "time_zone", zone);
  return out + "}";
}

// The done/snooze links of a follow-up in an email to `recipient`, bound to the follow-up as
// it is now (docs/api.md); null when nobody receives the email.
std::string links_json(const ActionLinks& links, const Row& f, const Row* recipient) {
  if (!recipient) return "null";
  const std::string* due = f.text(ent::followups, "due_at");
  const LinkTarget target{f.id, due ? *due : std::string(), f.version, recipient->id};
  std::string out = "{";
  field(out, "done", links.url(target, LinkAction::done), false);
  field(out, "snooze", links.url(target, LinkAction::snooze));
  return out + "}";
}

std::string local_or_null(const std::string* instant, const std::string& zone) {
  if (!instant) return {};
  const auto t = domain::parse_instant(*instant);
  return t ? domain::local_time(*t, zone).value_or(std::string()) : std::string();
}

}  // namespace

FollowupScheduler::FollowupScheduler(storage::Store& store, const ActionLinks& links, SchedulerOptions options)
    : store_(store), links_(links), options_(std::move(options)) {}

FollowupScheduler::~FollowupScheduler() { stop(); }

void FollowupScheduler::start() {
  loop_ = std::make_unique<Loop>();
  // `arm` re-arms the timer. It refers to itself weakly (a strong capture would be a cycle
  // that is never freed); the pending wait's handler holds it, and the io_context's end
  // destroys that handler, and with it `arm`.
  auto arm = std::make_shared<std::function<void()>>();
  *arm = [this, weak = std::weak_ptr<std::function<void()>>(arm)] {
    loop_->timer.expires_after(options_.tick);
    loop_->timer.async_wait([this, arm = weak.lock()](boost::system::error_code ec) {
      if (ec) return;  // cancelled: stopping
      try {
        tick(events::clock().now());
      } catch (const std::exception& e) {
        spdlog::error("follow-up scheduler: {} (tried again at the next tick)", e.what());
      }
      (*arm)();
    });
  };
  // The first pass at once: after downtime, what fell due meanwhile goes out now.
  boost::asio::post(loop_->io, [this, arm] {
    try {
      tick(events::clock().now());
    } catch (const std::exception& e) {
      spdlog::error("follow-up scheduler: {}", e.what());
    }
    (*arm)();
  });
  loop_->thread = std::thread([this] { loop_->io.run(); });
}

void FollowupScheduler::stop() {
  if (!loop_) return;
  boost::asio::post(loop_->io, [this] {
    loop_->timer.cancel();
    loop_->io.stop();
  });
  if (loop_->thread.joinable()) loop_->thread.join();
  loop_.reset();
}

std::size_t FollowupScheduler::tick(domain::Clock::time_point now) {
  std::size_t written = due_followups(now);
  // Digests and cadence rules are matters of days: look every 60 ticks (a minute at the
  // default tick). Follow-ups the rules create fall due through the pass above.
  if (ticks_since_digests_++ % 60 == 0) {
    apply_cadence_rules(store_, now, options_.default_time_zone);
    written += digests(now);
    written += region_digests(now);
  }
  return written;
}

std::size_t FollowupScheduler::due_followups(domain::Clock::time_point now) {
  const std::string now_text = domain::format_instant(now);
  std::size_t written = 0;
  for (;;) {
    const std::vector<Row> due = store_.due_followups(now_text, options_.batch);
    if (due.empty()) break;
    Lookups look(store_);
    struct Pending {
      std::string due_at;
      events::EventDraft event;
    };
    std::vector<Pending> pending;
    for (const Row& f : due) {
      const Row* assignee = look.get(ent::users, f.integer(ent::followups, "assignee_id"));
      const Row* contact = look.get(ent::contacts, f.integer(ent::followups, "contact_id"));
      const Row* lead = look.get(ent::leads, f.integer(ent::followups, "lead_id"));
      const std::string* due_at = f.text(ent::followups, "due_at");
      const std::string* own_zone = f.text(ent::followups, "time_zone");
      const std::string zone = own_zone ? *own_zone : zone_of(assignee, options_.default_time_zone);
      const std::string* contact_zone = contact ? contact->text(ent::contacts, "time_zone") : nullptr;

      events::EventDraft ev{"followup.due", "followups", f.id, f.org_id, 0, domain::row_json(ent::followups, f, false), {}};
      std::string when = "{";
      field(when, "at", due_at, false);
      field(when, "time_zone", zone);
      field(when, "local", local_or_null(due_at, zone));
      field(when, "contact_time_zone", contact_zone);
      const std::string contact_local = contact_zone ? local_or_null(due_at, *contact_zone) : std::string();
      field(when, "contact_local", contact_zone ? &contact_local : nullptr);
      ev.more.emplace_back("due", when + "}");
      ev.more.emplace_back("assignee", assignee ? user_json(*assignee, zone_of(assignee, options_.default_time_zone), options_.default_locale) : "null");
      if (contact) {
        std::string c = "{\"id\":";
        domain::append_json_int(c, contact->id);
        field(c, "first_name", contact->text(ent::contacts, "first_name"));
        field(c, "last_name", contact->text(ent::contacts, "last_name"));
        const std::string* emails = contact->text(ent::contacts, "emails");
        raw(c, "emails", emails ? *emails : "[]");
        field(c, "time_zone", contact_zone);
        ev.more.emplace_back("contact", c + "}");
      } else {
        ev.more.emplace_back("contact", "null");
      }
      if (lead) {
        std::string l = "{\"id\":";
        domain::append_json_int(l, lead->id);
        field(l, "title", lead->text(ent::leads, "title"));
        stage_fields(l, *lead, locale_of(assignee, options_.default_locale));
        ev.more.emplace_back("lead", l + "}");
      } else {
        ev.more.emplace_back("lead", "null");
      }
      ev.more.emplace_back("links", links_json(links_, f, assignee));
      pending.push_back(Pending{due_at ? *due_at : std::string(), std::move(ev)});
    }
    std::size_t batch_written = 0;
    store_.write_sync([&](storage::WriteTxn& tx) {
      batch_written = 0;
      for (const Pending& p : pending) {
        if (!tx.record_followup_notice(p.event.entity_id, p.due_at)) continue;  // already announced
        events::publish(tx, p.event);
        ++batch_written;
      }
    });
    written += batch_written;
    if (due.size() < options_.batch) break;
  }
  if (written) spdlog::info("follow-ups: {} fell due", written);
  return written;
}

std::size_t FollowupScheduler::digests(domain::Clock::time_point now) {
  if (options_.digest_minutes < 0) return 0;
  std::size_t written = 0;
  storage::ListQuery users;
  users.scope = Scope::everything();
  users.limit = 200;
  for (;;) {
    const std::vector<Row> page = store_.list(ent::users, users);
    for (const Row& u : page) {
      if (u.get(ent::users, "disabled") == storage::Value{std::int64_t{1}} || !u.text(ent::users, "email")) continue;
      const std::string zone = zone_of(&u, options_.default_time_zone);
      const domain::LocalDay day = domain::local_day(now, zone);
      if (day.minutes < options_.digest_minutes || store_.digest_recorded(u.id, day.date)) continue;

      // Today's and overdue follow-ups of this user, and their stale leads.
      storage::ListQuery q;
      q.scope = Scope::org(u.org_id);
      q.filters.push_back({"assignee_id", storage::Filter::Op::eq, u.id});
      q.filters.push_back({"due_at", storage::Filter::Op::lt, domain::format_instant(day.ends)});
      q.sort = "due_at";
      q.limit = 200;
      const std::string begins = domain::format_instant(day.begins);
      std::string today = "[", overdue = "[";
      Lookups look(store_);
      for (const Row& f : store_.list(ent::followups, q)) {
        const std::string* status = f.text(ent::followups, "status");
        if (status && *status != "open" && *status != "snoozed") continue;
        const std::string* due_at = f.text(ent::followups, "due_at");
        if (!due_at) continue;
        const bool is_today = *due_at >= begins;
        std::string item = "{\"id\":";
        domain::append_json_int(item, f.id);
        field(item, "title", f.text(ent::followups, "title"));
        field(item, "due_at", due_at);
        const std::string local = local_or_null(due_at, zone);
        const std::string shown = local.size() >= 16 ? (is_today ? local.substr(11, 5) : local.substr(0, 10) + " " + local.substr(11, 5)) : local;
        field(item, "local", shown);
        const Row* lead = look.get(ent::leads, f.integer(ent::followups, "lead_id"));
        field(item, "lead_title", lead ? lead->text(ent::leads, "title") : nullptr);
        raw(item, "links", links_json(links_, f, &u));
        std::string& list = is_today ? today : overdue;
        if (list.size() > 1) list += ',';
        list += item + "}";
      }
      today += ']';
      overdue += ']';
      std::string stale = "[";
      const std::string before = domain::format_instant(now - std::chrono::hours(24 * options_.stale_days));
      for (const auto& s : store_.stale_leads(u.org_id, u.id, std::nullopt, before, 50)) {
        if (stale.size() > 1) stale += ',';
        stale += "{\"id\":";
        domain::append_json_int(stale, s.lead.id);
        field(stale, "title", s.lead.text(ent::leads, "title"));
        stage_fields(stale, s.lead, locale_of(&u, options_.default_locale));
        field(stale, "last_activity_at", s.last_activity_at.empty() ? nullptr : &s.last_activity_at);
        const auto since = domain::parse_instant(s.last_activity_at.empty() ? s.lead.created_at : s.last_activity_at);
        stale += ",\"days\":";
        domain::append_json_int(stale, since ? std::chrono::duration_cast<std::chrono::hours>(now - *since).count() / 24 : 0);
        stale += '}';
      }
      stale += ']';
      std::string data = "{\"user\":" + user_json(u, zone, options_.default_locale);
      field(data, "date", day.date);
      raw(data, "today", today);
      raw(data, "overdue", overdue);
      raw(data, "stale_leads", stale);
      const events::EventDraft ev{"digest.due", "users", u.id, u.org_id, 0, data + "}", {}};
      store_.write_sync([&](storage::WriteTxn& tx) {
        if (!tx.record_digest(u.id, day.date)) return;
        events::publish(tx, ev);
        ++written;
      });
    }
    if (page.size() < users.limit) break;
    users.after_id = page.back().id;
  }
  return written;
}

// The digests table keeps one row per user and key: a weekly one is "region <local date>",
// which no daily digest's date can be.
std::size_t FollowupScheduler::region_digests(domain::Clock::time_point now) {
  if (options_.region_digest_minutes < 0) return 0;
  std::size_t written = 0;
  std::optional<RegionFigures> figures;  // the same for every staff member: computed once, when one is due
  storage::ListQuery staff;
  staff.scope = Scope::everything();
  staff.filters.push_back({"role", storage::Filter::Op::eq, std::string("staff")});
  staff.limit = 1000;
  for (const Row& u : store_.list(ent::users, staff)) {
    if (u.get(ent::users, "disabled") == storage::Value{std::int64_t{1}} || !u.text(ent::users, "email")) continue;
    const std::string zone = zone_of(&u, options_.default_time_zone);
    const domain::LocalDay day = domain::local_day(now, zone);
    const std::string key = "region " + day.date;
    if (weekday_of(day.date) != options_.region_digest_weekday || day.minutes < options_.region_digest_minutes ||
        store_.digest_recorded(u.id, key))
      continue;
    if (!figures) figures = region_figures(store_, now, options_.stale_days, options_.quiet_days);
    std::string data = "{\"user\":" + user_json(u, zone, options_.default_locale);
    field(data, "date", day.date);
    data += ",\"stale_days\":" + std::to_string(options_.stale_days);
    data += ",\"quiet_days\":" + std::to_string(options_.quiet_days);
    raw(data, "outcomes", figures->outcomes);
    raw(data, "stale_by_startup", figures->stale_by_startup);
    raw(data, "quiet_startups", figures->quiet_startups);
    const events::EventDraft ev{"region_digest.due", "users", u.id, u.org_id, 0, data + "}", {}};
    store_.write_sync([&](storage::WriteTxn& tx) {
      if (!tx.record_digest(u.id, key)) return;
      events::publish(tx, ev);
      ++written;
    });
  }
  return written;
}

}  // namespace relance::followups
