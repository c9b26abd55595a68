// vCard 2.1, 3.0 and 4.0 files (RFC 2426, RFC 6350): folded lines, parameters, escapes,
// quoted-printable; binary properties (PHOTO...) are dropped line by line as they are read.
#include <algorithm>

#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "imports/contact_builder.hpp"
#include "imports/sources.hpp"

namespace relance::imports::detail {
namespace {

constexpr int max_nesting = 1;  // a card may hold one nested card (AGENT in vCard 2.1)

Problem unreadable(const std::string& what) { return Problem(Problem::Kind::invalid, "Unreadable file", what); }

std::string upper(std::string_view s) { return domain::fold_ascii_upper(s); }

// The property name of a (first physical) line, without its group: "item1.EMAIL;..." -> EMAIL.
std::string property_name(std::string_view line) {
  const std::size_t end = line.find_first_of(";:");
  std::string_view name = line.substr(0, end);
  if (const std::size_t dot = name.rfind('.'); dot != std::string_view::npos)
    name.remove_prefix(dot + 1);
  return upper(name);
}

bool binary_property(const std::string& name) {
  return name == "PHOTO" || name == "LOGO" || name == "SOUND" || name == "KEY";
}

// Logical lines: folded lines joined, quoted-printable soft breaks joined, binary
// properties reduced to their name.
class LogicalLines {
 public:
  explicit LogicalLines(LineReader& lines) : lines_(lines) {}

  bool next(std::string& out, std::size_t& line) {
    if (!lines_.next(out)) return false;
    line = lines_.line_number();
    const std::string name = property_name(out);
    if (binary_property(name)) {
      out = name + ":";
      while (folded_next()) lines_.skip();
      return true;
    }
    const std::size_t colon = out.find(':');
    const bool qp = colon != std::string::npos &&
                    upper(std::string_view(out).substr(0, colon)).find("QUOTED-PRINTABLE") !=
                        std::string::npos;
    while (true) {
      if (folded_next()) {
        lines_.next(part_);
        out.append(part_, 1);
      } else if (qp && !out.empty() && out.back() == '=' && lines_.peek() >= 0) {
        out.pop_back();  // a soft line break
        lines_.next(part_);
        out += part_;
      } else {
        break;
      }
      if (out.size() > max_line_bytes)
        throw unreadable("the vCard line that starts at line " + std::to_string(line) +
                         " is longer than " + std::to_string(max_line_bytes) +
                         " bytes once unfolded");
    }
    return true;
  }

 private:
  bool folded_next() {
    const int c = lines_.peek();
    return c == ' ' || c == '\t';
  }
  LineReader& lines_;
  std::string part_;
};

// The structure every card must keep, checked line by line as the cards are read: cards
// balanced, nesting limited, nothing outside a card.
class CardStructure {
 public:
  // A logical line; throws an invalid Problem for what breaks the structure.
  void line(const std::string& head, const std::string& text, std::size_t number) {
    if (head == "BEGIN:VCARD") {
      if (depth_ == 0) begin_line_ = number;
      if (++depth_ > max_nesting + 1) too_deep(number);
    } else if (head == "END:VCARD") {
      if (depth_ == 0)
        throw unreadable("line " + std::to_string(number) + ": END:VCARD without BEGIN:VCARD");
      if (--depth_ == 0) ++cards_;
    } else if (depth_ == 0 && !head.empty()) {
      throw unreadable("line " + std::to_string(number) + " is outside any vCard");
    } else if (property_name(text) == "AGENT") {
      // A vCard 3.0 AGENT holds its card inline, escaped: count the cards it nests.
      const std::string value = upper(text);
      std::size_t nested = 0, at = 0;
      while ((at = value.find("BEGIN:VCARD", at)) != std::string::npos) {
        ++nested;
        at += 11;
      }
      if (depth_ + static_cast<int>(nested) > max_nesting + 1) too_deep(number);
    }
  }
  // The lines are over: throws for a card never ended or a file without any, unless the
  // reading stopped at its limit (`cut`), the rest of the file unknown.
  void end(bool cut, const std::string& path) const {
    if (cut) return;
    if (depth_ > 0)
      throw unreadable("the vCard that begins at line " + std::to_string(begin_line_) +
                       " has no END:VCARD");
    if (cards_ == 0) throw unreadable(file_name(path) + " holds no vCard");
  }
  int depth() const { return depth_; }

