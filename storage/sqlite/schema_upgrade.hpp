// Brings a database file's schema up to date: the migration scripts
// (migration_scripts.hpp) applied in order, and the pragmas of a read-write connection.
#pragma once

#include "relance/storage/sqlite_store.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Sets the pragmas every read-write connection uses.
void configure_writer(Connection& c, const SqliteOptions& o);
// Checks the schema version and applies pending migrations, each in its own transaction, up
// to `target_version` (0: the latest).
MigrationReport apply_migrations(Connection& c, int target_version = 0);

}  // namespace relance::storage::sqlite
