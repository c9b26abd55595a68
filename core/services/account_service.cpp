#include "services/account_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>

#include <spdlog/spdlog.h>

#include "auth/secrets.hpp"
#include "domain/fields.hpp"
#include "domain/json_text.hpp"
#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "services/account_rules.hpp"
#include "services/password_link_mail.hpp"
#include "services/record_writes.hpp"

namespace relance::services {
namespace json = boost::json;
using auth::Principal;
using auth::Role;
using storage::Row;
using storage::Scope;
using storage::Value;
namespace ent = storage::entities;

namespace {

constexpr auto cache_lifetime = std::chrono::seconds(30);
constexpr std::string_view password_link_kind = "password";

std::string text_of(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}

// The string `field` of the body, taken out of it (empty when absent).
std::string take_string(json::object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end()) return {};
  if (!it->value().is_string())
    throw Problem::invalid(std::string(field), std::string(field) + " must be a string");
  std::string s(it->value().get_string());
  body.erase(it);
  return s;
}

std::string take_password(json::object& body) {
  if (!body.contains("password")) return {};
  std::string pw = take_string(body, "password");
  if (pw.size() < AccountService::min_password_length || pw.size() > 1024)
    throw Problem::invalid("password", "password must have 10 to 1024 characters");
  return pw;
}

void check_stages(const Row& row) {
  const std::string* stored = row.text(ent::organisations, "pipeline_stages");
  if (!stored || stored->empty()) return;
  if (domain::read_text_list(*stored).size() < 2)
    throw Problem::invalid("pipeline_stages", "pipeline_stages needs at least two stages");
}

void normalise_user_email(Row& row) {
  auto email = domain::normalise_email(text_of(row.get(ent::users, "email")));
  if (!email) throw Problem::invalid("email", "email is not an email address");
  row.set(ent::users, "email", *email);
}

bool is_disabled(const Row& user) { return user.get(ent::users, "disabled") == Value{std::int64_t{1}}; }

// Sets revoked_at on a token not revoked yet, with its audit entry.
void revoke(storage::WriteTxn& tx, const Principal& p, Row& token, const std::string& now) {
  const auto& t = ent::api_tokens;
  if (!storage::is_null(token.get(t, "revoked_at"))) return;
  const Row before = token;
  token.set(t, "revoked_at", now);
  write_record(tx, p, t, WriteKind::update, token, &before, {*t.index_of("revoked_at")},
               "token.revoked");
}

// Revokes every session and personal token of `user` that still works, but `keep` (the
// token of a user changing their own password; 0 for none). Expired ones are left as
// they are: they work no more.
void revoke_tokens_of(storage::WriteTxn& tx, const Principal& p, const Row& user, std::int64_t keep) {
  const std::string now = domain::now_instant();
  for (Row& token : tx.referencing(ent::api_tokens, "user_id", user.id, user.org_id)) {
    const std::string expires = text_of(token.get(ent::api_tokens, "expires_at"));
    if (token.id == keep || (!expires.empty() && expires <= now)) continue;
    revoke(tx, p, token, now);
  }
}

// Refuses (429) while a rate limiter says to wait.
void refuse_while_throttled(std::chrono::steady_clock::duration wait) {
  if (wait <= std::chrono::steady_clock::duration::zero()) return;
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(wait).count() + 1;
  throw Problem(Problem::Kind::too_many_attempts, "Too many login attempts",
                "too many failed logins; try again in " + std::to_string(secs) + " s")
      .with_retry_after(static_cast<int>(secs));
}

// The written (or unchanged) row as the caller gets it back.
WriteOutcome row_outcome(WriteOutcome::Kind kind, const storage::Entity& e, const Row& row) {
  return WriteOutcome{kind, row.id, row.version, domain::row_json(e, row, false), {}, {}};
}

}  // namespace

std::span<const std::string_view> default_pipeline_stages() {
  static constexpr std::array<std::string_view, 6> stages{"new", "contacted", "meeting",
                                                          "proposal", "won", "lost"};
  return stages;
}