 private:
  [[noreturn]] static void too_deep(std::size_t number) {
    throw unreadable("the vCard at line " + std::to_string(number) +
                     " is nested too deep: a card may hold at most " +
                     std::to_string(max_nesting) + " nested card");
  }

  int depth_ = 0;
  std::size_t begin_line_ = 0, cards_ = 0;
};

// The VERSION of the file's first card ("" when it has none), read from its lines only.
std::string first_version(const std::string& path, const Scan& scan) {
  LineReader lines(path, scan.encoding, scan.limit);
  LogicalLines logical(lines);
  std::string line;
  std::size_t number = 0;
  int depth = 0;
  while (logical.next(line, number)) {
    const std::string head = upper(domain::trim(line));
    if (head == "BEGIN:VCARD") ++depth;
    else if (head == "END:VCARD" && --depth <= 0) break;
    else if (depth == 1 && head.rfind("VERSION:", 0) == 0)
      return domain::trim(std::string_view(head).substr(8));
  }
  return {};
}

struct Property {
  std::string name;  // upper case, without group
  std::vector<std::string> types;  // lower case
  std::string encoding, charset;   // upper case
  std::string value;               // raw (escaped) value
};

Property parse_property(const std::string& line) {
  Property p;
  // The value starts at the first ':' outside a double-quoted parameter value.
  std::size_t colon = std::string::npos;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    else if (line[i] == ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon == std::string::npos) return p;
  p.value = line.substr(colon + 1);
  std::vector<std::string> parts;
  std::string cur;
  quoted = false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = line[i];
    if (c == '"') quoted = !quoted;
    if (c == ';' && !quoted) {
      parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(std::move(cur));
  p.name = property_name(parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string& param = parts[i];
    const std::size_t eq = param.find('=');
    const std::string key = upper(eq == std::string::npos ? "TYPE" : param.substr(0, eq));
    std::string value = eq == std::string::npos ? param : param.substr(eq + 1);
    value.erase(std::remove(value.begin(), value.end(), '"'), value.end());
    if (eq == std::string::npos && (upper(value) == "QUOTED-PRINTABLE" || upper(value) == "BASE64"))
      p.encoding = upper(value);  // vCard 2.1 bare encoding
    else if (key == "ENCODING") p.encoding = upper(value);
    else if (key == "CHARSET") p.charset = upper(value);
    else if (key == "TYPE")
      for (std::size_t start = 0; start <= value.size();) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        p.types.push_back(domain::fold_ascii_case(std::string_view(value).substr(start, comma - start)));
        start = comma + 1;
      }
  }
  return p;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string quoted_printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '=' && i + 1 == s.size()) {
      break;  // a soft break at the very end
    } else {
      out += s[i];
    }
  }
  return out;
}

// Splits on an unescaped separator, keeping escapes for unescape() to read.
std::vector<std::string> split_escaped(std::string_view s, char sep) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back() += s[i];
      out.back() += s[++i];
    } else if (s[i] == sep) {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    out += (c == 'n' || c == 'N') ? '\n' : c;
  }
  return out;
}

ColumnRule rule(std::string field, std::string contains = {}, std::string join = {}) {
  ColumnRule r;
  r.field = std::move(field);
  r.contains = std::move(contains);
  r.join = std::move(join);
  return r;
}

class VcardSource final : public RowSource {
 public:
  VcardSource(const std::string& path, const Scan& scan, const ImportOptions& options)
      : path_(path), lines_(path, scan.encoding, scan.limit), logical_(lines_),
        builder_(options.default_region) {
    info_.format = "vcard";
    info_.encoding = encoding_name(scan.encoding);
    info_.preset = "vcard";
    info_.size = scan.size;
    description_ = file_name(path) + " (vCard, " + encoding_name(scan.encoding) + ")";
  }

