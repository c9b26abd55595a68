#pragma once

#include "relance/storage/sqlite_store.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Sets the pragmas every read-write connection uses.
void configure_writer(Connection& c, const SqliteOptions& o);
// Checks the schema version and applies pending migrations, each in its own transaction.
MigrationReport apply_migrations(Connection& c);

}  // namespace relance::storage::sqlite