AccountService::AccountService(storage::Store& store, OrgDirectory& orgs, std::string default_time_zone,
                               std::string default_locale)
    : store_(store), orgs_(orgs), default_time_zone_(std::move(default_time_zone)),
      default_locale_(std::move(default_locale)),
      by_email_(10, std::chrono::minutes(15)), by_address_(50, std::chrono::minutes(15)),
      resets_by_email_(5, std::chrono::minutes(15)), resets_by_address_(50, std::chrono::minutes(15)) {}

bool AccountService::bootstrap(const std::string& admin_email, const std::string& password) {
  if (store_.count(ent::users, Scope::everything()) > 0) return false;
  auto email = domain::normalise_email(admin_email);
  if (!email) throw Problem::invalid("email", "admin email is not an email address");
  if (password.size() < min_password_length)
    throw Problem::invalid("password", "the admin password needs at least 10 characters");
  const std::string hash = auth::hash_password(password);
  store_.write_sync([&](storage::WriteTxn& tx) {
    Principal system;  // the instance itself, user 0
    Row org;
    org.values.resize(ent::organisations.fields.size());
    org.set(ent::organisations, "name", std::string("Region"));
    org.set(ent::organisations, "kind", std::string("region"));
    write_record(tx, system, ent::organisations, WriteKind::create, org, nullptr,
                 set_fields(ent::organisations, org), "organisation.created");
    Row user;
    user.org_id = org.id;
    user.values.resize(ent::users.fields.size());
    user.set(ent::users, "email", *email);
    user.set(ent::users, "display_name", std::string("Administrator"));
    user.set(ent::users, "role", std::string("admin"));
    user.set(ent::users, "disabled", std::int64_t{0});
    user.set(ent::users, "time_zone", default_time_zone_);
    user.set(ent::users, "locale", default_locale_);
    user.set(ent::users, "password_hash", hash);
    write_record(tx, system, ent::users, WriteKind::create, user, nullptr,
                 set_fields(ent::users, user), "user.created");
  });
  return true;
}

Principal AccountService::authenticate(std::string_view bearer_token) {
  const auth::TokenDigest digest = auth::token_digest(bearer_token);
  std::uint64_t generation;
  {
    std::shared_lock lock(cache_mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end() && std::chrono::steady_clock::now() - it->second.cached_at < cache_lifetime &&
        (!it->second.expires || *it->second.expires > domain::Clock::now()))
      return it->second.principal;
    generation = generation_;
  }
  const std::string now = domain::now_instant();
  auto token = store_.find_unique(ent::api_tokens, "token_hash", auth::to_hex(digest));
  const auto& t = ent::api_tokens;
  // A set-password link is no bearer token: it sets a password, once, and nothing else.
  if (!token || text_of(token->get(t, "kind")) == password_link_kind)
    throw Problem::unauthorized("unknown token; log in again");
  if (!storage::is_null(token->get(t, "revoked_at")))
    throw Problem::unauthorized("this token was revoked");
  const std::string expires = text_of(token->get(t, "expires_at"));
  if (!expires.empty() && expires <= now) throw Problem::unauthorized("this token has expired");
  const auto user_id = std::get<std::int64_t>(token->get(t, "user_id"));
  auto user = store_.get(ent::users, Scope::everything(), user_id);
  if (!user || is_disabled(*user))
    throw Problem::unauthorized("this user is disabled");
  Principal p;
  p.user_id = user->id;
  p.org_id = user->org_id;
  p.token_id = token->id;
  p.role = auth::parse_role(text_of(user->get(ent::users, "role"))).value_or(Role::member);
  p.can_write = text_of(token->get(t, "scope")) != "read";
  std::unique_lock lock(cache_mu_);
  if (generation != generation_) return p;  // accounts changed meanwhile: do not cache
  if (cache_.size() > 100000) cache_.clear();
  cache_[digest] = Cached{p, expires.empty() ? std::nullopt : domain::parse_instant(expires),
                       std::chrono::steady_clock::now()};
  return p;
}

void AccountService::forget_sessions() {
  std::unique_lock lock(cache_mu_);
  cache_.clear();
  ++generation_;
}

