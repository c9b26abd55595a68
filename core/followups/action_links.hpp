// ActionLinks: the "mark done" and "snooze a day" links of a reminder email. A link carries
// the follow-up, the action, the due instant it was made for and an expiry, signed with a
// key only the daemon holds (HMAC-SHA-256, libsodium), so that following it needs no login
// and a forged, altered or expired link changes nothing.
//
// The key lives in the data directory (link-signing.key, mode 0600), made on first use:
// links stay valid across restarts, and deleting the file revokes every link out there.
//
// Thread safety: immutable after construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace relance::followups {

enum class LinkAction { done, snooze };

struct VerifiedLink {
  std::int64_t followup_id = 0;
  LinkAction action = LinkAction::done;
  std::string due_at;  // the due instant the link was made for (storage form)
};

class ActionLinks {
 public:
  // `base_url`: where users reach the daemon ("https://crm.example.org", no trailing slash).
  ActionLinks(const std::string& key_file, std::string base_url, std::chrono::hours valid_for);

  std::string url(std::int64_t followup_id, LinkAction action, const std::string& due_at) const;

  // Checks the query of a link for `followup_id`; throws Problem 403 (forged or altered),
  // 410 (expired) or 400 (malformed), saying which.
  VerifiedLink verify(std::int64_t followup_id, const std::string& action, const std::string& due,
                      const std::string& expires, const std::string& signature) const;

  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }

 private:
  std::string sign(std::int64_t followup_id, const std::string& action, const std::string& due,
                   std::int64_t expires) const;

  std::string key_;
  std::string base_url_;
  std::chrono::hours valid_for_;
};

}  // namespace relance::followups
