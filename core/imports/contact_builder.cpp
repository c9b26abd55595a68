#include "imports/contact_builder.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "domain/country.hpp"
#include "domain/fields.hpp"
#include "domain/phone.hpp"
#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "relance/model/schema.hpp"

namespace relance::imports::detail {
namespace {

namespace json = boost::json;
using storage::FieldKind;

const storage::Field* contact_field(const std::string& name) {
  return storage::entities::contacts.field(name);
}

std::vector<std::string> split_any(std::string_view s, std::string_view separators) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || separators.find(s[i]) != std::string_view::npos) {
      std::string piece = domain::trim(s.substr(start, i - start));
      if (!piece.empty()) out.push_back(std::move(piece));
      start = i + 1;
    }
  return out;
}

std::vector<std::string> split_on(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    out.push_back(domain::trim(s.substr(start, at == std::string_view::npos ? at : at - start)));
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  return out;
}

std::string quoted(std::string_view v) {
  std::string s(domain::utf8_prefix(v, 80));  // the report is JSON: whole characters only
  if (v.size() > 80) s += "...";
  return "'" + s + "'";
}

// Country names as they appear in exports, folded, in English and French.
constexpr std::array<std::pair<std::string_view, std::string_view>, 66> country_names{{
    {"france", "FR"}, {"united states", "US"}, {"united states of america", "US"}, {"usa", "US"},
    {"u.s.a.", "US"}, {"u.s.", "US"}, {"etats-unis", "US"}, {"etats unis", "US"},
    {"america", "US"}, {"united kingdom", "GB"}, {"uk", "GB"}, {"great britain", "GB"},
    {"england", "GB"}, {"royaume-uni", "GB"}, {"royaume uni", "GB"}, {"germany", "DE"},
    {"allemagne", "DE"}, {"deutschland", "DE"}, {"spain", "ES"}, {"espagne", "ES"},
    {"italy", "IT"}, {"italie", "IT"}, {"belgium", "BE"}, {"belgique", "BE"},
    {"switzerland", "CH"}, {"suisse", "CH"}, {"netherlands", "NL"}, {"pays-bas", "NL"},
    {"the netherlands", "NL"}, {"luxembourg", "LU"}, {"portugal", "PT"}, {"ireland", "IE"},
    {"irlande", "IE"}, {"canada", "CA"}, {"mexico", "MX"}, {"mexique", "MX"},
    {"brazil", "BR"}, {"bresil", "BR"}, {"japan", "JP"}, {"japon", "JP"}, {"china", "CN"},
    {"chine", "CN"}, {"india", "IN"}, {"inde", "IN"}, {"israel", "IL"}, {"singapore", "SG"},
    {"singapour", "SG"}, {"south korea", "KR"}, {"coree du sud", "KR"}, {"australia", "AU"},
    {"australie", "AU"}, {"sweden", "SE"}, {"suede", "SE"}, {"norway", "NO"},
    {"norvege", "NO"}, {"denmark", "DK"}, {"danemark", "DK"}, {"finland", "FI"},
    {"finlande", "FI"}, {"poland", "PL"}, {"pologne", "PL"}, {"austria", "AT"},
    {"autriche", "AT"}, {"morocco", "MA"}, {"maroc", "MA"}, {"tunisie", "TN"},
}};

constexpr std::array<std::string_view, 12> months_en{
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december"};
constexpr std::array<std::string_view, 12> months_fr{
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
    "septembre", "octobre", "novembre", "decembre"};

int month_number(const std::string& word) {  // word folded; 0 when unknown
  const std::string w = word.back() == '.' ? word.substr(0, word.size() - 1) : word;
  if (w.size() < 3) return 0;
  for (std::size_t i = 0; i < 12; ++i)
    for (std::string_view full : {months_en[i], months_fr[i]})
      if (full.substr(0, w.size()) == w) return static_cast<int>(i) + 1;  // "mar", "sept."
  return 0;
}

bool read_number(std::string_view s, std::size_t& i, std::size_t min_digits,
                 std::size_t max_digits, int& out) {
  std::size_t n = 0;
  out = 0;
  while (i < s.size() && n < max_digits && s[i] >= '0' && s[i] <= '9') {
    out = out * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  return n >= min_digits;
}

std::optional<std::string> parse_with(std::string_view text, std::string_view format) {
  int year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0;
  std::size_t i = 0;
  for (std::size_t f = 0; f < format.size(); ++f) {
    const char fc = format[f];
    if (fc == ' ') {
      if (i >= text.size() || text[i] != ' ') return std::nullopt;
      while (i < text.size() && text[i] == ' ') ++i;
      continue;
    }
    if (fc != '%' || f + 1 == format.size()) {
      if (i >= text.size() || text[i] != fc) return std::nullopt;
      ++i;
      continue;
    }
    const char d = format[++f];
    bool ok = true;
    switch (d) {
      case 'd': case 'e': ok = read_number(text, i, 1, 2, day); break;
      case 'm': ok = read_number(text, i, 1, 2, month); break;
      case 'Y': ok = read_number(text, i, 4, 4, year); break;
      case 'y': ok = read_number(text, i, 2, 2, year); year += 2000; break;
      case 'H': ok = read_number(text, i, 1, 2, hour); break;
      case 'M': ok = read_number(text, i, 2, 2, minute); break;
      case 'S': ok = read_number(text, i, 2, 2, second); break;
      case 'b': case 'B': {
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '-' &&
               !(text[i] >= '0' && text[i] <= '9'))
          ++i;
        month = month_number(domain::fold_case(text.substr(start, i - start)));
        ok = month > 0;
        break;
      }
      default: return std::nullopt;
    }
    if (!ok) return std::nullopt;
  }
  if (i != text.size() || year < 0 || month < 0 || day < 0 || hour > 23 || minute > 59 ||
      second > 60)
    return std::nullopt;
  // Sized for any int, so that GCC can prove no output is cut (-Wformat-truncation).
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  if (!domain::valid_date(buf)) return std::nullopt;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute,
                second);
  return std::string(buf);
}

