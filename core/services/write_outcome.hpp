// What a write of a record (or a contact merge) came to, in the terms of the use case: the
// API turns it into a status, an ETag and a body (api/outcome_response.cpp), another front
// into whatever it shows.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>

namespace relance::services {

struct WriteOutcome {
  enum class Kind {
    created,    // a new row (or merge): `json` is it
    updated,    // the row as it now is (also when nothing changed), or an undone merge
    deleted,    // gone: `json` is empty
    conflict,   // the row's version is not the one expected: `version` is its current one
    not_found,  // no such row of the caller's organisation
    invalid,    // the rules refuse a value: `detail` says why, `field` names it
  };
  Kind kind = Kind::updated;
  std::int64_t id = 0;
  std::int64_t version = 0;  // of the row written (or found, on a conflict); 0: none (a merge)
  // The row (or merge) as JSON text, encoded once: the same text is the outbox event's data.
  std::string json;
  std::string detail;  // on a conflict, what changed; on not_found, what is missing when it is
                       // not the row written (empty: the row); on invalid, what is wrong
  std::string field;   // on not_found: the request's field that names the missing row, if any;
                       // on invalid: the field refused ("emails/0")
};

// Called once: on the storage writer's thread after the commit (or the rollback for a
// conflict, a missing row or an invalid value found in the job), or on the caller's thread
// when the request is refused before any job (an invalid field). `error` is set when the
// write failed otherwise: a Problem (forbidden, a read-only token, a conflicting unique
// value...), a storage::StorageError or another exception; `outcome` is then empty.
using OutcomeCallback = std::function<void(std::exception_ptr error, WriteOutcome outcome)>;

// An Idempotency-Key of a create and what identifies the request it came with: a second
// create with the same key and digest answers the first one's outcome again.
struct Idempotency {
  std::string key;  // empty: none
  std::string request_digest;
};

}  // namespace relance::services
