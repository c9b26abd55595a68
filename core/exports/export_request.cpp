#include "exports/export_request.hpp"

#include <algorithm>
#include <set>

#include "domain/problem.hpp"
#include "plugin_host/datasets.hpp"

namespace relance::exports {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

void check_option(const plugin_host::ExporterFormat& format, const std::string& name, const std::string& value) {
  const auto it = std::find_if(format.options.begin(), format.options.end(),
                               [&](const plugin_host::ExporterFormat::Option& o) { return o.name == name; });
  if (it == format.options.end()) throw Problem::bad_request("no option " + name + " in format " + format.id, name);
  if (!it->choices.empty() && std::find(it->choices.begin(), it->choices.end(), value) == it->choices.end())
    throw Problem::bad_request(name + " must be one of " + joined(it->choices), name);
}

}  // namespace

std::vector<const storage::Entity*> checked_datasets(const ExportRequest& r, const plugin_host::ExporterFormat& format) {
  if (r.locale && *r.locale != "fr" && *r.locale != "en")
    throw Problem::bad_request("lang (or locale) must be fr or en", "lang");
  for (const auto& [name, value] : r.options) check_option(format, name, value);
  if (r.datasets.empty())
    throw Problem::bad_request("dataset is required: one of " + plugin_host::dataset_names(), "dataset");
  std::vector<const storage::Entity*> entities;
  std::set<std::string> seen;
  for (const std::string& name : r.datasets) {
    const storage::Entity* e = plugin_host::dataset_entity(name);
    if (!e)
      throw Problem::bad_request("unknown dataset " + name + " (available: " + plugin_host::dataset_names() + ")",
                                 "dataset");
    if (!seen.insert(name).second) throw Problem::bad_request("dataset " + name + " is listed twice", "dataset");
    entities.push_back(e);
  }
  return entities;
}

}  // namespace relance::exports