bool starts_like_formula(std::string_view v) {
  return !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@');
}

}  // namespace

std::optional<std::string> country_code(std::string_view name) {
  const std::string t = domain::trim(name);
  if (t.size() == 2) {
    const std::string code = domain::fold_ascii_upper(t);
    if (domain::is_country_code(code)) return code;
    return std::nullopt;
  }
  const std::string f = domain::fold_case(t);
  for (const auto& [n, code] : country_names)
    if (n == f) return std::string(code);
  return std::nullopt;
}

std::optional<std::string> parse_date(std::string_view text,
                                      const std::vector<std::string>& formats) {
  static const std::vector<std::string> defaults{"iso", "%d/%m/%Y", "%d %b %Y", "%b %d, %Y",
                                                 "%d.%m.%Y", "%d/%m/%Y %H:%M",
                                                 "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"};
  const std::string t = domain::trim(text);
  for (const std::string& format : formats.empty() ? defaults : formats) {
    if (format == "iso") {
      if (auto instant = domain::normalise_instant(t)) return instant;
      if (domain::valid_date(t)) return t + "T00:00:00Z";
      continue;
    }
    if (auto d = parse_with(t, format)) return d;
  }
  return std::nullopt;
}

void ContactBuilder::start(std::size_t line) {
  row_ = ImportRow{};
  row_.line = line;
  text_.clear();
  lists_.clear();
  source_of_.clear();
  full_name_.clear();
  company_.clear();
  phones_typed_.clear();
}

void ContactBuilder::add(const ColumnRule& rule, const std::string& source,
                         std::string_view value) {
  if (rule.field == "ignore") return;
  std::string v = domain::trim(value);
  if (v.empty()) return;
  if (starts_like_formula(v) && rule.field != "phones" && rule.field != "met_at") {
    const std::string w = source + " starts with '" + v.substr(0, 1) + "': kept as text";
    if (std::find(row_.warnings.begin(), row_.warnings.end(), w) == row_.warnings.end())
      row_.warnings.push_back(w);
  }
  if (rule.split.empty()) {
    add_one(rule, source, std::move(v));
    return;
  }
  for (std::string& piece : split_on(v, rule.split)) add_one(rule, source, std::move(piece));
}

void ContactBuilder::add_one(const ColumnRule& rule, const std::string& source,
                             std::string value) {
  if (value.empty()) return;
  const std::string folded = domain::fold_case(value);
  if (std::find(rule.drop.begin(), rule.drop.end(), folded) != rule.drop.end()) return;
  if (!rule.contains.empty() && folded.find(rule.contains) == std::string::npos) return;
  if (rule.field == "company") {
    if (company_.empty()) company_ = std::move(value);
    source_of_.emplace("company", source);
    return;
  }
  if (rule.field == "full_name") {
    if (full_name_.empty()) full_name_ = std::move(value);
    source_of_.emplace("full_name", source);
    return;
  }
  const storage::Field* f = contact_field(rule.field);
  if (!f) return;
  switch (f->kind) {
    case FieldKind::email_list:
      for (const std::string& e : split_any(value, ",; \t\n")) {
        if (auto n = domain::normalise_email(e)) add_item(rule.field, source, *n);
        else warn(source + ": " + quoted(e) + " is not an email address: left out");
      }
      return;
    case FieldKind::phone_list:
      // Read once the whole row is known: in the row's country, which may come later.
      phones_typed_.emplace_back(source, std::move(value));
      return;
    case FieldKind::tag_list:
    case FieldKind::text_list:
      for (std::string& t : rule.split.empty() ? split_any(value, ",;") : std::vector{value}) {
        if (std::find(rule.drop.begin(), rule.drop.end(), domain::fold_case(t)) != rule.drop.end())
          continue;
        if (domain::utf8_length(t) > 64)
          warn(source + ": the tag " + quoted(t) + " is longer than 64 characters: left out");
        else
          add_item(rule.field, source, std::move(t));
      }
      return;
    case FieldKind::country:
      if (auto c = country_code(value)) set_text(rule.field, source, *c, {});
      else warn(source + ": " + quoted(value) + " is not a country this import knows: left out");
      return;
    case FieldKind::timestamp:
      if (auto d = parse_date(value, rule.date_formats)) {
        set_text(rule.field, source, *d, {});
      } else {
        std::string as = rule.date_formats.empty() ? "" : " in the form " + rule.date_formats[0];
        warn(source + ": " + quoted(value) + " is not a date" + as + ": left out");
      }
      return;
    case FieldKind::url:
      if (value.find("://") == std::string::npos) value = "https://" + value;
      set_text(rule.field, source, std::move(value), {});
      return;
    default:
      set_text(rule.field, source, std::move(value), rule.join);
      return;
  }
}

