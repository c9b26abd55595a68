// The steps every write of a record takes inside its transaction, in one place: check the
// references, write the row, append the audit entry and the outbox event.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"
#include "services/write_result.hpp"

namespace relance::services {

enum class WriteKind { create, update, remove };

// Refuses (422) a reference field that points to no row the caller's organisation owns
// (trade missions and fairs: any organisation's).
void check_references(storage::WriteTxn& tx, const storage::Entity& e, const storage::Row& row,
                      const std::vector<std::size_t>& changed, std::int64_t org_id);

// Writes `row` (insert, update or delete), its audit entry and its outbox event of type
// `event_type` ("contact.created"...). `before` is the row before an update or delete.
void write_record(storage::WriteTxn& tx, const auth::Principal& p, const storage::Entity& e,
                  WriteKind kind, storage::Row& row, const storage::Row* before,
                  const std::vector<std::size_t>& changed, const std::string& event_type);

// write_record(create) for each row, the rows inserted together (WriteTxn::insert_many):
// for imports, where one statement per row would cost several times more.
void create_records(storage::WriteTxn& tx, const auth::Principal& p, const storage::Entity& e,
                    std::span<storage::Row> rows, const std::string& event_type);

// Runs `job` on the store's writer; its result, or the error it threw (a Problem...),
// reaches `done` after the commit.
void submit_write(storage::Store& store, std::function<WriteResult(storage::WriteTxn&)> job,
                  WriteCallback done);

// The written row as the API returns it, with its ETag.
WriteResult row_result(const storage::Entity& e, const storage::Row& row, int status);

// The indexes of the row's fields that hold a value (what a create or delete changes).
std::vector<std::size_t> set_fields(const storage::Entity& e, const storage::Row& row);

// The event type of a write: "contact.created", "activity.logged", "outcome.recorded"...
std::string event_type(const storage::Entity& e, WriteKind kind);

}  // namespace relance::services
