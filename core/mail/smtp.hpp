// The instance's own outbound mail: one message through the SMTP server of relance.toml's
// [mail] section (set-password links), with libcurl. Plugins send their own mail with their
// own settings; this is the daemon's, set by its operator, so the outbound policy of
// plugins does not apply to it.
//
// Thread safety: send() may be called from any thread; each call opens its own connection.
#pragma once

#include <chrono>
#include <string>

namespace relance::mail {

struct SmtpSettings {
  std::string url;        // smtp://host:587 (STARTTLS unless starttls = false) or smtps://host:465
  std::string from;       // the envelope and From: address
  std::string username;   // empty: no AUTH
  std::string password;   // a secret: never logged, never in an error message
  bool starttls = true;   // on smtp://, refuse to send without STARTTLS
  std::chrono::milliseconds timeout{15000};

  bool configured() const { return !url.empty(); }
};

struct Message {
  std::string to;
  std::string subject;  // UTF-8
  std::string text;     // UTF-8, CRLF line ends
};

// Checks settings read from the configuration: throws std::invalid_argument naming the key.
void check_settings(const SmtpSettings& s);

// Sends `m`; throws std::runtime_error with the server's reply or the connection's failure
// (never a credential).
void send(const SmtpSettings& s, const Message& m);

}  // namespace relance::mail
