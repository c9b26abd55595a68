// The pieces of an Internet message the reminders are made of: addresses (RFC 5321/5322),
// header fields with RFC 2047 encoded-words for UTF-8, quoted-printable and base64 bodies
// (RFC 2045), multipart entities (RFC 2046). Every line ends with CRLF and stays far below
// the 998-octet limit: header fields are folded, bodies encoded in lines of at most 76.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace email_reminder::mime {

struct Mailbox {
  std::string name;     // display name, UTF-8, may be empty
  std::string address;  // addr-spec
};

// "Name <a@b.c>", "\"Name\" <a@b.c>" or "a@b.c"; nullopt when no valid address is found.
std::optional<Mailbox> parse_mailbox(std::string_view text);

// An addr-spec we can put on the envelope: printable ASCII, one '@', a local part without
// specials or white space, a valid domain (valid_domain).
bool valid_address(std::string_view address);
// Dot-separated labels of letters, digits and '-', not starting or ending with '-'.
bool valid_domain(std::string_view domain);

// "Name: value\r\n": `value` (UTF-8, control characters turned into spaces) as it is when
// it is short printable ASCII, else as RFC 2047 "B" encoded-words, folded.
std::string header(std::string_view name, std::string_view value);
// "Name: Display <address>\r\n" with the display name quoted or encoded as needed.
std::string address_header(std::string_view name, const Mailbox& mailbox);

// RFC 5322 date-time of `ms` since the epoch, in UTC: "Sun, 29 Mar 2026 07:00:00 +0000".
std::string date(int64_t ms);

// Body encodings. `text` has "\n" (or "\r\n") line ends; the result CRLF ones.
std::string quoted_printable(std::string_view text);
std::string base64(std::string_view bytes);

// An entity: header fields, an empty line, the body.
struct Entity {
  std::string headers;  // complete lines, CRLF
  std::string body;
  std::string bytes() const { return headers + "\r\n" + body; }
};

// A UTF-8 text part ("plain", "html") in quoted-printable.
Entity text(std::string_view subtype, std::string_view content);
// A multipart entity ("alternative", "mixed") of `parts`, separated by `boundary`, which
// must appear in none of them (a boundary starting "=_" cannot appear in quoted-printable
// or base64 bodies).
Entity multipart(std::string_view subtype, std::string_view boundary, const std::vector<Entity>& parts);

}  // namespace email_reminder::mime