  std::optional<ImportRow> next() override {
    std::string line;
    std::size_t number = 0;
    while (logical_.next(line, number)) {
      const std::string head = upper(domain::trim(line));
      structure_.line(head, line, number);
      if (head == "BEGIN:VCARD") {
        if (structure_.depth() == 1) builder_.start(number);
        continue;
      }
      if (head == "END:VCARD") {
        if (structure_.depth() == 0) return builder_.finish();
        continue;
      }
      if (structure_.depth() != 1) continue;  // inside a nested (AGENT) card
      property(parse_property(line));
    }
    structure_.end(lines_.cut(), path_);
    return std::nullopt;
  }

  void skim() override {
    std::string line;
    std::size_t number = 0;
    while (logical_.next(line, number)) structure_.line(upper(domain::trim(line)), line, number);
    structure_.end(lines_.cut(), path_);
  }

  std::uint64_t bytes_read() const override { return lines_.bytes_read(); }
  std::string description() const override { return description_; }
  const SourceInfo& info() const override { return info_; }

  void set_version(std::string v) {
    info_.version = v;
    description_ = description_.substr(0, description_.find(" (")) + " (vCard " + v + ", " +
                   info_.encoding + ")";
  }

 private:
  void property(const Property& p) {
    if (p.name.empty()) return;
    std::string value = p.value;
    if (p.encoding == "QUOTED-PRINTABLE") value = quoted_printable(value);
    if ((!p.charset.empty() && p.charset != "UTF-8") || !domain::valid_utf8(value))
      value = windows1252_to_utf8(value);
    if (p.encoding == "B" || p.encoding == "BASE64") return;  // binary: not a contact field
    const std::string source = "property " + p.name;
    auto add = [&](const ColumnRule& r, std::string_view v) { builder_.add(r, source, v); };
    if (p.name == "N") {
      const auto parts = split_escaped(value, ';');
      if (parts.size() > 0) add(last_, unescape(parts[0]));
      if (parts.size() > 1) add(first_, unescape(parts[1]));
    } else if (p.name == "FN") {
      add(full_, unescape(value));
    } else if (p.name == "EMAIL") {
      add(emails_, unescape(value));
    } else if (p.name == "TEL") {
      add(phones_, unescape(value));
    } else if (p.name == "ORG") {
      add(company_, unescape(split_escaped(value, ';')[0]));
    } else if (p.name == "TITLE") {
      add(title_, unescape(value));
    } else if (p.name == "ADR") {
      const auto parts = split_escaped(value, ';');
      if (parts.size() > 3) add(city_, unescape(parts[3]));
      if (parts.size() > 6) add(country_, unescape(parts[6]));
    } else if (p.name == "URL") {
      add(linkedin_, unescape(value));
    } else if (p.name == "X-SOCIALPROFILE") {
      if (std::find(p.types.begin(), p.types.end(), "linkedin") != p.types.end() ||
          domain::fold_case(value).find("linkedin.com") != std::string::npos)
        add(social_, unescape(value));
    } else if (p.name == "NOTE") {
      add(notes_, unescape(value));
    } else if (p.name == "CATEGORIES") {
      for (const std::string& t : split_escaped(value, ',')) add(tags_, unescape(t));
    }
  }

  std::string path_;
  LineReader lines_;
  LogicalLines logical_;
  ContactBuilder builder_;
  CardStructure structure_;
  SourceInfo info_;
  std::string description_;
  const ColumnRule first_ = rule("first_name"), last_ = rule("last_name"),
                   full_ = rule("full_name"), emails_ = rule("emails"), phones_ = rule("phones"),
                   company_ = rule("company"), title_ = rule("title"), city_ = rule("city"),
                   country_ = rule("country"), linkedin_ = rule("linkedin_url", "linkedin.com"),
                   social_ = rule("linkedin_url"), notes_ = rule("notes", {}, "\n"),
                   tags_ = rule("tags");
};

}  // namespace

std::unique_ptr<RowSource> open_vcard(const std::string& path, const Scan& scan,
                                      const ImportOptions& options) {
  // The cards' structure is checked as they are read (CardStructure): a file broken near
  // its end fails the import's first pass, before anything is written.
  const std::string version = first_version(path, scan);
  auto source = std::make_unique<VcardSource>(path, scan, options);
  if (!version.empty()) source->set_version(version);
  return source;
}

}  // namespace relance::imports::detail
