// Internet message pieces: see mime.hpp.
#include "mime.hpp"

#include <chrono>
#include <cstdio>

namespace email_reminder::mime {

namespace {

bool is_ascii_printable(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Control characters (CR and LF above all: header injection) become spaces.
std::string without_controls(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == '\x7F') c = ' ';
  return out;
}

constexpr char base64_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void append_base64(std::string& out, std::string_view bytes) {
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out += base64_digits[n >> 18 & 63];
    out += base64_digits[n >> 12 & 63];
    out += base64_digits[n >> 6 & 63];
    out += base64_digits[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += base64_digits[n >> 18 & 63];
    out += base64_digits[n >> 12 & 63];
    out += i + 1 < bytes.size() ? base64_digits[n >> 6 & 63] : '=';
    out += '=';
  }
}

// RFC 2047 "B" encoded-words of `text`, each of at most 39 octets of UTF-8 (52 characters
// of base64, 64 with the delimiters), never splitting a character, separated by `separator`.
std::string encoded_words(std::string_view text, std::string_view separator) {
  std::string out;
  while (!text.empty()) {
    std::size_t cut = text.size() < 39 ? text.size() : 39;
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0) cut = text.size() < 39 ? text.size() : 39;  // not UTF-8: cut anyway
    if (!out.empty()) out += separator;
    out += "=?UTF-8?B?";
    append_base64(out, text.substr(0, cut));
    out += "?=";
    text.remove_prefix(cut);
  }
  return out;
}

bool is_atext(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 'a' && u <= 'z') return true;
  if (u >= 'A' && u <= 'Z') return true;
  if (u >= '0' && u <= '9') return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

}  // namespace

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      if (label == 0 || label > 63 || domain[i - 1] == '-' || domain[i - label] == '-') return false;
      label = 0;
      continue;
    }
    const char c = domain[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
    ++label;
  }
  return true;
}

bool valid_address(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || address.size() > 254) return false;
  const std::string_view local = address.substr(0, at);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  for (const char c : local)
    if (c != '.' && !is_atext(c)) return false;
  return valid_domain(address.substr(at + 1));
}

std::optional<Mailbox> parse_mailbox(std::string_view text) {
  text = trim(text);
  const auto open = text.rfind('<');
  if (open == std::string_view::npos) {
    if (!valid_address(text)) return std::nullopt;
    return Mailbox{"", std::string(text)};
  }
  if (text.back() != '>') return std::nullopt;
  const std::string_view address = text.substr(open + 1, text.size() - open - 2);
  if (!valid_address(address)) return std::nullopt;
  std::string_view name = trim(text.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  std::string unquoted;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '\\' && i + 1 < name.size()) ++i;
    unquoted += name[i];
  }
  return Mailbox{without_controls(unquoted), std::string(address)};
}

std::string header(std::string_view name, std::string_view value) {
  const std::string clean = without_controls(value);
  std::string out(name);
  out += ": ";
  // Short printable ASCII without anything a reader would take for an encoded-word stays
  // as it is; the rest is encoded, one word per folded line.
  if (is_ascii_printable(clean) && clean.size() + name.size() + 2 <= 78 && clean.find("=?") == std::string::npos)
    out += clean;
  else
    out += encoded_words(clean, "\r\n ");
  out += "\r\n";
  return out;
}

std::string address_header(std::string_view name, const Mailbox& mailbox) {
  std::string out(name);
  out += ": ";
  const std::string display = without_controls(mailbox.name);
  if (!display.empty()) {
    if (is_ascii_printable(display) && display.find("=?") == std::string::npos) {
      out += '"';
      for (const char c : display) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
    } else {
      out += encoded_words(display, "\r\n ");
    }
    out += "\r\n <";  // folded: the address on a line of its own
    out += mailbox.address;
    out += '>';
  } else {
    out += mailbox.address;
  }
  out += "\r\n";
  return out;
}

std::string date(int64_t ms) {
  using namespace std::chrono;
  const sys_seconds t{seconds{ms >= 0 ? ms / 1000 : (ms - 999) / 1000}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss<seconds> hms(t - day);
  static constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d +0000", weekdays[weekday(day).c_encoding()],
                static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return text;
}

std::string quoted_printable(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t column = 0;
  auto put = [&](std::string_view piece) {  // a literal character or an =XX triplet
    if (column + piece.size() > 75) {       // 75 and the soft break's '=' make 76
      out += "=\r\n";
      column = 0;
    }
    out += piece;
    column += piece.size();
  };
  while (true) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      const bool literal = (c >= 33 && c <= 126 && c != '=' && !(c == '.' && column == 0)) ||
                           ((c == ' ' || c == '\t') && !last);
      if (literal) {
        const char one[1] = {static_cast<char>(c)};
        put(std::string_view(one, 1));
      } else {
        const char triplet[3] = {'=', hex[c >> 4], hex[c & 15]};
        put(std::string_view(triplet, 3));
      }
    }
    if (end == std::string_view::npos) break;
    out += "\r\n";
    column = 0;
    text.remove_prefix(end + 1);
  }
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out;
  while (!bytes.empty()) {
    const std::size_t n = bytes.size() < 57 ? bytes.size() : 57;  // 57 octets: 76 characters
    append_base64(out, bytes.substr(0, n));
    out += "\r\n";
    bytes.remove_prefix(n);
  }
  return out;
}

Entity text(std::string_view subtype, std::string_view content) {
  Entity e;
  e.headers = "Content-Type: text/" + std::string(subtype) + "; charset=UTF-8\r\n" +
              "Content-Transfer-Encoding: quoted-printable\r\n";
  e.body = quoted_printable(content);
  if (e.body.size() < 2 || e.body.compare(e.body.size() - 2, 2, "\r\n") != 0) e.body += "\r\n";
  return e;
}

Entity multipart(std::string_view subtype, std::string_view boundary, const std::vector<Entity>& parts) {
  Entity e;
  e.headers = "Content-Type: multipart/" + std::string(subtype) + ";\r\n boundary=\"" + std::string(boundary) + "\"\r\n";
  for (const Entity& part : parts) {
    e.body += "--" + std::string(boundary) + "\r\n";
    e.body += part.bytes();
  }
  e.body += "--" + std::string(boundary) + "--\r\n";
  return e;
}

}  // namespace email_reminder::mime
