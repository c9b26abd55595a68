// The text of every schema migration (schema_upgrade.hpp applies them).
#pragma once

#include <span>
#include <string>

namespace relance::storage::sqlite {

struct Migration {
  int version;
  const char* name;
  std::string sql;
};

// Every migration, in order; migration N brings the schema to version N.
std::span<const Migration> migrations();

}  // namespace relance::storage::sqlite
