// The datasets plugins may read (relance.host.query/1) and export: the entities that
// cross the SDK, by name. Free of the SDK's headers, so that the use cases (exports,
// plugin administration) name datasets without seeing the plugin ABI.
#pragma once

#include <string>
#include <string_view>

#include "relance/model/schema.hpp"

namespace relance::plugin_host {

// The dataset of that name ("contacts"...); nullptr for another.
const storage::Entity* dataset_entity(std::string_view name);
// Their names, for messages: "contacts, companies, ...".
std::string dataset_names();

// A text column joined from elsewhere (a company's name beside company_id): placed right
// after the entity's column `after`, or after every column of the entity when `after` names
// none. Its values are given to convert().
struct ExtraColumn {
  std::string_view name;
  std::string_view after = {};
  bool personal = false;  // flagged RELANCE_COLUMN_PERSONAL (a contact's name)
};

}  // namespace relance::plugin_host
