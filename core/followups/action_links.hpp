// ActionLinks: the "mark done" and "snooze a day" links of a reminder email. A link carries
// the follow-up, the action, the due instant and version the follow-up had when the email
// was made, the user it was sent to, and an expiry, signed with a key only the daemon holds
// (HMAC-SHA-256, libsodium): following it needs no login, a forged, altered or expired link
// changes nothing, and a link made before the follow-up moved or was edited no longer acts.
//
// The key lives in the data directory (link-signing.key, mode 0600), made on first use:
// links stay valid across restarts, and deleting the file revokes every link out there.
//
// Thread safety: immutable after construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "domain/messages.hpp"

namespace relance::followups {

enum class LinkAction { done, snooze };

// What a link is bound to: the follow-up as it was when the email was made, and the user
// the email went to (the link acts as them).
struct LinkTarget {
  std::int64_t followup_id = 0;
  std::string due_at;  // storage form
  std::int64_t version = 0;
  std::int64_t recipient_id = 0;
};

// The query of a followed link, as received: do, due, v, to, exp, sig.
struct LinkQuery {
  std::string action, due, version, recipient, expires, signature;
};

struct VerifiedLink {
  LinkTarget target;
  LinkAction action = LinkAction::done;
};

class ActionLinks {
 public:
  // `base_url`: where users reach the daemon ("https://crm.example.org", no trailing slash).
  ActionLinks(const std::string& key_file, std::string base_url, std::chrono::hours valid_for);

  std::string url(const LinkTarget& target, LinkAction action) const;

  // Checks the form and the signature of a link for `followup_id`, not its expiry: whom an
  // authentic link was sent to, even once expired (its page still speaks their language).
  // Throws Problem 403 (forged or altered) or 400 (malformed), saying why in `locale`.
  VerifiedLink authenticate(std::int64_t followup_id, const LinkQuery& query,
                            domain::Locale locale = domain::Locale::en) const;

  // authenticate(), then the expiry: Problem 410 when it is past.
  VerifiedLink verify(std::int64_t followup_id, const LinkQuery& query,
                      domain::Locale locale = domain::Locale::en) const;

  // "https://crm.example.org": the origin the links' pages are served from.
  std::string origin() const;

  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }

 private:
  std::string sign(const LinkTarget& target, const std::string& action, std::int64_t expires) const;

  std::string key_;
  std::string base_url_;
  std::chrono::hours valid_for_;
};

}  // namespace relance::followups
