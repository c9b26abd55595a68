// Sending a message over SMTP with libcurl: one easy handle per instance, reused from one
// message to the next (and with it the connection, while the server keeps it open).
//
// Failures become relance::Error with the status the daemon acts on, and a reason an admin
// can act on (with the server's own reply when there is one):
//   RELANCE_RETRY    no connection (refused, unreachable, DNS, refused by the daemon's
//                    outbound policy), a timeout, a TLS failure
//                    (handshake, certificate, STARTTLS required but not offered), a 4xx
//                    reply (451, 452...), authentication refused (535) or required (530),
//                    a 5xx reply to the greeting, EHLO or STARTTLS (all settings or server
//                    problems, not the message's: retried, then dead-lettered and
//                    replayable after a fix)
//   RELANCE_INVALID  a 5xx reply to MAIL FROM, RCPT TO or the message itself (550 mailbox
//                    unavailable, 552 too big, 554 rejected): this message will never go
//
// Every address the server's name resolves to is put to the daemon's outbound policy
// (relance.host.outbound/1) before libcurl may connect to it: an org-admin must not reach
// the daemon's own host, the local network or a metadata service through the settings.
// For the same reason a failure before the server's greeting (nothing listens, something
// else than SMTP listens, TLS of smtps:// fails, a timeout) has one reason only, "could not
// reach the SMTP server at HOST:PORT": the errors an org-admin reads must not tell a closed
// port from an open one. libcurl's own words go to the daemon's log, for the operator.
#pragma once

#include <curl/curl.h>
#include <relance/plugin.hpp>

#include <string>

#include "settings.hpp"

namespace email_reminder {

class Smtp {
 public:
  // Throws relance::Error(RELANCE_FATAL) without a libcurl handle or an outbound policy.
  Smtp(const Settings& settings, const relance::Host& host);
  ~Smtp();
  Smtp(const Smtp&) = delete;
  Smtp& operator=(const Smtp&) = delete;

  // Sends `data` (a whole message, CRLF lines) from `from` to `recipient` (addr-specs).
  void send(const std::string& from, const std::string& recipient, const std::string& data);
  // The server's reply to the last message sent ("250 2.0.0 Ok: queued as 12345"), "" before.
  const std::string& accepted() const { return accepted_; }
  // "host:port" of the server.
  const std::string& server() const { return server_; }

 private:
  static size_t read(char* buffer, size_t size, size_t count, void* self);
  static int trace(CURL* handle, curl_infotype type, char* data, size_t size, void* self);
  static curl_socket_t open_socket(void* self, curlsocktype purpose, curl_sockaddr* address);

  CURL* curl_ = nullptr;
  relance::Host host_;
  std::string url_;
  std::string server_;  // "host:port", for the reasons an org-admin reads
  char error_[CURL_ERROR_SIZE]{};
  // The message being sent.
  const std::string* data_ = nullptr;
  size_t sent_ = 0;
  // The conversation, from the trace: the last command sent, and the first failure reply
  // (4xx or 5xx) with the command it answered. libcurl closes a failed session with QUIT,
  // whose "221" must not hide the reply that failed it.
  std::string command_;
  std::string failure_, failed_command_;
  std::string accepted_;  // the 2xx reply to the message itself
  bool replied_ = false;  // the server said something (its greeting, or a reply on a reused connection)
  // The addresses libcurl was about to connect to: refused by the outbound policy, or opened.
  int refused_ = 0, opened_ = 0;
};

}  // namespace email_reminder
