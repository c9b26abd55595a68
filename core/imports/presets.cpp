#include "imports/presets.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>

#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "relance/model/schema.hpp"

namespace relance::imports::detail {
namespace {

Problem bad_preset(const std::string& file, const std::string& why) {
  return Problem(Problem::Kind::internal, "Bad import preset", "import preset " + file + ": " + why);
}

std::vector<std::string> strings(const toml::node* node, const std::string& file,
                                 const std::string& key) {
  std::vector<std::string> out;
  if (!node) return out;
  if (auto s = node->value<std::string>()) {
    out.push_back(*s);
    return out;
  }
  const toml::array* arr = node->as_array();
  if (!arr) throw bad_preset(file, key + " must be a string or an array of strings");
  for (const toml::node& item : *arr) {
    auto s = item.value<std::string>();
    if (!s) throw bad_preset(file, key + " must hold strings");
    out.push_back(*s);
  }
  return out;
}

std::vector<std::string> folded(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  for (const std::string& s : v) out.push_back(fold_header(s));
  return out;
}

bool has(const std::vector<std::string>& header, const std::string& col) {
  return std::find(header.begin(), header.end(), col) != header.end();
}

void order_rules(std::vector<ColumnRule>& rules) {
  std::stable_sort(rules.begin(), rules.end(), [](const ColumnRule& a, const ColumnRule& b) {
    const bool ga = a.pattern.find('*') != std::string::npos;
    const bool gb = b.pattern.find('*') != std::string::npos;
    return !ga && gb;
  });
}

}  // namespace

std::string fold_header(const std::string& column) {
  const std::string f = domain::fold_case(domain::trim(column));
  std::string out;
  bool space = false;
  for (char c : f) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '_') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool glob_match(const std::string& pattern, const std::string& text) {
  // Iterative '*' matching with backtracking to the last star.
  std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool known_target(const std::string& field) {
  if (field == "company" || field == "full_name" || field == "ignore") return true;
  const storage::Field* f = storage::entities::contacts.field(field);
  if (!f || f->has(storage::read_only)) return false;
  // References (company_id, source_event_id) and GDPR fields are the import's to set.
  return f->kind != storage::FieldKind::reference && field != "lawful_basis" &&
         field != "consent_at" && field != "consent_note";
}

const ColumnRule* Preset::rule_for(const std::string& folded_header) const {
  for (const ColumnRule& r : columns)
    if (r.pattern == folded_header) return &r;
  for (const ColumnRule& r : columns)
    if (r.pattern.find('*') != std::string::npos && glob_match(r.pattern, folded_header))
      return &r;
  return nullptr;
}

bool Preset::recognises(const std::vector<std::string>& header) const {
  for (const std::string& c : all)
    if (!has(header, c)) return false;
  if (!any.empty() && std::none_of(any.begin(), any.end(),
                                   [&](const std::string& c) { return has(header, c); }))
    return false;
  // A preset without requirements (generic) wants at least one column it knows.
  if (all.empty() && any.empty())
    return std::any_of(header.begin(), header.end(), [&](const std::string& h) {
      const ColumnRule* r = rule_for(h);
      return r && r->field != "ignore";
    });
  return true;
}

std::vector<std::string> Preset::missing(const std::vector<std::string>& header) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (!has(header, all[i])) out.push_back(all_as_written[i]);
  if (!any.empty() && std::none_of(any.begin(), any.end(),
                                   [&](const std::string& c) { return has(header, c); })) {
    std::string one_of;
    for (const std::string& c : any_as_written) one_of += (one_of.empty() ? "" : " or ") + c;
    out.push_back(one_of);
  }
  return out;
}

Preset load_preset(const std::string& file) {
  toml::table doc;
  try {
    doc = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    throw bad_preset(file, std::string(e.description()));
  }
  Preset p;
  p.name = std::filesystem::path(file).stem().string();
  p.label = doc["label"].value_or(p.name);
  p.priority = static_cast<int>(doc["priority"].value_or(std::int64_t{0}));
  if (const toml::table* rec = doc["recognise"].as_table()) {
    p.all_as_written = strings(rec->get("all"), file, "recognise.all");
    p.any_as_written = strings(rec->get("any"), file, "recognise.any");
    const std::int64_t pre = (*rec)["max_preamble_lines"].value_or(std::int64_t{0});
    if (pre < 0 || pre > 100) throw bad_preset(file, "max_preamble_lines must be 0 to 100");
    p.max_preamble_lines = static_cast<std::size_t>(pre);
  }
  p.all = folded(p.all_as_written);
  p.any = folded(p.any_as_written);
  const toml::table* cols = doc["columns"].as_table();
  if (!cols || cols->empty()) throw bad_preset(file, "[columns] is missing or empty");
  for (const auto& [key, node] : *cols) {
    ColumnRule r;
    r.pattern = fold_header(std::string(key.str()));
    if (auto s = node.value<std::string>()) {
      r.field = *s;
    } else if (const toml::table* t = node.as_table()) {
      r.field = (*t)["field"].value_or(std::string());
      r.split = (*t)["split"].value_or(std::string());
      r.contains = domain::fold_case((*t)["contains"].value_or(std::string()));
      r.join = (*t)["join"].value_or(std::string());
      for (const std::string& d : strings(t->get("drop"), file, "drop"))
        r.drop.push_back(domain::fold_case(d));
      r.date_formats = strings(t->get("dates"), file, "dates");
    } else {
      throw bad_preset(file, "column \"" + std::string(key.str()) +
                                 "\" must map to a field name or a table");
    }
    if (!known_target(r.field))
      throw bad_preset(file, "column \"" + std::string(key.str()) + "\": unknown field \"" +
                                 r.field + "\"");
    p.columns.push_back(std::move(r));
  }
  order_rules(p.columns);
  return p;
}

std::vector<Preset> load_presets(const std::string& dir) {
  std::vector<Preset> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".toml") out.push_back(load_preset(entry.path().string()));
  if (ec) throw Problem(Problem::Kind::internal, "No import presets", "cannot read the import presets in " + dir);
  std::sort(out.begin(), out.end(), [](const Preset& a, const Preset& b) {
    return a.priority != b.priority ? a.priority > b.priority : a.name < b.name;
  });
  return out;
}

Preset custom_preset(const std::map<std::string, std::string>& mapping) {
  if (mapping.empty())
    throw Problem::bad_request("the custom preset needs a mapping of columns to fields",
                               "mapping");
  Preset p;
  p.name = "custom";
  p.label = "custom mapping";
  // A mapping changed from a preset's reading names the same header, which may come after
  // a preamble (LinkedIn's notes: its preset reads past 5 lines); every column the mapping
  // names must be in it, which no line of such a preamble holds.
  p.max_preamble_lines = 5;
  for (const auto& [column, field] : mapping) {
    if (!known_target(field))
      throw Problem::bad_request("mapping: column \"" + column + "\" names an unknown field \"" +
                                     field + "\"",
                                 "mapping");
    ColumnRule r;
    r.pattern = fold_header(column);
    r.field = field;
    p.columns.push_back(std::move(r));
    p.all_as_written.push_back(column);
    p.all.push_back(fold_header(column));
  }
  return p;
}

}  // namespace relance::imports::detail