OutcomeCallback AccountService::forgetting_sessions(OutcomeCallback done) {
  // After the commit: a token resolved from the old rows must not outlive the change. The
  // generation stops a resolution that began before the commit from caching its result.
  return [this, done = std::move(done)](std::exception_ptr err, WriteOutcome outcome) {
    forget_sessions();
    done(err, std::move(outcome));
  };
}

std::string AccountService::verified_hash(const Row& user, const std::string& current) {
  constexpr std::string_view field = "current_password";
  if (current.empty())
    throw Problem(Problem::Kind::forbidden, "Forbidden",
                  "changing your own password needs your current one in current_password",
                  std::string(field));
  // Wrong guesses count as failed logins of the account: an open session is no way to
  // try passwords faster than the login page.
  const std::string email_key = "email:" + text_of(user.get(ent::users, "email"));
  refuse_while_throttled(by_email_.wait_for(email_key));
  std::string hash = text_of(user.get(ent::users, "password_hash"));
  if (!auth::verify_password(hash, current)) {
    by_email_.record_failure(email_key);
    throw Problem(Problem::Kind::forbidden, "Forbidden", "current_password is not your current password", std::string(field));
  }
  return hash;
}

std::string AccountService::issue_token(storage::WriteTxn& tx, const Principal& as,
                                        std::string kind, std::string name, std::string scope,
                                        std::string expires_at, Row& row, const Principal* owner) {
  const auto& t = ent::api_tokens;
  const std::string token = auth::new_token();
  if (!owner) owner = &as;
  row.org_id = owner->org_id;
  row.values.resize(t.fields.size());
  row.set(t, "user_id", owner->user_id);
  row.set(t, "name", std::move(name));
  row.set(t, "kind", std::move(kind));
  row.set(t, "scope", std::move(scope));
  if (!expires_at.empty()) row.set(t, "expires_at", std::move(expires_at));
  row.set(t, "token_hash", auth::token_hash(token));
  write_record(tx, as, t, WriteKind::create, row, nullptr, set_fields(t, row), "token.created");
  return token;
}

LoginResult AccountService::login(const std::string& email_in, const std::string& password,
                                  const std::string& client_address) {
  const std::string email = domain::normalise_email(email_in).value_or(email_in);
  const std::string email_key = "email:" + email, address_key = "ip:" + client_address;
  refuse_while_throttled(std::max(by_email_.wait_for(email_key), by_address_.wait_for(address_key)));
  auto user = store_.find_unique(ent::users, "email", email);
  // Verify against a fixed hash when the user does not exist, so that timing does not
  // tell which emails have accounts.
  static const std::string absent = auth::hash_password("relance-absent-user-password");
  const std::string hash = user ? text_of(user->get(ent::users, "password_hash")) : absent;
  const bool ok = auth::verify_password(hash, password) && user && !is_disabled(*user);
  if (!ok) {
    by_email_.record_failure(email_key);
    by_address_.record_failure(address_key);
    throw Problem::unauthorized("wrong email or password");
  }
  by_email_.reset(email_key);
  Principal as;
  as.user_id = user->id;
  as.org_id = user->org_id;
  LoginResult r;
  r.expires_at = domain::format_instant(domain::Clock::now() + session_lifetime);
  store_.write_sync([&](storage::WriteTxn& tx) {
    Row token_row;
    r.token = issue_token(tx, as, "session", "login", "read-write", r.expires_at, token_row);
  });
  r.user = domain::encode_row(ent::users, *user, false);
  return r;
}

void AccountService::logout(const Principal& p, OutcomeCallback done) {
  revoke_token(p, p.token_id, std::move(done));
}

json::object AccountService::me(const Principal& p) {
  auto user = store_.get(ent::users, Scope::everything(), p.user_id);
  if (!user) throw Problem::unauthorized("this user no longer exists");
  json::object o = domain::encode_row(ent::users, *user, false);
  // Users from before time zones and languages were set at creation: those the daemon
  // assumes for them.
  if (o["time_zone"].is_null()) o["time_zone"] = default_time_zone_;
  if (o["locale"].is_null()) o["locale"] = default_locale_;
  auto org = store_.get(ent::organisations, Scope::everything(), p.org_id);
  if (org) o["organisation"] = domain::encode_row(ent::organisations, *org, false);
  o["token_scope"] = p.can_write ? "read-write" : "read";
  return o;
}

