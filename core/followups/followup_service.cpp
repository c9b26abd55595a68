// GCC 12 at -O2 reports a false "may be used uninitialized" for the std::variant inside a
// storage::Filter built in place (its double alternative, never the one set); as in
// domain/time.cpp, it can only be silenced for the translation unit.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "followups/followup_service.hpp"

#include "domain/json_text.hpp"
#include "domain/messages.hpp"
#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/typed_instant.hpp"
#include "services/contact_zones.hpp"

namespace relance::followups {
namespace ent = storage::entities;
using storage::Row;

namespace {

// A day after the due instant the link was made for: following a snooze link twice snoozes once.
std::string snoozed_due(const VerifiedLink& link, domain::Locale locale) {
  const auto due = domain::parse_instant(link.target.due_at);
  if (!due) throw Problem::bad_request(domain::message(locale, "link.bad_due"), "due");
  return domain::format_instant(*due + std::chrono::hours(24));
}

// The update's outcome as the link's answer: a conflict (another version) is, for a link,
// the follow-up having changed since the email was sent.
std::exception_ptr link_error(std::exception_ptr err, const services::WriteOutcome& outcome, domain::Locale locale) {
  using Kind = services::WriteOutcome::Kind;
  if (err) return err;
  if (outcome.kind == Kind::conflict)
    return std::make_exception_ptr(Problem::conflict(domain::message(locale, "link.changed")));
  if (outcome.kind == Kind::not_found)
    return std::make_exception_ptr(Problem(Problem::Kind::not_found, "Not found", domain::message(locale, "link.gone")));
  if (outcome.kind == Kind::invalid) return std::make_exception_ptr(Problem::invalid(outcome.field, outcome.detail));
  return nullptr;
}

}  // namespace

FollowupService::FollowupService(storage::Store& store, services::RecordService& records, const ActionLinks& links,
                                 std::string default_time_zone)
    : store_(store), records_(records), links_(links), default_time_zone_(std::move(default_time_zone)) {}

services::Page FollowupService::view(const auth::Principal& p, const FollowupView& view) {
  const std::string& which = view.which;
  std::string zone = default_time_zone_;
  if (auto me = store_.get(ent::users, storage::Scope::everything(), p.user_id))
    if (const std::string* z = me->text(ent::users, "time_zone")) zone = *z;
  const auto now = domain::Clock::now();
  const domain::LocalDay day = domain::local_day(now, zone);

  storage::ListQuery q;
  q.scope = records_.read_scope(p, ent::followups);
  q.sort = "due_at";
  q.limit = domain::max_page_size;
  if (!view.everyone)
    q.filters.push_back({"assignee_id", storage::Filter::Op::eq, view.assignee_id ? view.assignee_id : p.user_id});
  if (view.org_id) q.filters.push_back({"org_id", storage::Filter::Op::eq, view.org_id});
  auto range = [&](domain::Clock::time_point from, domain::Clock::time_point to) {
    q.filters.push_back({"due_at", storage::Filter::Op::ge, domain::format_instant(from)});
    q.filters.push_back({"due_at", storage::Filter::Op::lt, domain::format_instant(to)});
  };
  if (which == "today") {
    range(day.begins, day.ends);
  } else if (which == "overdue") {
    q.filters.push_back({"due_at", storage::Filter::Op::lt, domain::format_instant(now)});
  } else if (which == "upcoming") {
    range(now, day.ends + std::chrono::hours(24 * (view.days - 1)));
  } else {
    throw Problem::not_found();
  }
  services::Page page;
  services::ContactZones zones(store_, records_.read_scope(p, ent::contacts));
  for (const Row& f : store_.list(ent::followups, q)) {
    const std::string* status = f.text(ent::followups, "status");
    if (status && *status != "open" && *status != "snoozed") continue;
    std::string& out = page.add();
    domain::append_row_json(out, ent::followups, f, records_.redacts(p, ent::followups, f),
                            records_.org_name(p, ent::followups, f));
    out.pop_back();  // the closing brace: the local times follow
    const std::string* due = f.text(ent::followups, "due_at");
    const auto at = due ? domain::parse_instant(*due) : std::nullopt;
    const std::string* own = f.text(ent::followups, "time_zone");
    auto local = [&](const std::string& z) { return at ? domain::local_time(*at, z).value_or("") : std::string(); };
    out += ",\"due_local\":";
    domain::append_json_string(out, local(own ? *own : zone));
    out += ",\"due_time_zone\":";
    domain::append_json_string(out, own ? *own : zone);
    const std::string* contact_zone = zones.of(f);
    out += ",\"contact_local\":";
    if (contact_zone) domain::append_json_string(out, local(*contact_zone));
    else out += "null";
    out += ",\"contact_time_zone\":";
    if (contact_zone) domain::append_json_string(out, *contact_zone);
    else out += "null";
    out += '}';
  }
  page.close();
  return page;
}

struct FollowupService::Followed {
  VerifiedLink link;
  auth::Principal recipient;
  LinkPreview preview;
  std::string zone;  // the recipient's clock for this follow-up
};

FollowupService::Followed FollowupService::follow(std::int64_t followup_id, const LinkQuery& query,
                                                  domain::Locale locale) const {
  const auto say = [locale](std::string_view key, std::initializer_list<std::string_view> args = {}) {
    return domain::message(locale, key, args);
  };
  const VerifiedLink link = links_.verify(followup_id, query, locale);
  auto row = store_.get(ent::followups, storage::Scope::everything(), followup_id);
  if (!row) throw Problem(Problem::Kind::not_found, "Not found", say("link.gone"));
  // The link acts as the user it was sent to, as long as they could change the follow-up
  // themselves: still of its organisation, still enabled.
  auto user = store_.get(ent::users, storage::Scope::everything(), link.target.recipient_id);
  if (!user || user->org_id != row->org_id || user->get(ent::users, "disabled") == storage::Value{std::int64_t{1}})
    throw Problem::forbidden(say("link.recipient_refused"));
  Followed f{link, {}, {}, {}};
  f.recipient.user_id = user->id;
  f.recipient.org_id = user->org_id;
  const std::string* role = user->text(ent::users, "role");
  f.recipient.role = auth::parse_role(role ? *role : "").value_or(auth::Role::member);
  f.recipient.can_write = true;

  f.preview.action = link.action;
  const std::string* title = row->text(ent::followups, "title");
  f.preview.title = title ? *title : "";
  const std::string* email = user->text(ent::users, "email");
  const std::string* name = user->text(ent::users, "display_name");
  f.preview.recipient = name && !name->empty() ? *name + (email ? " <" + *email + ">" : "") : email ? *email : "";
  // The page speaks the recipient's language and shows instants on their clock: the
  // follow-up's own zone, else theirs, else the daemon's default.
  f.preview.locale = locale;
  const std::string* own_zone = row->text(ent::followups, "time_zone");
  const std::string* user_zone = user->text(ent::users, "time_zone");
  f.zone = own_zone ? *own_zone : user_zone ? *user_zone : default_time_zone_;
  auto local = [&f](const std::string& instant) {
    const auto t = domain::parse_instant(instant);
    return t ? domain::local_time_text(*t, f.zone) : instant;
  };
  const std::string* status = row->text(ent::followups, "status");
  const std::string* due = row->text(ent::followups, "due_at");
  if (due) f.preview.due = local(*due);
  auto is = [](const std::string* s, std::string_view v) { return s && *s == v; };
  if (link.action == LinkAction::done && is(status, "done")) {
    f.preview.already = say("link.already_done", {f.preview.title});
    return f;
  }
  if (link.action == LinkAction::snooze && is(status, "snoozed") && is(due, snoozed_due(link, locale))) {
    f.preview.already = say("link.already_snoozed", {f.preview.title, local(*due)});
    return f;
  }
  if (!is(due, link.target.due_at))
    throw Problem::conflict(say("link.moved"));
  if (row->version != link.target.version) throw Problem::conflict(say("link.changed"));
  if (is(status, "cancelled") || (link.action == LinkAction::snooze && is(status, "done")))
    throw Problem::conflict(say("link.closed", {say("status." + *status)}));
  return f;
}

domain::Locale FollowupService::link_locale(std::int64_t followup_id, const LinkQuery& query,
                                           domain::Locale asked) const {
  try {
    const VerifiedLink link = links_.authenticate(followup_id, query);
    const auto user = store_.get(ent::users, storage::Scope::everything(), link.target.recipient_id);
    const std::string* chosen = user ? user->text(ent::users, "locale") : nullptr;
    return chosen ? domain::locale_of(*chosen, asked) : asked;
  } catch (const Problem&) {
    return asked;  // not a link of ours: nobody's language but the browser's
  }
}

FollowupService::LinkPreview FollowupService::preview(std::int64_t followup_id, const LinkQuery& query,
                                                      domain::Locale locale) const {
  return follow(followup_id, query, locale).preview;
}

void FollowupService::act(std::int64_t followup_id, const LinkQuery& query, domain::Locale locale,
                          std::function<void(std::exception_ptr, std::string)> done) {
  const Followed f = follow(followup_id, query, locale);
  if (!f.preview.already.empty()) return done(nullptr, f.preview.already);
  boost::json::object body;
  std::string sentence;
  if (f.link.action == LinkAction::done) {
    body["status"] = "done";
    sentence = domain::message(f.preview.locale, "link.is_done", {f.preview.title});
  } else {
    const std::string next = snoozed_due(f.link, locale);
    body["status"] = "snoozed";
    body["due_at"] = next;
    const auto at = domain::parse_instant(next);
    sentence = domain::message(f.preview.locale, "link.is_snoozed",
                               {f.preview.title, at ? domain::local_time_text(*at, f.zone) : next});
  }
  // The version the link was made for is the update's precondition: a change that lands
  // between the checks above and this write makes it a 409 too, not a silent overwrite.
  records_.update(f.recipient, services::UpdateRecord{ent::followups, followup_id, std::move(body), f.link.target.version},
                  [done, sentence, locale = f.preview.locale](std::exception_ptr err, services::WriteOutcome outcome) {
                    done(link_error(err, outcome, locale), sentence);
                  });
}

}  // namespace relance::followups