void ContactBuilder::set_text(const std::string& field, const std::string& source,
                              std::string value, const std::string& join) {
  auto [it, inserted] = text_.emplace(field, value);
  if (inserted) source_of_.emplace(field, source);
  else if (!join.empty()) it->second += join + value;
}

void ContactBuilder::add_item(const std::string& field, const std::string& source,
                              std::string value) {
  auto& list = lists_[field];
  source_of_.emplace(field, source);
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

ImportRow ContactBuilder::finish() {
  // A full name fills first and last names when the record has neither.
  if (!full_name_.empty() && !text_.count("first_name") && !text_.count("last_name")) {
    const std::string& source = source_of_["full_name"];
    std::string first, last;
    if (const auto comma = full_name_.find(','); comma != std::string::npos) {  // "Doe, Jane"
      last = domain::trim(std::string_view(full_name_).substr(0, comma));
      first = domain::trim(std::string_view(full_name_).substr(comma + 1));
    } else if (const auto space = full_name_.rfind(' '); space != std::string::npos) {
      first = domain::trim(std::string_view(full_name_).substr(0, space));
      last = domain::trim(std::string_view(full_name_).substr(space + 1));
    } else {
      first = full_name_;
    }
    if (!first.empty()) set_text("first_name", source, first, {});
    if (!last.empty()) set_text("last_name", source, last, {});
  }

  // Each value goes through the field rules once, into the row as it will be stored.
  // Phones without "+" are read in the row's country, else the import's region.
  domain::FieldContext ctx;
  ctx.default_region = region_;
  ctx.region_source = "the import's region (region=, else the organisation's)";
  std::string country;
  if (auto it = text_.find("country"); it != text_.end()) country = domain::phone_region(it->second).value_or("");
  if (!country.empty()) {
    ctx.default_region = country;
    ctx.region_source = "the row's country";
  }
  for (const auto& [source, typed] : phones_typed_) {
    std::string p = typed;
    if (domain::fold_ascii_case(std::string_view(p).substr(0, 4)) == "tel:") p.erase(0, 4);
    if (auto n = domain::to_e164(p, ctx.default_region)) add_item("phones", source, *n);
    else warn(source + ": " + quoted(typed) + " is not a phone number" + domain::phone_hint(p, ctx) + ": left out");
  }
  const storage::Entity& contacts = storage::entities::contacts;
  row_.contact.values.resize(contacts.fields.size());
  auto store = [&](const std::string& field, const json::value& v) {
    const std::size_t index = *contacts.index_of(field);
    try {
      row_.contact.values[index] = domain::to_storage(contacts.fields[index], v, ctx);
    } catch (const Problem& p) {
      fail(source_of_[field] + ": " + p.detail());
    }
  };
  for (const auto& [field, value] : text_) store(field, json::string(value));
  for (const auto& [field, values] : lists_) {
    const storage::Field& f = *contact_field(field);
    json::array arr;
    for (const std::string& v : values) arr.emplace_back(v);
    if (f.max_length && arr.size() > f.max_length) {
      warn(source_of_[field] + ": more than " + std::to_string(f.max_length) + " " + field +
           ": the first " + std::to_string(f.max_length) + " are kept");
      arr.resize(f.max_length);
    }
    store(field, arr);
  }
  try {
    domain::settle_new_row(contacts, row_.contact);
  } catch (const Problem& p) {
    fail(p.detail());
  }
  if (!company_.empty()) {
    const storage::Field& name = *storage::entities::companies.field("name");
    try {
      row_.company = std::get<std::string>(domain::to_storage(name, json::string(company_), ctx));
    } catch (const Problem& p) {
      fail(source_of_["company"] + ": " + p.detail());
      row_.company = company_;
    }
  }
  const bool named = text_.count("first_name") || text_.count("last_name");
  if (!named && !lists_.count("emails") && !lists_.count("phones"))
    fail("neither a name nor an email nor a phone");
  return std::move(row_);
}

}  // namespace relance::imports::detail
