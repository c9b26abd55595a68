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
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/principal.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/secrets.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"
#include "services/record_service.hpp"
#include "services/write_outcome.hpp"

namespace relance::services {

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
  AccountService(storage::Store& store, OrgDirectory& orgs, std::string default_time_zone = "Europe/Paris");

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

  // Personal API tokens.
  Page list_tokens(const auth::Principal& p);
  void create_token(const auth::Principal& p, boost::json::object body, OutcomeCallback done);
  void revoke_token(const auth::Principal& p, std::int64_t id, OutcomeCallback done);

  // Users of an organisation.
  Page list_users(const auth::Principal& p, const ListRequest& request);
  RecordRead get_user(const auth::Principal& p, std::int64_t id);
  void create_user(const auth::Principal& p, boost::json::object body, OutcomeCallback done);
  void update_user(const auth::Principal& p, std::int64_t id, boost::json::object body,
                   std::optional<std::int64_t> expected_version, OutcomeCallback done);
  void disable_user(const auth::Principal& p, std::int64_t id, OutcomeCallback done);

  // Organisations.
  Page list_organisations(const auth::Principal& p, const ListRequest& request);
  RecordRead get_organisation(const auth::Principal& p, std::int64_t id);
  void create_organisation(const auth::Principal& p, boost::json::object body, OutcomeCallback done);
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
  std::string issue_token(storage::WriteTxn& tx, const auth::Principal& as, std::string kind,
                          std::string name, std::string scope, std::string expires_at,
                          storage::Row& row);

  storage::Store& store_;
  OrgDirectory& orgs_;
  std::string default_time_zone_;
  auth::RateLimiter by_email_;
  auth::RateLimiter by_address_;
  std::shared_mutex cache_mu_;
  std::unordered_map<auth::TokenDigest, Cached, auth::TokenDigestHash> cache_;
  std::uint64_t generation_ = 0;  // bumped (under cache_mu_) whenever accounts change
};

}  // namespace relance::services
