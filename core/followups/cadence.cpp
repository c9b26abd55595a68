// GCC 12 at -O2 reports a false "may be used uninitialized" for the std::variant inside a
// storage::Filter built in place; as in scheduler.cpp, silenced for the translation unit.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "followups/cadence.hpp"

#include <spdlog/spdlog.h>

#include <optional>

#include "auth/principal.hpp"
#include "services/record_writes.hpp"

namespace relance::followups {
namespace ent = storage::entities;
using storage::Filter;
using storage::Row;
using storage::Scope;
using storage::Value;

namespace {

constexpr std::size_t most_per_rule = 500;  // per pass; the next pass goes on

// The system acting: audit entries and events say user 0.
auth::Principal system_of(std::int64_t org_id) {
  auth::Principal p;
  p.user_id = 0;
  p.org_id = org_id;
  p.role = auth::Role::member;
  p.can_write = true;
  return p;
}

struct NewFollowup {
  std::int64_t org_id = 0;
  std::optional<std::int64_t> lead_id, contact_id, assignee_id;
  std::string title, due_at, time_zone;
};

class Cadence {
 public:
  Cadence(storage::Store& s, domain::Clock::time_point now, std::string default_zone)
      : store_(s), now_(now), default_zone_(std::move(default_zone)) {}

  std::size_t apply(const Row& rule) {
    const std::string kind = rule.text(ent::cadence_rules, "kind") ? *rule.text(ent::cadence_rules, "kind") : "";
    const auto days = rule.integer(ent::cadence_rules, "days");
    if (!days || *days < 1 || *days > 365) return 0;
    if (kind == "stale-stage") return stale(rule, *days);
    if (kind == "after-meeting") return after_meeting(rule, *days);
    if (kind == "mission-deadline") return mission(rule, *days);
    return 0;
  }

 private:
  std::string zone_of_user(std::optional<std::int64_t> id) {
    if (id)
      if (auto u = store_.get(ent::users, Scope::everything(), *id))
        if (const std::string* z = u->text(ent::users, "time_zone")) return *z;
    return default_zone_;
  }

  // Open (or snoozed) follow-ups of a lead; `any`: of whatever status.
  bool has_followup(std::int64_t org_id, std::int64_t lead_id, bool any) {
    storage::ListQuery q;
    q.scope = Scope::org(org_id);
    q.filters.push_back({"lead_id", Filter::Op::eq, Value{lead_id}});
    q.limit = 50;
    for (const Row& f : store_.list(ent::followups, q)) {
      const std::string* s = f.text(ent::followups, "status");
      if (any || !s || *s == "open" || *s == "snoozed") return true;
    }
    return false;
  }

  // Creates the follow-up unless the rule already acted on this lead for this occasion.
  bool create(const Row& rule, std::int64_t lead_key, const std::string& occasion, const NewFollowup& n) {
    bool created = false;
    store_.write_sync([&](storage::WriteTxn& tx) {
      if (!tx.record_cadence_mark(rule.id, lead_key, occasion)) return;
      Row f;
      f.org_id = n.org_id;
      f.set(ent::followups, "title", n.title);
      f.set(ent::followups, "due_at", n.due_at);
      f.set(ent::followups, "time_zone", n.time_zone);
      f.set(ent::followups, "status", std::string("open"));
      if (n.lead_id) f.set(ent::followups, "lead_id", *n.lead_id);
      if (n.contact_id) f.set(ent::followups, "contact_id", *n.contact_id);
      if (n.assignee_id) f.set(ent::followups, "assignee_id", *n.assignee_id);
      services::write_record(tx, system_of(n.org_id), ent::followups, services::WriteKind::create, f, nullptr,
                             services::set_fields(ent::followups, f), "followup.created");
      created = true;
    });
    return created;
  }

  std::string title_or(const Row& rule, std::string fallback) {
    const std::string* t = rule.text(ent::cadence_rules, "title");
    return t && !t->empty() ? *t : fallback;
  }

  std::size_t stale(const Row& rule, std::int64_t days) {
    const std::string* stage = rule.text(ent::cadence_rules, "stage");
    if (!stage) return 0;
    const std::string before = domain::format_instant(now_ - std::chrono::hours(24 * days));
    std::size_t made = 0;
    for (const auto& s : store_.stale_leads(rule.org_id, std::nullopt, *stage, before, most_per_rule)) {
      // One follow-up per quiet spell: a new activity starts another spell.
      const std::string occasion = "quiet since " + (s.last_activity_at.empty() ? s.lead.created_at : s.last_activity_at);
      if (has_followup(rule.org_id, s.lead.id, false)) continue;
      const auto owner = s.lead.integer(ent::leads, "owner_id");
      const std::string lead_title = s.lead.text(ent::leads, "title") ? *s.lead.text(ent::leads, "title") : "";
      NewFollowup n{rule.org_id, s.lead.id, s.lead.integer(ent::leads, "contact_id"), owner,
                    title_or(rule, "No news for " + std::to_string(days) + " days: " + lead_title),
                    domain::format_instant(now_), zone_of_user(owner)};
      made += create(rule, s.lead.id, occasion, n) ? 1u : 0u;
    }
    return made;
  }