void AccountService::set_password_links(PasswordLinkOptions options) {
  auto next = std::make_shared<const PasswordLinkOptions>(std::move(options));
  std::lock_guard lock(links_mu_);
  links_ = std::move(next);
}

std::shared_ptr<const PasswordLinkOptions> AccountService::link_options() {
  std::lock_guard lock(links_mu_);
  return links_;
}

std::string AccountService::issue_link(storage::WriteTxn& tx, const Principal& as, const Row& user,
                                       const std::string& expires_at) {
  const std::string now = domain::now_instant();
  for (Row& earlier : tx.referencing(ent::api_tokens, "user_id", user.id, user.org_id))
    if (text_of(earlier.get(ent::api_tokens, "kind")) == password_link_kind) revoke(tx, as, earlier, now);
  // The token belongs to the user it sets the password of; the audit says who asked for it.
  Principal owner;
  owner.user_id = user.id;
  owner.org_id = user.org_id;
  Row row;
  return issue_token(tx, as, std::string(password_link_kind), "set-password link", "read", expires_at, row, &owner);
}

PasswordLink AccountService::send_link(const Row& user, const std::string& token, const std::string& expires_at,
                                       bool invitation) {
  const std::shared_ptr<const PasswordLinkOptions> options = link_options();
  PasswordLink out;
  // The link's page (a form) posts the token back; the daemon logs no request address,
  // and the page sends no Referer.
  out.link = options->base_url + "/api/v1/auth/password?token=" + token;
  out.expires_at = expires_at;
  if (!options->send) return out;
  const auto& u = ent::users;
  try {
    options->send(password_link_mail(PasswordLinkMail{
        text_of(user.get(u, "email")), text_of(user.get(u, "display_name")),
        storage::is_null(user.get(u, "locale")) ? default_locale_ : text_of(user.get(u, "locale")), out.link,
        invitation ? options->invite_validity : options->reset_validity, invitation}));
    out.emailed = true;
  } catch (const std::exception& e) {
    out.mail_error = e.what();
  }
  return out;
}

namespace {

// The users a caller sees: their organisation's; the instance admin's and region staff's,
// every organisation's (staff see who works on a start-up's leads: names and roles).
Scope users_visible(const Principal& p) {
  return p.is_admin() || p.is_staff() ? Scope::everything() : Scope::org(p.org_id);
}

// A start-up user's email is theirs to give: region staff see it only of the region's own
// users (their colleagues, staff among them); the admin sees every account's.
bool hides_email(const Principal& p, const Row& user) { return p.is_staff() && user.org_id != p.org_id; }

}  // namespace

PasswordLink AccountService::issue_password_link(const Principal& p, std::int64_t id) {
  if (!p.can_write) throw Problem::forbidden("this token is read-only");
  const Scope visible = users_visible(p);
  auto target = store_.get(ent::users, visible, id);
  if (!target) throw Problem::not_found();
  // Giving a link is setting the password: the same rule as a PATCH of it, and never of
  // one's own account (that needs the current password).
  if (id == p.user_id) throw Problem::forbidden("change your own password with your current one, or ask for a reset");
  check_account_change(p, *target, json::object{{"password", ""}});
  const bool invitation = text_of(target->get(ent::users, "password_hash")).empty();
  const std::shared_ptr<const PasswordLinkOptions> options = link_options();
  const std::string expires = domain::format_instant(
      domain::Clock::now() + (invitation ? options->invite_validity : options->reset_validity));
  std::string token;
  store_.write_sync([&](storage::WriteTxn& tx) {
    auto row = tx.get(ent::users, visible, id);
    if (!row) throw Problem::not_found();
    check_account_change(p, *row, json::object{{"password", ""}});
    token = issue_link(tx, p, *row, expires);
  });
  forget_sessions();
  return send_link(*target, token, expires, invitation);
}

