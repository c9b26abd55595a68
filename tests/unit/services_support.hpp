// A small world for the services' unit tests, on the in-memory store (memory_store.hpp): two
// start-ups (Alpha, Beta) and a region, a member of each start-up and a region staff user,
// and helpers that run a write and return its outcome. No daemon, no HTTP.
#pragma once

#include <exception>
#include <optional>
#include <string>

#include "memory_store.hpp"
#include "services/contact_merges.hpp"
#include "services/org_directory.hpp"
#include "services/record_service.hpp"

namespace relance::test {

struct ServicesWorld {
  MemoryStore store;
  services::OrgDirectory orgs{store};
  services::RecordService records{store, orgs};
  services::ContactMergeService merges{store, orgs, records};
  auth::Principal ann;  // member of Alpha
  auth::Principal bob;  // member of Beta
  auth::Principal sam;  // staff of the region

  ServicesWorld();

  // Runs a write (`call` takes the callback) and returns its outcome; rethrows its error.
  template <class Call>
  services::WriteOutcome run(Call&& call) {
    std::exception_ptr error;
    std::optional<services::WriteOutcome> outcome;
    call([&](std::exception_ptr e, services::WriteOutcome o) {
      error = e;
      outcome = std::move(o);
    });
    if (error) std::rethrow_exception(error);
    return std::move(*outcome);
  }

  // Creates a record of `e` as `p` with `fields` (JSON text); returns its id.
  std::int64_t create(const auth::Principal& p, const storage::Entity& e, const std::string& fields);
};

// The JSON object of a JSON text.
boost::json::object object_of(const std::string& json_text);

}  // namespace relance::test
