#include "domain/fields.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "domain/country.hpp"
#include "domain/currency.hpp"
#include "domain/eur_amount.hpp"
#include "domain/json_text.hpp"
#include "domain/phone.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace relance::domain {
namespace json = boost::json;
using storage::Field;
using storage::FieldKind;
using storage::Value;

namespace {

constexpr std::size_t default_max_length = 1000;
constexpr std::size_t max_list_items = 50;

[[noreturn]] void refuse(const Field& f, const std::string& why) {
  throw Problem::invalid(std::string(f.name), std::string(f.name) + " " + why);
}

const json::string& want_string(const Field& f, const json::value& v) {
  if (!v.is_string()) refuse(f, "must be a string");
  return v.get_string();
}

std::string checked_text(const Field& f, const json::value& v, std::size_t max_chars) {
  const json::string& s = want_string(f, v);
  std::string text = trim(std::string_view(s));
  if (!valid_utf8(text)) refuse(f, "is not valid UTF-8");
  if (text.find('\0') != std::string::npos) refuse(f, "must not contain NUL characters");
  const std::size_t limit = max_chars ? max_chars : default_max_length;
  if (utf8_length(text) > limit)
    refuse(f, "is longer than " + std::to_string(limit) + " characters");
  return text;
}

std::int64_t want_integer(const Field& f, const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(
                           std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) {
    const double d = v.get_double();
    if (std::trunc(d) == d && std::fabs(d) < 9e15) return static_cast<std::int64_t>(d);
  }
  refuse(f, "must be an integer");
}

// Reads a list field: an array of strings, each normalised by `one`, without duplicates.
template <class Normalise>
Value string_list(const Field& f, const json::value& v, std::size_t limit, Normalise one) {
  if (!v.is_array()) refuse(f, "must be an array of strings");
  const json::array& in = v.get_array();
  if (in.size() > limit)
    refuse(f, "has more than " + std::to_string(limit) + " items");
  json::array out;
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!in[i].is_string())
      throw Problem::invalid(std::string(f.name) + "/" + std::to_string(i),
                             std::string(f.name) + "[" + std::to_string(i) + "] must be a string");
    std::string item = one(std::string_view(in[i].get_string()), i);
    std::string key = fold_case(item);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    out.emplace_back(item);
  }
  return json::serialize(out);
}

[[noreturn]] void refuse_item(const Field& f, std::size_t i, const std::string& why) {
  throw Problem::invalid(std::string(f.name) + "/" + std::to_string(i),
                         std::string(f.name) + "[" + std::to_string(i) + "] " + why);
}

// A decimal amount ("1234567.89" or 1234567.89) -> minor units, refusing more decimals
// than the currency has.
std::int64_t to_minor_units(const Field& f, const json::value& v, int minor) {
  std::string text;
  if (v.is_string()) {
    text = std::string(v.get_string());
  } else if (v.is_int64() || v.is_uint64()) {
    text = json::serialize(v);
  } else if (v.is_double()) {
    const double d = v.get_double();
    if (!std::isfinite(d)) refuse(f, "must be a finite amount");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", minor, d);
    // A double that needs more decimals than the currency has was not an amount of it.
    if (std::fabs(std::strtod(buf, nullptr) - d) > 1e-9 * std::max(1.0, std::fabs(d)))
      refuse(f, "has more decimals than its currency allows (" + std::to_string(minor) + ")");
    text = buf;
  } else {
    refuse(f, "must be a decimal amount, as a number or a string like \"1234.50\"");
  }
  std::size_t i = 0;
  if (text.empty()) refuse(f, "must be a decimal amount");
  if (text[0] == '-') refuse(f, "must not be negative");
  std::int64_t whole = 0, frac = 0;
  int frac_digits = 0;
  bool digits = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, digits = true) {
    if (whole > 9'000'000'000'000) refuse(f, "is too large");
    whole = whole * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    // "12." and ".5" are not amounts a person writes; require digits on both sides.
    if (!digits || i + 1 >= text.size()) refuse(f, "must be a decimal amount like \"1234.50\"");
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++frac_digits > minor)
        refuse(f, "has more decimals than its currency allows (" + std::to_string(minor) + ")");
      frac = frac * 10 + (text[i] - '0');
    }
  }
  if (!digits || i != text.size()) refuse(f, "must be a decimal amount like \"1234.50\"");
  const std::int64_t scale = power_of_ten(minor);
  if (whole > std::numeric_limits<std::int64_t>::max() / scale / 10) refuse(f, "is too large");
  return whole * scale + frac * power_of_ten(minor - frac_digits);
}

