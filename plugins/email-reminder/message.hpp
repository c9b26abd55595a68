// The two emails, built from the event documents (relance.event/1):
//
//   followup.due  to the assignee: what is due, when in their zone and in the contact's,
//                 the lead, the contact, the notes, "Mark done" and "Snooze one day" links;
//                 text and HTML (multipart/alternative) plus the follow-up as an .ics VTODO,
//                 all in multipart/mixed
//   digest.due    to the user: today's follow-ups, the overdue ones, the stale leads, text
//                 and HTML; nothing at all when the three lists are empty
//   region_digest.due  to a region staff member, weekly: the start-ups' new outcomes, their
//                 stale leads (counts) and the start-ups without activity; nothing when the
//                 three lists are empty
//
// In the recipient's locale: French for "fr" and "fr-*", English otherwise. The Message-ID is
// <relance.event.<event id>@<domain>>, the same on every delivery of the event, so that a
// redelivery is recognisable (and dropped by servers and clients that deduplicate).
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "mime.hpp"

namespace email_reminder {

struct Context {
  mime::Mailbox from;
  std::string message_id_domain;
  int64_t now_ms = 0;  // the Date header and the VTODO's DTSTAMP
};

struct Outgoing {
  std::string recipient;  // the envelope's RCPT TO
  std::string data;       // the whole message, CRLF lines
};

// Throw relance::Error(RELANCE_INVALID, reason) for a document no email can come of (no
// recipient with a valid address, a missing follow-up); nullopt: nothing to send.
std::optional<Outgoing> followup_due(const boost::json::object& document, int64_t event_id, const Context& context);
std::optional<Outgoing> digest_due(const boost::json::object& document, int64_t event_id, const Context& context);
std::optional<Outgoing> region_digest_due(const boost::json::object& document, int64_t event_id, const Context& context);
// A short message, in English and French, that proves the settings work (an administrator's
// test, relance.self-test/1), to `to`.
Outgoing test_message(const mime::Mailbox& to, const Context& context);

}  // namespace email_reminder
