#include "plugin_host/secret_settings.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <functional>

#include "domain/problem.hpp"

namespace relance::plugin_host {
namespace json = boost::json;
namespace {

struct Span {
  std::size_t begin, end;
};

// Where the passwords of the URLs in `s` lie ("smtp://user:pass@host" -> "pass").
std::vector<Span> url_passwords(std::string_view s) {
  std::vector<Span> out;
  for (std::size_t at = s.find("://"); at != std::string_view::npos; at = s.find("://", at)) {
    const std::size_t start = at + 3;
    std::size_t end = s.find_first_of("/?# \t\r\n\"'<>", start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view authority = s.substr(start, end - start);
    const std::size_t user_end = authority.rfind('@');  // a password may hold an '@'
    if (user_end != std::string_view::npos) {
      const std::size_t colon = authority.substr(0, user_end).find(':');
      if (colon != std::string_view::npos && colon + 1 < user_end)
        out.push_back(Span{start + colon + 1, start + user_end});
    }
    at = end;
  }
  return out;
}

// `s` with its i-th URL password replaced by what `change(i, password)` returns.
std::string with_url_passwords(std::string_view s, const std::vector<Span>& spans,
                               const std::function<std::string(std::size_t, std::string_view)>& change) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    out.append(s.substr(from, spans[i].begin - from));
    out += change(i, s.substr(spans[i].begin, spans[i].end - spans[i].begin));
    from = spans[i].end;
  }
  out.append(s.substr(from));
  return out;
}

// Visits every string of `v` (in place), saying whether it is secret (its name, a top-level
// name in `declared`, or a sealed value: what was sealed once stays secret), where it is
// ("/smtp/password"), and what `other` holds in the same place (or null).
using Leaf = std::function<void(json::string& s, bool secret, const json::value* other, const std::string& path)>;

void walk(json::value& v, const json::value* other, bool secret, const std::string& path,
          const std::vector<std::string>& declared, const Leaf& leaf) {
  if (v.is_string()) {
    leaf(v.get_string(), secret || auth::SecretBox::is_sealed(v.get_string()), other, path);
  } else if (v.is_object()) {
    for (auto& kv : v.get_object()) {
      const json::value* o = other && other->is_object() ? other->get_object().if_contains(kv.key()) : nullptr;
      const bool named = secret_key(kv.key()) ||
                         (path.empty() && std::find(declared.begin(), declared.end(), kv.key()) != declared.end());
      walk(kv.value(), o, secret || named, path + "/" + std::string(kv.key()), declared, leaf);
    }
  } else if (v.is_array()) {
    auto& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const json::value* o = other && other->is_array() && i < other->get_array().size() ? &other->get_array()[i] : nullptr;
      walk(a[i], o, secret, path + "/" + std::to_string(i), declared, leaf);
    }
  }
}

json::object walked(const json::object& settings, const json::object* other, const Leaf& leaf,
                    const std::vector<std::string>& declared = {}) {
  json::value v = settings;
  const json::value o = other ? json::value(*other) : json::value();
  walk(v, other ? &o : nullptr, false, "", declared, leaf);
  return std::move(v.get_object());
}

std::string sealed(std::string_view text, const auth::SecretBox& box) {
  return auth::SecretBox::is_sealed(text) ? std::string(text) : box.seal(text);
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string percent_encoded(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) out += ch;
    else out += {'%', hex[c >> 4], hex[c & 15]};
  }
  return out;
}

