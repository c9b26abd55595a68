// The steps every write of a record takes inside its transaction, in one place: check the
// caller's right and the row's version, check the references, write the row, append the
// audit entry and the outbox event, replay an Idempotency-Key.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "domain/fields.hpp"
#include "domain/problem.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"
#include "services/write_outcome.hpp"

namespace relance::services {

// restore: a deleted row inserted again as it was, with its id (undoing a contact merge).
enum class WriteKind { create, update, remove, restore };

// Refuses (403) a read-only token.
void require_write(const auth::Principal& p);

// The caller's own row `id`, inside the write, at the version the caller expects. Throws
// what submit_outcome() turns into a conflict outcome (another version) or a not_found one
// (no such row, or another organisation's); a row the caller only reads (`visible`: staff,
// another organisation's shared row) is a Problem 403.
storage::Row owned_row(storage::WriteTxn& tx, const storage::Entity& e, const auth::Principal& p,
                       std::int64_t id, const storage::Scope& visible,
                       std::optional<std::int64_t> expected_version);

// Ends the running job in `outcome` (a conflict or not_found): the job is rolled back and
// submit_outcome() hands `outcome` to its callback.
[[noreturn]] void refuse(WriteOutcome outcome);

// The invalid outcome of an invalid Problem (what the field rules throw): its sentence and field.
WriteOutcome invalid_outcome(const Problem& problem);

// Runs `check`, what a write verifies before its job: an invalid Problem it throws ends the
// write in an invalid outcome, handed to `done`, and checked() is false (submit nothing).
// Other problems (forbidden...) are thrown on.
template <class Check>
bool checked(const OutcomeCallback& done, Check&& check) {
  try {
    check();
    return true;
  } catch (const Problem& problem) {
    if (problem.kind() != Problem::Kind::invalid) throw;
    done(nullptr, invalid_outcome(problem));
    return false;
  }
}

// What the field rules need to know of the organisation.
domain::FieldContext context_of(const OrgSettings& org);

// Refuses (422) a reference field that points to no row the caller's organisation owns
// (trade missions and fairs: its own or the region's), exactly as one that points nowhere.
void check_references(storage::WriteTxn& tx, const storage::Entity& e, const storage::Row& row,
                      const std::vector<std::size_t>& changed, std::int64_t org_id);

// The `changed` member of an update's event: {"stage":true,...}, the fields `changed` names.
std::string changed_json(const storage::Entity& e, const std::vector<std::size_t>& changed);

// Writes `row` (insert, update, delete or restore), its audit entry and its outbox event of
// type `event_type` ("contact.created"...). `before` is the row before an update or delete.
// A restored row keeps its id, version, timestamps and authors. Returns the row's JSON text
// (the deleted row's for a delete), encoded once: the event's data, and the write's answer.
std::string write_record(storage::WriteTxn& tx, const auth::Principal& p, const storage::Entity& e,
                  WriteKind kind, storage::Row& row, const storage::Row* before,
                  const std::vector<std::size_t>& changed, const std::string& event_type);

// write_record(create) for each row, the rows inserted together (WriteTxn::insert_many):
// for imports, where one statement per row would cost several times more.
void create_records(storage::WriteTxn& tx, const auth::Principal& p, const storage::Entity& e,
                    std::span<storage::Row> rows, const std::string& event_type);

// The outcome of the first create with this Idempotency key of the caller, when there was
// one (Problem 422 when the key came with another request); none without a key.
std::optional<WriteOutcome> replayed(storage::WriteTxn& tx, const auth::Principal& p, const Idempotency& key);
// Keeps `created` as the outcome of the key (nothing without a key).
void remember(storage::WriteTxn& tx, const auth::Principal& p, const Idempotency& key,
              const WriteOutcome& created);

// Runs `job` on the store's writer; its outcome reaches `done` after the commit. A job that
// finds another version or no row (owned_row) is rolled back and ends in a conflict or
// not_found outcome, and one that throws an invalid Problem (a refused reference, a value
// the rules refuse) in an invalid outcome; any other error it throws (a Problem...) reaches
// `done` as the error.
void submit_outcome(storage::Store& store, std::function<WriteOutcome(storage::WriteTxn&)> job,
                    OutcomeCallback done);

// The indexes of the row's fields that hold a value (what a create or delete changes).
std::vector<std::size_t> set_fields(const storage::Entity& e, const storage::Row& row);

// The event type of a write: "contact.created", "activity.logged", "outcome.recorded"...
// A restored row is announced as created again (a consumer that saw it deleted has it back).
std::string event_type(const storage::Entity& e, WriteKind kind);

}  // namespace relance::services
