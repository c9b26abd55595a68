#include "domain/completing_patch.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "domain/fields.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"

namespace relance::domain {
namespace json = boost::json;

namespace {

// No value: absent, null, blank text or an empty list.
bool empty_value(const json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return true;
  if (it->value().is_string()) return trim(it->value().get_string()).empty();
  if (it->value().is_array()) return it->value().get_array().empty();
  return false;
}

// `have` followed by the items of `more` it lacks, up to `limit` items; nullopt when
// nothing was added.
std::optional<json::array> union_of(std::vector<std::string> have, const std::vector<std::string>& more,
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
  json::array out;
  for (auto& s : have) out.emplace_back(s);
  return out;
}

}  // namespace

json::object completing_patch(const storage::Entity& e, const json::object& existing,
                              const json::object& incoming) {
  json::object patch;
  for (const storage::Field& f : e.fields) {
    if (f.has(storage::read_only) || f.has(storage::write_once) ||
        f.kind == storage::FieldKind::secret || empty_value(incoming, f.name))
      continue;
    if (const std::size_t limit = max_items(f); limit > 0) {
      if (auto merged = union_of(string_items(existing, f.name), string_items(incoming, f.name), limit))
        patch[f.name] = std::move(*merged);
    } else if (empty_value(existing, f.name)) {
      patch[f.name] = incoming.at(f.name);
    }
  }
  return patch;
}

}  // namespace relance::domain
