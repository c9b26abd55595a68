// ContactZones: the time zone of the contact a follow-up is about, read once per contact
// (a list or an export shows many follow-ups of few contacts). The follow-up views and the
// exports show a follow-up's due time in that zone too, so it lives with the services both
// use.
//
// Thread safety: one instance per thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "relance/storage/store.hpp"

namespace relance::services {

class ContactZones {
 public:
  // `scope`: the contacts the reader may see (a contact out of it has no zone here).
  ContactZones(storage::Store& store, storage::Scope scope) : store_(store), scope_(scope) {}

  // nullptr when the follow-up has no contact, or the contact no zone.
  const std::string* of(const storage::Row& followup) {
    const auto id = followup.integer(storage::entities::followups, "contact_id");
    if (!id) return nullptr;
    auto it = zones_.find(*id);
    if (it == zones_.end()) {
      std::optional<std::string> zone;
      if (auto c = store_.get(storage::entities::contacts, scope_, *id))
        if (const std::string* z = c->text(storage::entities::contacts, "time_zone")) zone = *z;
      it = zones_.emplace(*id, std::move(zone)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

 private:
  storage::Store& store_;
  storage::Scope scope_;
  std::map<std::int64_t, std::optional<std::string>> zones_;
};

}  // namespace relance::services
