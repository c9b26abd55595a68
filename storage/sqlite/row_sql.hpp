// Row operations on one connection, shared by the writer and the readers so that a row is
// read, scoped and written by one piece of code whichever connection runs it.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "relance/model/instant.hpp"
#include "relance/storage/store.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Instants: relance/model/instant.hpp.

std::optional<Row> get_row(Connection& c, const Entity& e, const Scope& s, std::int64_t id);
// The same into `row`, reusing its storage (Store::get_into).
bool get_row_into(Connection& c, const Entity& e, const Scope& s, std::int64_t id, Row& row);
std::vector<Row> list_rows(Connection& c, const Entity& e, const ListQuery& q);
// The rows list_rows would return, one at a time, while `visit` returns true.
void for_each_row(Connection& c, const Entity& e, const ListQuery& q, const std::function<bool(Row&)>& visit);
std::optional<Row> find_unique_row(Connection& c, const Entity& e, std::string_view field,
                                   const Value& v);
std::int64_t count_rows(Connection& c, const Entity& e, const Scope& s);
std::int64_t insert_row(Connection& c, const Entity& e, Row& row);
// insert_row for each row, in a few multi-row statements (WriteTxn::insert_many). Many
// times faster for an entity with a full-text index: FTS5 flushes its pending terms into a
// new segment at the start of every writing statement inside a transaction, so one
// statement per row makes one segment (and merges) per row.
void insert_rows(Connection& c, const Entity& e, std::span<Row> rows);
void update_row(Connection& c, const Entity& e, Row& row);
// Inserts the row with its header as it is (WriteTxn::restore).
void restore_row(Connection& c, const Entity& e, const Row& row);
void delete_row(Connection& c, const Entity& e, std::int64_t org_id, std::int64_t id);
bool is_referenced(Connection& c, const Entity& by, std::string_view field, std::int64_t id);
std::vector<Row> referencing_rows(Connection& c, const Entity& by, std::string_view field,
                                  std::int64_t id, std::int64_t org_id);

// The follow-up scheduler's queries (Store::due_followups, stale_leads, digest_recorded).
std::vector<Row> due_followup_rows(Connection& c, const std::string& now, std::size_t limit);
std::vector<Store::StaleLead> stale_lead_rows(Connection& c, std::int64_t org_id, std::optional<std::int64_t> owner_id,
                                              const std::optional<std::string>& stage, const std::string& before,
                                              std::size_t limit);
bool digest_recorded(Connection& c, std::int64_t user_id, const std::string& day);

// The FTS5 query for what a user typed: every word must match, as a prefix. Quotes make
// every word a plain string, so no user input is read as FTS syntax; words with nothing to
// index (blanks, punctuation) are left out, and the result is empty when none is left.
// Inside one organisation every column matches. Region staff searching other
// organisations' rows of an entity they see redacted match only its public text: a hit
// on a hidden field would tell what the field holds.
std::string fts_query(const std::string& typed, const Entity& e, const Scope& scope);

}  // namespace relance::storage::sqlite
