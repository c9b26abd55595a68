// The bytes of a contact's file (entities::attachments), kept as a BLOB beside the row's
// metadata and read or written only here: the entity's fields leave them out, so a list of
// a contact's files, a merge that moves them or an audit entry never reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Nothing when organisation `org_id` has no file `id`.
std::optional<std::string> read_attachment_content(Connection& c, std::int64_t org_id, std::int64_t id);
// Throws StorageError (other) when organisation `org_id` has no file `id`.
void write_attachment_content(Connection& c, std::int64_t org_id, std::int64_t id, std::string_view bytes);

}  // namespace relance::storage::sqlite