std::string percent_decoded(std::string_view s) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && digit(s[i + 1]) >= 0 && digit(s[i + 2]) >= 0) {
      out += static_cast<char>(digit(s[i + 1]) * 16 + digit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string json_escaped(std::string_view s) {
  const std::string quoted = json::serialize(json::string(s));
  return quoted.substr(1, quoted.size() - 2);
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
}

}  // namespace

bool secret_key(std::string_view key) {
  std::string folded(key);
  for (char& c : folded)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (const char* word : {"password", "passwd", "secret", "token", "key"})
    if (folded.find(word) != std::string::npos) return true;
  return false;
}

json::object seal_settings(const json::object& given, const json::object& stored, const auth::SecretBox& box,
                           const std::vector<std::string>& declared) {
  return walked(given, &stored, [&](json::string& s, bool secret, const json::value* other, const std::string& path) {
    auto refuse = [&] {
      return Problem::invalid("settings" + path, "settings" + path + " is \"(set)\" but no secret is stored there: "
                                                 "send the secret itself");
    };
    if (secret) {
      if (s == secret_shown) {
        if (!other || !other->is_string() || other->get_string().empty()) throw refuse();
        s = sealed(other->get_string(), box);
      } else if (!s.empty()) {
        s = box.seal(s);
      }
      return;
    }
    const auto spans = url_passwords(s);
    if (spans.empty()) return;
    const std::string_view old = other && other->is_string() ? std::string_view(other->get_string()) : std::string_view();
    const auto old_spans = url_passwords(old);
    s = with_url_passwords(s, spans, [&](std::size_t i, std::string_view password) {
      if (password != secret_shown) return box.seal(password);
      if (i >= old_spans.size()) throw refuse();
      return sealed(old.substr(old_spans[i].begin, old_spans[i].end - old_spans[i].begin), box);
    });
  }, declared);
}

bool seal_clear_secrets(json::object& stored, const auth::SecretBox& box, const std::vector<std::string>& declared) {
  bool changed = false;
  stored = walked(stored, nullptr, [&](json::string& s, bool secret, const json::value*, const std::string&) {
    if (secret) {
      if (!s.empty() && !auth::SecretBox::is_sealed(s)) {
        s = box.seal(s);
        changed = true;
      }
      return;
    }
    s = with_url_passwords(s, url_passwords(s), [&](std::size_t, std::string_view password) {
      changed = changed || !auth::SecretBox::is_sealed(password);
      return sealed(password, box);
    });
  }, declared);
  return changed;
}

bool holds_sealed_secrets(const json::object& stored) {
  bool found = false;
  walked(stored, nullptr, [&](json::string& s, bool secret, const json::value*, const std::string&) {
    if (secret) found = found || auth::SecretBox::is_sealed(s);
    else
      for (const Span& p : url_passwords(s)) found = found || auth::SecretBox::is_sealed(std::string_view(s).substr(p.begin, p.end - p.begin));
  });
  return found;
}

json::object shown_settings(const json::object& stored) {
  return walked(stored, nullptr, [](json::string& s, bool secret, const json::value*, const std::string&) {
    if (secret) {
      if (!s.empty()) s = secret_shown;
      return;
    }
    s = with_url_passwords(s, url_passwords(s), [](std::size_t, std::string_view) { return std::string(secret_shown); });
  });
}

json::object opened_settings(const json::object& stored, const auth::SecretBox& box, std::vector<std::string>& secrets) {
  auto open = [&](std::string_view text) {
    std::string clear = auth::SecretBox::is_sealed(text) ? box.open(text) : std::string(text);
    secrets.push_back(clear);
    return clear;
  };
  return walked(stored, nullptr, [&](json::string& s, bool secret, const json::value*, const std::string&) {
    if (secret) {
      if (!s.empty()) s = open(s);
      return;
    }
    s = with_url_passwords(s, url_passwords(s), [&](std::size_t, std::string_view password) { return open(password); });
  });
}

std::string redact(std::string_view text, const std::vector<std::string>& secrets) {
  std::vector<std::string> forms;
  for (const std::string& s : secrets) {
    if (s.empty()) continue;
    for (std::string form : {s, percent_encoded(s), percent_decoded(s), json_escaped(s)}) forms.push_back(std::move(form));
  }
  // The longest first: a secret that holds another is replaced whole.
  std::sort(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::string out(text);
  for (const std::string& f : forms) replace_all(out, f, secret_redacted);
  return with_url_passwords(out, url_passwords(out), [](std::size_t, std::string_view) { return std::string(secret_redacted); });
}

}  // namespace relance::plugin_host
