#include "sqlite/attachment_content.hpp"

namespace relance::storage::sqlite {

std::optional<std::string> read_attachment_content(Connection& c, std::int64_t org_id, std::int64_t id) {
  return guarded([&]() -> std::optional<std::string> {
    auto& st = c.statement("SELECT content FROM attachments WHERE id = ? AND org_id = ?");
    st.bind(1, id);
    st.bind(2, org_id);
    if (!st.executeStep()) return std::nullopt;
    const SQLite::Column column = st.getColumn(0);
    const auto size = static_cast<std::size_t>(column.getBytes());
    std::string bytes = size ? std::string(static_cast<const char*>(column.getBlob()), size) : std::string();
    st.reset();
    return bytes;
  });
}

void write_attachment_content(Connection& c, std::int64_t org_id, std::int64_t id, std::string_view bytes) {
  guarded([&] {
    auto& st = c.statement("UPDATE attachments SET content = ? WHERE id = ? AND org_id = ?");
    st.bindNoCopy(1, static_cast<const void*>(bytes.data()), static_cast<int>(bytes.size()));
    st.bind(2, id);
    st.bind(3, org_id);
    st.exec();
    if (c.db().getChanges() != 1)
      throw StorageError(StorageError::Kind::other, "no attachment " + std::to_string(id) + " to write the bytes of");
  });
}

}  // namespace relance::storage::sqlite
