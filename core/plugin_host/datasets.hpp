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

}  // namespace relance::plugin_host