void AccountService::request_password_reset(const std::string& email_in, const std::string& client_address,
                                            const std::function<void()>& answer) {
  const std::string email = domain::normalise_email(email_in).value_or(email_in);
  const std::string email_key = "email:" + email, address_key = "ip:" + client_address;
  refuse_while_throttled(std::max(resets_by_email_.wait_for(email_key), resets_by_address_.wait_for(address_key)));
  resets_by_email_.record_failure(email_key);
  resets_by_address_.record_failure(address_key);
  // The asker is answered before anything depends on the account, so that neither the
  // answer nor its time tells whether the account exists.
  answer();
  // Answered: what follows is the operator's to see in the log, never the asker's.
  try {
    const std::shared_ptr<const PasswordLinkOptions> options = link_options();
    if (!options->send) return;  // nobody would receive the link: an administrator gives one
    auto user = store_.find_unique(ent::users, "email", email);
    if (!user || is_disabled(*user)) return;
    const bool invitation = text_of(user->get(ent::users, "password_hash")).empty();
    const std::string expires = domain::format_instant(
        domain::Clock::now() + (invitation ? options->invite_validity : options->reset_validity));
    std::string token;
    Principal system;  // the instance: the user asked, unauthenticated
    store_.write_sync([&](storage::WriteTxn& tx) { token = issue_link(tx, system, *user, expires); });
    send_link(*user, token, expires, invitation);
  } catch (const std::exception& e) {
    spdlog::warn("password reset of {}: {}", email, e.what());
  }
}

void AccountService::set_password_with_link(const std::string& token, const std::string& password,
                                            const std::string& client_address, domain::Locale locale) {
  const std::string address_key = "ip:" + client_address;
  refuse_while_throttled(by_address_.wait_for(address_key));
  if (password.size() < min_password_length || password.size() > 1024)
    throw Problem::invalid("password", domain::message(locale, "password.length"));
  const auto& t = ent::api_tokens;
  auto refused = [&](const char* why) {
    by_address_.record_failure(address_key);
    return Problem(Problem::Kind::expired, "Link not valid", domain::message(locale, why), "token");
  };
  auto link = store_.find_unique(t, "token_hash", auth::token_hash(token));
  if (!link || text_of(link->get(t, "kind")) != password_link_kind)
    throw refused("password.link_invalid");
  const std::string hash = auth::hash_password(password);
  const char* why = nullptr;
  store_.write_sync([&](storage::WriteTxn& tx) {
    // Read again inside the write: two uses of one link at once set the password once.
    auto row = tx.get(t, Scope::org(link->org_id), link->id);
    const std::string now = domain::now_instant();
    if (!row || !storage::is_null(row->get(t, "revoked_at"))) {
      why = "password.link_used";
      return;
    }
    const std::string expires = text_of(row->get(t, "expires_at"));
    if (expires.empty() || expires <= now) {
      why = "password.link_expired";
      return;
    }
    auto user = tx.get(ent::users, Scope::everything(), std::get<std::int64_t>(row->get(t, "user_id")));
    if (!user || is_disabled(*user)) {
      why = "password.account_disabled";
      return;
    }
    Principal as;  // the user, proving who they are by the link
    as.user_id = user->id;
    as.org_id = user->org_id;
    const Row before = *user;
    user->set(ent::users, "password_hash", hash);
    write_record(tx, as, ent::users, WriteKind::update, *user, &before, {*ent::users.index_of("password_hash")},
                 "user.updated");
    // Every session and token of the user ends, the link itself included: whoever held
    // the account before the reset holds it no more.
    revoke_tokens_of(tx, as, *user, 0);
  });
  if (why) throw refused(why);
  forget_sessions();
}

Page AccountService::list_tokens(const Principal& p, ListRequest request) {
  request.conditions.push_back({"user_id", domain::ListCondition::Test::equals, p.user_id});
  return list_page(store_, ent::api_tokens, Scope::org(p.org_id), request, [](const Row&) { return false; });
}

