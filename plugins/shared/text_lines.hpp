// Content lines of the text directory formats, iCalendar (RFC 5545 3.1, 3.3.11) and vCard
// (RFC 6350 3.2, 3.4; RFC 2426 4 for 3.0): the two share their escaping of TEXT values and
// their folding of long lines, which the ics and vcard exporters must write alike.
// Header-only and built on the standard library alone, like the rest of plugins/shared.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plugins_shared {

// Appends `text` escaped as a TEXT value (or one component of a compound value): backslash,
// comma, semicolon and line breaks escaped (a CRLF is one line break), tab kept, other
// control characters dropped since a value may not hold them.
inline void append_escaped_text(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ',': out += "\\,"; break;
      case ';': out += "\\;"; break;
      case '\n': out += "\\n"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;  // CRLF: one line break
        out += "\\n";
        break;
      case '\t': out += c; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == '\x7F') break;  // not allowed in a value
        out += c;
    }
  }
}

// Appends `line` folded at 75 octets, never inside a UTF-8 sequence (readers decode each
// physical line), and ends it with CRLF.
inline void append_folded_line(std::string& out, std::string_view line) {
  std::size_t limit = 75;  // octets on this physical line, the leading space included
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = 74;
  }
  out.append(line);
  out += "\r\n";
}

// The content lines of one component or card while it is written: a property is built in
// `line`, then end_line() folds it onto `out` (both buffers reused from line to line).
struct ContentLines {
  std::string out;
  std::string line;

  void end_line() {
    append_folded_line(out, line);
    line.clear();
  }
  // `name` (with its colon) and `value` escaped as TEXT; nothing when the value is empty.
  void text_property(std::string_view name, std::string_view value) {
    if (value.empty()) return;
    line = name;
    append_escaped_text(line, value);
    end_line();
  }
};

}  // namespace plugins_shared
