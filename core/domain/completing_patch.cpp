#include "domain/completing_patch.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "domain/fields.hpp"
#include "domain/json_text.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"

namespace relance::domain {
namespace json = boost::json;
using storage::Entity;
using storage::Field;
using storage::Row;

namespace {

// Fields a client may not write are never completed.
bool completable(const Field& f) {
  return !f.has(storage::read_only) && !f.has(storage::write_once) &&
         f.kind != storage::FieldKind::secret;
}

// `have` followed by the items of `more` it lacks, up to `limit` items; nullopt when
// nothing was added.
std::optional<std::vector<std::string>> union_of(std::vector<std::string> have,
                                                 const std::vector<std::string>& more,
                                                 std::size_t limit) {
  std::vector<std::string> keys;
  for (const auto& h : have) keys.push_back(fold_case(trim(h)));
  const std::size_t before = have.size();
  for (const auto& item : more) {
    if (have.size() >= limit) break;
    std::string key = fold_case(trim(item));
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(std::move(key));
    have.push_back(item);
  }
  if (have.size() == before) return std::nullopt;
  return have;
}

json::array to_array(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

// The rule, whatever the records' form: `Form` says whether a record has no value for a
// field, gives a list field's items, and writes the outcome.
template <class Form>
void complete(const Entity& e, Form& form) {
  for (std::size_t i = 0; i < e.fields.size(); ++i) {
    const Field& f = e.fields[i];
    if (!completable(f) || form.empty(form.incoming, i)) continue;
    if (const std::size_t limit = max_items(f); limit > 0) {
      if (auto merged = union_of(form.items(form.existing, i), form.items(form.incoming, i), limit))
        form.merge(i, *merged);
    } else if (form.empty(form.existing, i)) {
      form.take(i);
    }
  }
}

// Records as the API shows them; the outcome is a patch.
struct JsonForm {
  const Entity& e;
  const json::object& existing;
  const json::object& incoming;
  json::object patch;

  // No value: absent, null, blank text or an empty list.
  bool empty(const json::object& o, std::size_t i) const {
    auto it = o.find(e.fields[i].name);
    if (it == o.end() || it->value().is_null()) return true;
    if (it->value().is_string()) return trim(it->value().get_string()).empty();
    if (it->value().is_array()) return it->value().get_array().empty();
    return false;
  }
  std::vector<std::string> items(const json::object& o, std::size_t i) const {
    return string_items(o, e.fields[i].name);
  }
  void merge(std::size_t i, const std::vector<std::string>& items) { patch[e.fields[i].name] = to_array(items); }
  void take(std::size_t i) { patch[e.fields[i].name] = incoming.at(e.fields[i].name); }
};

// Rows as stored; the outcome is written into `existing`.
struct RowForm {
  const Entity& e;
  Row& existing;
  const Row& incoming;
  std::vector<std::size_t> changed;

  static const storage::Value& value(const Row& r, std::size_t i) {
    static const storage::Value null_value;
    return i < r.values.size() ? r.values[i] : null_value;
  }
  // No value: null, blank text or an empty list.
  bool empty(const Row& r, std::size_t i) const {
    const storage::Value& v = value(r, i);
    if (storage::is_null(v)) return true;
    if (max_items(e.fields[i]) > 0) return items(r, i).empty();
    if (const auto* s = std::get_if<std::string>(&v)) return trim(*s).empty();
    return false;
  }
  // A list is stored as the JSON array text of its strings (fields.cpp, to_storage).
  std::vector<std::string> items(const Row& r, std::size_t i) const {
    const auto* text = std::get_if<std::string>(&value(r, i));
    return text ? domain::read_text_list(*text) : std::vector<std::string>{};
  }
  void merge(std::size_t i, const std::vector<std::string>& items) {
    set(i, json::serialize(to_array(items)));
  }
  void take(std::size_t i) { set(i, value(incoming, i)); }
  void set(std::size_t i, storage::Value v) {
    existing.values.resize(e.fields.size());
    existing.values[i] = std::move(v);
    changed.push_back(i);
  }
};

}  // namespace

json::object completing_patch(const Entity& e, const json::object& existing, const json::object& incoming) {
  JsonForm form{e, existing, incoming, {}};
  complete(e, form);
  return std::move(form.patch);
}

std::vector<std::size_t> complete_row(const Entity& e, Row& existing, const Row& incoming) {
  RowForm form{e, existing, incoming, {}};
  complete(e, form);
  return std::move(form.changed);
}

}  // namespace relance::domain