std::string minor_units_text(std::int64_t amount, int minor) {
  if (minor == 0) return std::to_string(amount);
  const std::int64_t scale = power_of_ten(minor);
  std::string frac = std::to_string(amount % scale);
  frac.insert(0, static_cast<std::size_t>(minor) - frac.size(), '0');
  return std::to_string(amount / scale) + "." + frac;
}

}  // namespace

std::size_t max_items(const Field& f) {
  switch (f.kind) {
    case FieldKind::email_list:
    case FieldKind::phone_list: return f.max_length ? f.max_length : max_list_items;
    case FieldKind::tag_list: return max_list_items;
    case FieldKind::text_list: return 64;
    default: return 0;
  }
}

std::optional<std::string> normalise_email(std::string_view text) {
  std::string s = fold_ascii_case(trim(text));
  const auto at = s.find('@');
  if (at == std::string::npos || at == 0 || at > 64 || s.size() > 254) return std::nullopt;
  if (s.find('@', at + 1) != std::string::npos) return std::nullopt;
  const std::string_view local(s.data(), at), domain(s.data() + at + 1, s.size() - at - 1);
  for (char c : local)
    if (c <= ' ' || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' ||
        c == '<' || c == '>' || c == '[' || c == ']' || c == '\\')
      return std::nullopt;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos)
    return std::nullopt;
  if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string::npos)
    return std::nullopt;
  for (char c : domain) {
    const auto u = static_cast<unsigned char>(c);
    if (!(u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return std::nullopt;
  }
  if (!valid_utf8(s)) return std::nullopt;
  return s;
}

namespace {

// What a JSON null stores in `f`.
Value null_value(const Field& f) {
  if (f.has(storage::required)) refuse(f, "is required");
  // NOT NULL columns (keyset pagination orders lists by them): an absent
  // name is an empty one, and other kinds cannot be cleared.
  if (f.has(storage::not_null)) {
    if (f.kind == FieldKind::text) return std::string();
    refuse(f, "cannot be null");
  }
  return storage::Null{};
}

// `v` when it is one of `allowed`, else refused with the list ("must be one of: a, b").
template <class Allowed>
Value one_of(const Field& f, const json::value& v, const Allowed& allowed, const std::string& must) {
  const json::string& s = want_string(f, v);
  for (const auto& c : allowed)
    if (std::string_view(c) == s) return std::string(s);
  std::string list;
  for (const auto& c : allowed) list += (list.empty() ? "" : ", ") + std::string(c);
  refuse(f, must + ": " + list);
}

}  // namespace

std::string phone_hint(std::string_view text, const FieldContext& ctx) {
  if (trim(text).starts_with('+')) return " (check its digits)";
  const std::string region = ctx.default_region.empty() ? "FR" : std::string(ctx.default_region);
  return " (read as a number of " + region + ", " + std::string(ctx.region_source) +
         "; write it with + and its country code, or give the contact's country)";
}

std::optional<std::string> phone_region(std::string_view country) {
  std::string c = fold_ascii_upper(trim(country));
  if (!is_country_code(c)) return std::nullopt;
  return c;
}

Value to_storage(const Field& f, const json::value& v, const FieldContext& ctx) {
  if (v.is_null()) return null_value(f);
  switch (f.kind) {
    case FieldKind::text: {
      std::string t = checked_text(f, v, f.max_length);
      if (t.empty() && f.has(storage::required)) refuse(f, "must not be empty");
      return t;
    }
    case FieldKind::integer: {
      const std::int64_t n = want_integer(f, v);
      if (n < 0) refuse(f, "must not be negative");
      return n;
    }
    case FieldKind::boolean:
      if (!v.is_bool()) refuse(f, "must be true or false");
      return std::int64_t{v.get_bool() ? 1 : 0};
    case FieldKind::timestamp: {
      auto t = normalise_instant(want_string(f, v));
      if (!t) refuse(f, "must be an RFC 3339 instant such as 2026-03-09T17:30:00-07:00");
      return *t;
    }
    case FieldKind::date: {
      const json::string& s = want_string(f, v);
      if (!valid_date(s)) refuse(f, "must be a date such as 2026-03-09");
      return std::string(s);
    }
    case FieldKind::email_list:
      return string_list(f, v, max_items(f),
                         [&](std::string_view s, std::size_t i) {
                           auto e = normalise_email(s);
                           if (!e) refuse_item(f, i, "is not an email address: " + std::string(s));
                           return *e;
                         });
    case FieldKind::phone_list:
      return string_list(f, v, max_items(f),
                         [&](std::string_view s, std::size_t i) {
                           auto p = to_e164(s, ctx.default_region);
                           if (!p) refuse_item(f, i, "is not a valid phone number: " + std::string(s) + phone_hint(s, ctx));
                           return *p;
                         });
    case FieldKind::tag_list:
    case FieldKind::text_list:
      return string_list(f, v, max_items(f),
                         [&](std::string_view s, std::size_t i) {
                           std::string t = trim(s);
                           if (t.empty() || utf8_length(t) > 64 || !valid_utf8(t))
                             refuse_item(f, i, "must be 1 to 64 characters of UTF-8");
                           return t;
                         });
    case FieldKind::currency: {
      std::string c = fold_ascii_upper(std::string_view(want_string(f, v)));
      if (!currency_minor_units(c)) refuse(f, "is not an ISO 4217 currency code: " + c);
      return c;
    }
    case FieldKind::money: return to_minor_units(f, v, ctx.minor_units);
    case FieldKind::rate: {
      const std::string text = v.is_string() ? std::string(v.get_string())
                               : (v.is_int64() || v.is_uint64() || v.is_double()) ? json::serialize(v)
                                                                                   : std::string();
      const auto rate = parse_eur_rate(text);
      if (!rate)
        refuse(f, "must be a positive decimal below 1000000 with at most " + std::to_string(max_rate_decimals) +
                      " decimals, like \"0.9234\"");
      return eur_rate_text(*rate);
    }
    case FieldKind::url: {
      std::string u = checked_text(f, v, f.max_length);
      auto parsed = boost::urls::parse_absolute_uri(u);
      if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
          parsed->host().empty())
        refuse(f, "must be an absolute http(s) URL");
      return u;
    }
    case FieldKind::country: {
      std::string c = fold_ascii_upper(std::string_view(want_string(f, v)));
      if (!is_country_code(c))
        refuse(f, "must be an ISO 3166-1 alpha-2 country code such as FR or US");
      return c;
    }
    case FieldKind::time_zone: {
      const json::string& s = want_string(f, v);
      if (!valid_time_zone(s)) refuse(f, "is not an IANA time zone: " + std::string(s));
      return std::string(s);
    }
    case FieldKind::choice: return one_of(f, v, f.choices, "must be one of");
    case FieldKind::stage: return one_of(f, v, ctx.stages, "must be one of the organisation's stages");
    case FieldKind::reference: {
      const std::int64_t id = want_integer(f, v);
      if (id <= 0) refuse(f, "must be a positive id");
      return id;
    }
    case FieldKind::secret: break;
  }
  refuse(f, "cannot be set");
}

void append_json(std::string& out, const Field& f, const Value& v, int minor_units) {
  if (storage::is_null(v) || f.kind == FieldKind::secret) {
    out += "null";
    return;
  }
  switch (f.kind) {
    case FieldKind::boolean: out += std::get<std::int64_t>(v) != 0 ? "true" : "false"; return;
    case FieldKind::email_list:
    case FieldKind::phone_list:
    case FieldKind::tag_list:
    case FieldKind::text_list: {
      // Lists are stored as the JSON text to_storage wrote: copied as they are.
      const auto& text = std::get<std::string>(v);
      if (!text.empty() && text.front() == '[' && text.back() == ']') out += text;
      else out += "[]";
      return;
    }
    case FieldKind::money:
      if (!f.fixed_currency.empty()) minor_units = currency_minor_units(f.fixed_currency).value_or(2);
      append_json_string(out, minor_units_text(std::get<std::int64_t>(v), minor_units));
      return;
    default: break;
  }
  if (const auto* n = std::get_if<std::int64_t>(&v)) append_json_int(out, *n);
  else if (const auto* s = std::get_if<std::string>(&v)) append_json_string(out, *s);
  else out += json::serialize(json::value(std::get<double>(v)));
}


}  // namespace relance::domain
