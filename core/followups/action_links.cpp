#include "followups/action_links.hpp"

#include <sodium.h>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <stdexcept>

#include "auth/key_file.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/typed_instant.hpp"

namespace relance::followups {
namespace {

const char* name_of(LinkAction a) { return a == LinkAction::done ? "done" : "snooze"; }

std::string read_or_make_key(const std::string& path) {
  // A key file of another length (an older daemon's, or damaged) is replaced: links signed
  // with it stop working, which is all a lost key costs here.
  try {
    if (auto key = auth::read_key_file(path, crypto_auth_hmacsha256_KEYBYTES)) return *key;
  } catch (const std::runtime_error&) {
  }
  return auth::create_key_file(path, crypto_auth_hmacsha256_KEYBYTES);
}

}  // namespace

ActionLinks::ActionLinks(const std::string& key_file, std::string base_url, std::chrono::hours valid_for)
    : key_(read_or_make_key(key_file)), base_url_(std::move(base_url)), valid_for_(valid_for) {}

std::string ActionLinks::sign(const LinkTarget& t, const std::string& action, std::int64_t expires) const {
  const std::string message = "relance.link/2|" + std::to_string(t.followup_id) + "|" + action + "|" + t.due_at + "|" +
                              std::to_string(t.version) + "|" + std::to_string(t.recipient_id) + "|" +
                              std::to_string(expires);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         reinterpret_cast<const unsigned char*>(key_.data()));
  return domain::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

std::string ActionLinks::url(const LinkTarget& t, LinkAction action) const {
  const auto expires = std::chrono::duration_cast<std::chrono::seconds>(
                           (domain::Clock::now() + valid_for_).time_since_epoch())
                           .count();
  return base_url_ + "/api/v1/followups/" + std::to_string(t.followup_id) + "/action?do=" + name_of(action) +
         "&due=" + boost::urls::encode(t.due_at, boost::urls::unreserved_chars) + "&v=" + std::to_string(t.version) +
         "&to=" + std::to_string(t.recipient_id) + "&exp=" + std::to_string(expires) +
         "&sig=" + sign(t, name_of(action), expires);
}

VerifiedLink ActionLinks::authenticate(std::int64_t followup_id, const LinkQuery& q, domain::Locale locale) const {
  if (q.action != "done" && q.action != "snooze") throw Problem::bad_request(domain::message(locale, "link.bad_action"), "do");
  const auto exp = domain::parse_int64(q.expires);
  const auto version = domain::parse_int64(q.version);
  const auto recipient = domain::parse_int64(q.recipient);
  if (!exp || !version || !recipient || q.due.empty() || q.signature.empty())
    throw Problem::bad_request(domain::message(locale, "link.incomplete"));
  const LinkTarget target{followup_id, q.due, *version, *recipient};
  const std::string expected = sign(target, q.action, *exp);
  // Constant time: a forger learns nothing from how long the refusal takes.
  if (expected.size() != q.signature.size() ||
      sodium_memcmp(expected.data(), q.signature.data(), expected.size()) != 0)
    throw Problem(Problem::Kind::forbidden, "Forbidden", domain::message(locale, "link.forged"));
  return VerifiedLink{target, q.action == "done" ? LinkAction::done : LinkAction::snooze};
}

VerifiedLink ActionLinks::verify(std::int64_t followup_id, const LinkQuery& q, domain::Locale locale) const {
  VerifiedLink link = authenticate(followup_id, q, locale);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(domain::Clock::now().time_since_epoch()).count();
  const std::int64_t expires = *domain::parse_int64(q.expires);  // authenticate() read it
  if (expires < now) {
    const domain::Clock::time_point at{std::chrono::seconds(expires)};
    throw Problem(Problem::Kind::expired, "Gone", domain::message(locale, "link.expired", {domain::local_time_text(at, "UTC")}));
  }
  return link;
}

std::string ActionLinks::origin() const {
  const auto scheme_end = base_url_.find("://");
  if (scheme_end == std::string::npos) return base_url_;
  return base_url_.substr(0, base_url_.find('/', scheme_end + 3));
}

}  // namespace relance::followups