void AccountService::create_token(const Principal& p, json::object body, OutcomeCallback done) {
  if (!p.can_write) throw Problem::forbidden("this token is read-only");
  Row probe;
  std::string name, scope, expires;
  if (!checked(done, [&] {
        domain::apply_body(ent::api_tokens, body, probe, true, {});
        name = text_of(probe.get(ent::api_tokens, "name"));
        scope = text_of(probe.get(ent::api_tokens, "scope"));
        expires = text_of(probe.get(ent::api_tokens, "expires_at"));
        if (!expires.empty() && expires <= domain::now_instant())
          throw Problem::invalid("expires_at", "expires_at is in the past");
      }))
    return;
  if (scope.empty()) scope = "read-write";
  submit_outcome(store_,
          [this, p, name, scope, expires](storage::WriteTxn& tx) {
            Row row;
            const std::string token = issue_token(tx, p, "personal", name, scope, expires, row);
            json::object o = domain::encode_row(ent::api_tokens, row, false);
            o["token"] = token;  // shown this once; only its hash is kept
            return WriteOutcome{WriteOutcome::Kind::created, row.id, row.version, json::serialize(o), {}, {}};
          },
          std::move(done));
}

void AccountService::revoke_token(const Principal& p, std::int64_t id, OutcomeCallback done) {
  // A read-only token may end itself (logout), and change nothing else.
  if (!p.can_write && id != p.token_id) throw Problem::forbidden("this token is read-only");
  submit_outcome(store_,
          [this, p, id](storage::WriteTxn& tx) {
            auto row = tx.get(ent::api_tokens, Scope::org(p.org_id), id);
            const bool mine = row && row->get(ent::api_tokens, "user_id") == Value{p.user_id};
            if (!row || !(mine || p.manages_org())) refuse(WriteOutcome{WriteOutcome::Kind::not_found, id, 0, {}, {}, {}});
            revoke(tx, p, *row, domain::now_instant());
            return WriteOutcome{WriteOutcome::Kind::deleted, id, 0, {}, {}, {}};
          },
          forgetting_sessions(std::move(done)));
}

Page AccountService::list_users(const Principal& p, const ListRequest& q) {
  if (p.is_staff()) refuse_personal_conditions(ent::users, q);  // start-up users' emails are hidden from staff
  return list_page(store_, ent::users, users_visible(p), q, [&](const Row& r) { return hides_email(p, r); });
}

RecordRead AccountService::get_user(const Principal& p, std::int64_t id) {
  auto row = store_.get(ent::users, users_visible(p), id);
  if (!row) throw Problem::not_found();
  return RecordRead{domain::row_json(ent::users, *row, hides_email(p, *row)), row->id, row->version};
}

void AccountService::create_user(const Principal& p, json::object body, Idempotency key, OutcomeCallback done) {
  if (!p.can_write) throw Problem::forbidden("this token is read-only");
  if (!p.manages_org()) throw Problem::forbidden("only an org-admin manages users");
  std::int64_t org_id = p.org_id;
  if (auto it = body.find("org_id"); it != body.end()) {
    // The instance admin creates the users of any organisation; an org-admin may name
    // only their own (the default).
    if (!it->value().is_int64()) throw Problem::invalid("org_id", "org_id must be an integer");
    org_id = it->value().get_int64();
    if (!p.is_admin() && org_id != p.org_id)
      throw Problem(Problem::Kind::forbidden, "Forbidden", "only the instance admin adds users to another organisation",
                    "org_id");
    body.erase(it);
  }
  // Without a password the user cannot log in until they set one through a link
  // (POST /api/v1/users/{id}/password-link: an invitation).
  const std::string password = take_password(body);
  std::shared_ptr<const OrgSettings> org;
  try {
    org = orgs_.get(org_id);
  } catch (const Problem&) {
    throw Problem::invalid("org_id", "org_id: no organisation " + std::to_string(org_id));
  }
  auto row = std::make_shared<Row>();
  row->org_id = org_id;
  if (!checked(done, [&] {
        domain::apply_body(ent::users, body, *row, true, {});
        normalise_user_email(*row);
      }))
    return;
  if (storage::is_null(row->get(ent::users, "role"))) row->set(ent::users, "role", std::string("member"));
  if (storage::is_null(row->get(ent::users, "disabled"))) row->set(ent::users, "disabled", std::int64_t{0});
  if (storage::is_null(row->get(ent::users, "time_zone"))) row->set(ent::users, "time_zone", default_time_zone_);
  if (storage::is_null(row->get(ent::users, "locale"))) row->set(ent::users, "locale", default_locale_);
  check_role_grant(p, *org, row->get(ent::users, "role"));
  if (!password.empty()) row->set(ent::users, "password_hash", auth::hash_password(password));
  submit_outcome(store_,
          [p, row, key = std::move(key)](storage::WriteTxn& tx) {
            if (auto first = replayed(tx, p, key)) return *first;
            write_record(tx, p, ent::users, WriteKind::create, *row, nullptr,
                         set_fields(ent::users, *row), "user.created");
            WriteOutcome created = row_outcome(WriteOutcome::Kind::created, ent::users, *row);
            remember(tx, p, key, created);
            return created;
          },
          std::move(done));
}

