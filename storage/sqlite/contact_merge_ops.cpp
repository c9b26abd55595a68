#include "sqlite/contact_merge_ops.hpp"

#include <limits>

#include "relance/model/instant.hpp"

namespace relance::storage::sqlite {
namespace {

constexpr const char* columns =
    "SELECT id, org_id, survivor_id, duplicate_id, merged_at, merged_by, survivor_before, "
    "survivor_after, duplicate, moved, coalesce(undone_at, ''), coalesce(undone_by, 0), "
    "coalesce(undo_result, '') FROM contact_merges";

// The columns in the order of `columns`.
ContactMergeRecord read_merge(SQLite::Statement& st) {
  int at = 0;
  auto integer = [&] { return st.getColumn(at++).getInt64(); };
  auto text = [&] { return st.getColumn(at++).getString(); };
  // A braced list is evaluated left to right: the columns are read in order.
  return ContactMergeRecord{integer(), integer(), integer(), integer(), text(), integer(), text(),
                            text(),    text(),    text(),    text(),    integer(), text()};
}

}  // namespace

std::int64_t insert_contact_merge(Connection& c, ContactMergeRecord& m) {
  return guarded([&] {
    m.merged_at = now_instant();
    auto& st = c.statement(
        "INSERT INTO contact_merges (org_id, survivor_id, duplicate_id, merged_at, merged_by, "
        "survivor_before, survivor_after, duplicate, moved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const std::vector<Value> values{m.org_id,         m.survivor_id,    m.duplicate_id,
                                    m.merged_at,      m.merged_by,      m.survivor_before,
                                    m.survivor_after, m.duplicate,      m.moved};
    bind_all(st, values);
    st.exec();
    m.id = c.db().getLastInsertRowid();
    return m.id;
  });
}

void set_contact_merge_undone(Connection& c, ContactMergeRecord& m) {
  guarded([&] {
    m.undone_at = now_instant();
    auto& st = c.statement(
        "UPDATE contact_merges SET undone_at = ?, undone_by = ?, undo_result = ? "
        "WHERE id = ? AND org_id = ? AND undone_at IS NULL");
    const std::vector<Value> values{m.undone_at, m.undone_by, m.undo_result, m.id, m.org_id};
    bind_all(st, values);
    if (st.exec() != 1)
      throw StorageError(StorageError::Kind::other, "contact merge " + std::to_string(m.id) +
                                                        " is unknown or already undone");
    return 0;
  });
}

std::optional<ContactMergeRecord> contact_merge(Connection& c, std::int64_t org_id, std::int64_t id) {
  return guarded([&]() -> std::optional<ContactMergeRecord> {
    auto& st = c.statement(std::string(columns) + " WHERE id = ? AND org_id = ?");
    st.bind(1, id);
    st.bind(2, org_id);
    if (!st.executeStep()) return std::nullopt;
    ContactMergeRecord m = read_merge(st);
    st.reset();
    return m;
  });
}

std::vector<ContactMergeRecord> contact_merges(Connection& c, const ContactMergeQuery& q) {
  return guarded([&] {
    // ?2 and ?3 are NULL when the list is not filtered by them.
    auto& st = c.statement(std::string(columns) +
                           " WHERE org_id = ?1 AND (?2 IS NULL OR survivor_id = ?2)"
                           " AND (?3 IS NULL OR duplicate_id = ?3) AND id < ?4"
                           " ORDER BY id DESC LIMIT ?5");
    st.bind(1, q.org_id);
    if (q.survivor_id) st.bind(2, *q.survivor_id);
    if (q.duplicate_id) st.bind(3, *q.duplicate_id);
    st.bind(4, q.before_id > 0 ? q.before_id : std::numeric_limits<std::int64_t>::max());
    st.bind(5, static_cast<std::int64_t>(q.limit));
    std::vector<ContactMergeRecord> out;
    while (st.executeStep()) out.push_back(read_merge(st));
    st.reset();
    return out;
  });
}

}  // namespace relance::storage::sqlite
