#include "plugin_host/datasets.hpp"

#include <array>

namespace relance::plugin_host {
namespace {

const std::array<const storage::Entity*, 6>& datasets() {
  namespace ent = storage::entities;
  static const std::array<const storage::Entity*, 6> all{&ent::contacts, &ent::companies, &ent::leads,
                                                         &ent::activities, &ent::followups, &ent::outcomes};
  return all;
}

}  // namespace

const storage::Entity* dataset_entity(std::string_view name) {
  for (const storage::Entity* e : datasets())
    if (e->name == name) return e;
  return nullptr;
}

std::string dataset_names() {
  std::string out;
  for (const storage::Entity* e : datasets()) {
    if (!out.empty()) out += ", ";
    out += e->name;
  }
  return out;
}

}  // namespace relance::plugin_host