void AccountService::update_user(const Principal& p, std::int64_t id, json::object body,
                                 std::optional<std::int64_t> expected_version, OutcomeCallback done) {
  if (!p.can_write) throw Problem::forbidden("this token is read-only");
  // A user the caller cannot see answers like a missing one; one it sees but may not change
  // is a 403. Checked here before a password is hashed, and again inside the write on the
  // row as it is then.
  const Scope visible = users_visible(p);
  auto target = store_.get(ent::users, visible, id);
  if (!target) throw Problem::not_found();
  check_account_change(p, *target, body);
  const std::string current = take_string(body, "current_password");
  const std::string password = take_password(body);
  const bool self = id == p.user_id;
  // An administrator resetting someone else's password does not know it.
  const std::string old_hash =
      self && !password.empty() ? verified_hash(*target, current) : std::string();
  const std::string hash = password.empty() ? std::string() : auth::hash_password(password);
  submit_outcome(store_,
          [this, p, id, visible, self, body = std::move(body), hash, old_hash,
           expected_version](storage::WriteTxn& tx) {
            auto row = tx.get(ent::users, visible, id);
            if (!row) refuse(WriteOutcome{WriteOutcome::Kind::not_found, id, 0, {}, {}, {}});
            if (expected_version && *expected_version != row->version)
              refuse(WriteOutcome{WriteOutcome::Kind::conflict, id, row->version, {},
                                  "the user changed since you read it", {}});
            check_account_change(p, *row, body);
            if (!old_hash.empty() && text_of(row->get(ent::users, "password_hash")) != old_hash)
              throw Problem::conflict("your password changed meanwhile; try again", "current_password");
            const Row before = *row;
            auto changed = domain::apply_body(ent::users, body, *row, false, {});
            if (body.contains("email")) normalise_user_email(*row);
            if (body.contains("role")) check_role_grant(p, *orgs_.get(row->org_id), row->get(ent::users, "role"));
            if (!hash.empty()) {
              row->set(ent::users, "password_hash", hash);
              changed.push_back(*ent::users.index_of("password_hash"));
            }
            if (changed.empty()) return row_outcome(WriteOutcome::Kind::updated, ent::users, *row);
            write_record(tx, p, ent::users, WriteKind::update, *row, &before, changed, "user.updated");
            // A new password, a disable and a re-enable end every session and token of the
            // user: nobody keeps an account through a token got before (re-enabling does not
            // revive the tokens of a disable, even one from before revocations existed). The
            // token changing its own password stays valid.
            if (!hash.empty() || is_disabled(before) || is_disabled(*row))
              revoke_tokens_of(tx, p, *row, self ? p.token_id : 0);
            return row_outcome(WriteOutcome::Kind::updated, ent::users, *row);
          },
          forgetting_sessions(std::move(done)));
}

void AccountService::disable_user(const Principal& p, std::int64_t id, std::optional<std::int64_t> expected_version,
                                  OutcomeCallback done) {
  json::object body{{"disabled", true}};
  if (id == p.user_id) throw Problem::conflict("you cannot disable yourself");
  update_user(p, id, std::move(body), expected_version, std::move(done));
}

Page AccountService::list_organisations(const Principal& p, const ListRequest& q) {
  const Scope scope = p.is_admin() || p.is_staff() ? Scope::everything() : Scope::org(p.org_id);
  return list_page(store_, ent::organisations, scope, q, [](const Row&) { return false; });
}