  std::size_t after_meeting(const Row& rule, std::int64_t days) {
    storage::ListQuery q;
    q.scope = Scope::org(rule.org_id);
    q.filters.push_back({"kind", Filter::Op::eq, Value{std::string("meeting")}});
    // Meetings logged since the rule exists (whenever they took place).
    q.filters.push_back({"created_at", Filter::Op::ge, Value{rule.created_at}});
    q.limit = most_per_rule;
    std::size_t made = 0;
    for (const Row& a : store_.list(ent::activities, q)) {
      const std::string* at = a.text(ent::activities, "occurred_at");
      const auto when = at ? domain::parse_instant(*at) : std::nullopt;
      if (!when) continue;
      const auto author = a.integer(ent::activities, "author_id");
      const auto lead = a.integer(ent::activities, "lead_id");
      const std::string* subject = a.text(ent::activities, "subject");
      NewFollowup n{rule.org_id, lead, a.integer(ent::activities, "contact_id"), author,
                    title_or(rule, "Follow up the meeting" + (subject ? ": " + *subject : std::string())),
                    domain::format_instant(*when + std::chrono::hours(24 * days)), zone_of_user(author)};
      made += create(rule, lead.value_or(0), "meeting " + std::to_string(a.id), n) ? 1u : 0u;
    }
    return made;
  }

  std::size_t mission(const Row& rule, std::int64_t days) {
    const auto event_id = rule.integer(ent::cadence_rules, "event_id");
    if (!event_id) return 0;
    const auto event = store_.get(ent::events, Scope::everything(), *event_id);
    const std::string* ends = event ? event->text(ent::events, "ends_on") : nullptr;
    if (!ends) return 0;  // a mission without an end date has no deadline yet
    const std::string event_name = event->text(ent::events, "name") ? *event->text(ent::events, "name") : "";
    storage::ListQuery q;
    q.scope = Scope::org(rule.org_id);
    q.filters.push_back({"source_event_id", Filter::Op::eq, Value{*event_id}});
    q.limit = most_per_rule;
    std::size_t made = 0;
    for (const Row& lead : store_.list(ent::leads, q)) {
      if (has_followup(rule.org_id, lead.id, true)) continue;  // it has its first follow-up
      const auto owner = lead.integer(ent::leads, "owner_id");
      const std::string zone = zone_of_user(owner);
      // Due by the deadline: N days after the last day, 09:00 in the owner's zone. When the
      // rule first runs after that deadline, the follow-up is still due at the deadline, so
      // it shows as overdue by as long as the lead has waited: moving it to "now" would
      // hide the lateness from the founder and from the region's stale-lead figures.
      auto due = domain::local_instant(*ends, 9 * 60, zone);
      if (!due) continue;
      *due += std::chrono::hours(24 * days);
      const std::string lead_title = lead.text(ent::leads, "title") ? *lead.text(ent::leads, "title") : "";
      NewFollowup n{rule.org_id, lead.id, lead.integer(ent::leads, "contact_id"), owner,
                    title_or(rule, "First follow-up after " + event_name + ": " + lead_title),
                    domain::format_instant(*due), zone};
      made += create(rule, lead.id, "first after the mission", n) ? 1u : 0u;
    }
    return made;
  }

  storage::Store& store_;
  domain::Clock::time_point now_;
  std::string default_zone_;
};

}  // namespace

std::size_t apply_cadence_rules(storage::Store& store, domain::Clock::time_point now,
                                const std::string& default_time_zone) {
  Cadence cadence(store, now, default_time_zone);
  storage::ListQuery rules;
  rules.scope = Scope::everything();
  rules.limit = 200;
  std::size_t made = 0;
  for (;;) {
    const std::vector<Row> page = store.list(ent::cadence_rules, rules);
    for (const Row& rule : page) {
      if (rule.get(ent::cadence_rules, "enabled") == Value{std::int64_t{0}}) continue;
      try {
        made += cadence.apply(rule);
      } catch (const std::exception& e) {
        spdlog::warn("cadence rule #{}: {}", rule.id, e.what());
      }
    }
    if (page.size() < rules.limit) break;
    rules.after_id = page.back().id;
  }
  if (made) spdlog::info("cadence rules: {} follow-up(s) created", made);
  return made;
}

}  // namespace relance::followups
