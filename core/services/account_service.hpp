// AccountService: organisations, users, login, sessions and personal API tokens, and the
// resolution of a bearer token into a Principal on every request.
//
// Tokens are random and kept only as a hash; a resolved token is cached for a short time
// so that a request costs no database read for it, and the cache is cleared whenever a
// token, a user or an organisation changes.
//
// Thread safety: all members may be called concurrently.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/messages.hpp"
#include "auth/principal.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/secrets.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"
#include "services/record_service.hpp"
#include "services/write_outcome.hpp"

namespace relance::services {

// Set-password links (invitations and resets). What the link leads to, how long it works,
// and how it is sent: `send` is empty when the instance has no outbound mail setting, and
// then a link is only given to the administrator who asked for it.
struct OutgoingMail {
  std::string to, subject, text;
};
using MailSender = std::function<void(const OutgoingMail&)>;  // throws std::exception with why
struct PasswordLinkOptions {
  std::string base_url;  // "https://crm.example.org": the link is BASE/api/v1/auth/password?token=...
  std::chrono::seconds invite_validity = std::chrono::hours(72);
  std::chrono::seconds reset_validity = std::chrono::hours(1);
  MailSender send;
};
struct PasswordLink {
  std::string link;
  std::string expires_at;
  bool emailed = false;
  std::string mail_error;  // why it was not emailed, when there is a mail setting
};

struct LoginResult {
  std::string token;
  std::string expires_at;
  boost::json::object user;
};

// The pipeline of an organisation created without pipeline_stages, in order: the stages its
// leads move through until it sets its own (OrgDirectory applies it).
std::span<const std::string_view> default_pipeline_stages();

class AccountService {
 public:
  static constexpr auto session_lifetime = std::chrono::hours(12);
  static constexpr std::size_t min_password_length = 10;

  // `default_time_zone`: the zone of a user created without one (the daemon's
  // followups.default_time_zone, the one the reminders already assume for such users).
  // `default_locale`: the language of a user created without one (accounts.default_locale).
  AccountService(storage::Store& store, OrgDirectory& orgs, std::string default_time_zone = "Europe/Paris",
                 std::string default_locale = "fr");

  // First start: creates the region's organisation and the instance admin, once.
  // Returns false when the instance already has users.
  bool bootstrap(const std::string& admin_email, const std::string& password);

  // Bearer token -> who. Throws Problem 401 when unknown, expired, revoked or disabled.
  auth::Principal authenticate(std::string_view bearer_token);

  // Throws Problem 401 on bad credentials, 429 after too many failures.
  LoginResult login(const std::string& email, const std::string& password,
                    const std::string& client_address);
  void logout(const auth::Principal& p, OutcomeCallback done);

  boost::json::object me(const auth::Principal& p);

  // Set-password links: one-time, expiring tokens kept only as a hash (api_tokens of kind
  // "password", never valid as a bearer token). Each new link of a user revokes the earlier
  // ones; using one sets the password and ends every session and token of the user.
  void set_password_links(PasswordLinkOptions options);
  // A link for user `id`, given to `p` (who may change that account) and emailed to the
  // user when mail is set up: an invitation when the user never had a password.
  PasswordLink issue_password_link(const auth::Principal& p, std::int64_t id);
  // Someone asks for a reset of the account of `email`. `answer` is called once the request
  // is accepted, before the account is looked up: whether it exists is not told, by the
  // answer nor by its time. The link is emailed when mail is set up and the account is
  // enabled. Throws Problem 429 (before `answer`) past 5 requests for an email, or 50 from
  // an address, in 15 minutes.
  void request_password_reset(const std::string& email, const std::string& client_address,
                              const std::function<void()>& answer);
  // Sets the password of the link's user. Throws Problem expired (used, outdated or unknown
  // links alike but for the words), 422 for a bad password, 429 after too many bad links;
  // their sentences in `locale` (the language of the person at the link's page).
  void set_password_with_link(const std::string& token, const std::string& password,
                              const std::string& client_address, domain::Locale locale = domain::Locale::en);

  // Personal API tokens.
  Page list_tokens(const auth::Principal& p, ListRequest request);
  void create_token(const auth::Principal& p, boost::json::object body, OutcomeCallback done);
  void revoke_token(const auth::Principal& p, std::int64_t id, OutcomeCallback done);

  // Users of an organisation.
  Page list_users(const auth::Principal& p, const ListRequest& request);
  RecordRead get_user(const auth::Principal& p, std::int64_t id);
  // A create retried with its Idempotency-Key answers the first one's user (or organisation).
  void create_user(const auth::Principal& p, boost::json::object body, Idempotency key, OutcomeCallback done);
  void update_user(const auth::Principal& p, std::int64_t id, boost::json::object body,
                   std::optional<std::int64_t> expected_version, OutcomeCallback done);
  void disable_user(const auth::Principal& p, std::int64_t id, std::optional<std::int64_t> expected_version,
                    OutcomeCallback done);

  // Organisations.
  Page list_organisations(const auth::Principal& p, const ListRequest& request);
  RecordRead get_organisation(const auth::Principal& p, std::int64_t id);
  void create_organisation(const auth::Principal& p, boost::json::object body, Idempotency key,
                           OutcomeCallback done);
  void update_organisation(const auth::Principal& p, std::int64_t id, boost::json::object body,
                           std::optional<std::int64_t> expected_version, OutcomeCallback done);

  // The organisation's audit log, newest first (org-admin and admin).
  Page audit_log(const auth::Principal& p, const IdPaging& paging);

 private:
  struct Cached {
    auth::Principal principal;
    std::optional<std::chrono::system_clock::time_point> expires;  // of the token
    std::chrono::steady_clock::time_point cached_at;
  };

  void forget_sessions();
  OutcomeCallback forgetting_sessions(OutcomeCallback done);
  // The password hash of `user`, once `current` was checked against it: changing one's own
  // password needs the current one, so that a session left open does not give the account
  // away. 403 naming current_password when missing or wrong; 429 after too many wrong ones.
  std::string verified_hash(const storage::Row& user, const std::string& current);
  // A new token of `owner` (default: `as`), written as `as`'s doing; returns its secret.
  std::string issue_token(storage::WriteTxn& tx, const auth::Principal& as, std::string kind,
                          std::string name, std::string scope, std::string expires_at,
                          storage::Row& row, const auth::Principal* owner = nullptr);

  std::shared_ptr<const PasswordLinkOptions> link_options();
  // Issues a link for `user` in `tx` (revoking the user's earlier links); returns the token.
  std::string issue_link(storage::WriteTxn& tx, const auth::Principal& as, const storage::Row& user,
                         const std::string& expires_at);
  PasswordLink send_link(const storage::Row& user, const std::string& token, const std::string& expires_at,
                         bool invitation);

  storage::Store& store_;
  OrgDirectory& orgs_;
  std::string default_time_zone_;
  std::string default_locale_;
  auth::RateLimiter by_email_;
  auth::RateLimiter by_address_;
  auth::RateLimiter resets_by_email_;
  auth::RateLimiter resets_by_address_;
  std::mutex links_mu_;
  std::shared_ptr<const PasswordLinkOptions> links_ = std::make_shared<PasswordLinkOptions>();  // under links_mu_
  std::shared_mutex cache_mu_;
  std::unordered_map<auth::TokenDigest, Cached, auth::TokenDigestHash> cache_;
  std::uint64_t generation_ = 0;  // bumped (under cache_mu_) whenever accounts change
};

}  // namespace relance::services