RecordRead AccountService::get_organisation(const Principal& p, std::int64_t id) {
  const Scope scope = p.is_admin() || p.is_staff() ? Scope::everything() : Scope::org(p.org_id);
  auto row = store_.get(ent::organisations, scope, id);
  if (!row) throw Problem::not_found();
  return RecordRead{domain::row_json(ent::organisations, *row, false), row->id, row->version};
}

void AccountService::create_organisation(const Principal& p, json::object body, Idempotency key,
                                         OutcomeCallback done) {
  if (!p.can_write) throw Problem::forbidden("this token is read-only");
  if (!p.is_admin()) throw Problem::forbidden("only the instance admin creates organisations");
  auto row = std::make_shared<Row>();
  if (!checked(done, [&] {
        domain::apply_body(ent::organisations, body, *row, true, {});
        if (storage::is_null(row->get(ent::organisations, "kind")))
          row->set(ent::organisations, "kind", std::string("startup"));
        check_stages(*row);
      }))
    return;
  submit_outcome(store_,
          [p, row, key = std::move(key)](storage::WriteTxn& tx) {
            if (auto first = replayed(tx, p, key)) return *first;
            write_record(tx, p, ent::organisations, WriteKind::create, *row, nullptr,
                         set_fields(ent::organisations, *row), "organisation.created");
            WriteOutcome created = row_outcome(WriteOutcome::Kind::created, ent::organisations, *row);
            remember(tx, p, key, created);
            return created;
          },
          std::move(done));
}

void AccountService::update_organisation(const Principal& p, std::int64_t id, json::object body,
                                         std::optional<std::int64_t> expected_version,
                                         OutcomeCallback done) {
  if (!p.can_write) throw Problem::forbidden("this token is read-only");
  if (!(p.is_admin() || (p.manages_org() && id == p.org_id))) {
    const bool visible = id == p.org_id ||
                         (p.is_staff() && store_.get(ent::organisations, Scope::everything(), id));
    if (visible) throw Problem::forbidden("only an org-admin changes the organisation");
    throw Problem::not_found();
  }
  submit_outcome(store_,
          [this, p, id, body = std::move(body), expected_version](storage::WriteTxn& tx) {
            auto row = tx.get(ent::organisations, Scope::everything(), id);
            if (!row) refuse(WriteOutcome{WriteOutcome::Kind::not_found, id, 0, {}, {}, {}});
            if (expected_version && *expected_version != row->version)
              refuse(WriteOutcome{WriteOutcome::Kind::conflict, id, row->version, {},
                                  "the organisation changed since you read it", {}});
            const Row before = *row;
            auto changed = domain::apply_body(ent::organisations, body, *row, false, {});
            check_stages(*row);
            if (!changed.empty())
              write_record(tx, p, ent::organisations, WriteKind::update, *row, &before, changed,
                           "organisation.updated");
            return row_outcome(WriteOutcome::Kind::updated, ent::organisations, *row);
          },
          [this, id, done = std::move(done)](std::exception_ptr err, WriteOutcome outcome) {
            orgs_.forget(id);  // after the commit, so no read of the old row is cached again
            done(err, std::move(outcome));
          });
}

Page AccountService::audit_log(const Principal& p, const IdPaging& paging) {
  if (!p.manages_org()) throw Problem::forbidden("the audit log is for org-admins");
  auto records = store_.audit_log(p.org_id, paging.before_id, paging.limit + 1);
  Page page;
  const bool more = records.size() > paging.limit;
  if (more) records.pop_back();
  for (const auto& r : records) {
    boost::system::error_code ec;
    json::value changes = json::parse(r.entry.changes, ec);
    page.add() += json::serialize(json::object{{"id", r.id},
                                               {"at", r.at},
                                               {"user_id", r.entry.user_id},
                                               {"action", r.entry.action},
                                               {"entity", r.entry.entity},
                                               {"entity_id", r.entry.entity_id},
                                               {"changes", ec ? json::value() : changes}});
  }
  page.close();
  if (more) page.next = ListPosition{storage::Null{}, records.back().id};
  return page;
}

}  // namespace relance::services
