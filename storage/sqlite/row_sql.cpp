#include "sqlite/row_sql.hpp"

#include "relance/model/instant.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <array>
#include <map>
#include <mutex>
#include <stdexcept>

namespace relance::storage::sqlite {
namespace {

constexpr const char* header_columns[] = {"id",         "org_id",     "version",   "created_at",
                                          "updated_at", "created_by", "updated_by"};
constexpr int header_count = 7;

// The SQL of one entity, built once from its descriptor.
struct EntitySql {
  std::string table;
  std::string columns;  // "SELECT t.id, ..."
  std::string select;   // columns + " FROM table t"
  std::string insert;
  std::string insert_head;   // insert up to " VALUES "
  std::string values_group;  // one row's "(?, 1, ?, ...)"
  std::string restore;       // an insert of every column, the header's included
  std::string update;
  std::string remove;
  std::array<std::string, 4> get;  // by id, per Scope::Kind (built in sql_of)
};

void scope_clause(const Entity& e, const Scope& s, std::string& where, std::vector<Value>& params);

EntitySql build_sql(const Entity& e) {
  EntitySql s;
  s.table = std::string(e.name);
  std::string cols, names, marks, sets;
  for (const char* h : header_columns) cols += std::string(cols.empty() ? "" : ", ") + "t." + h;
  for (const Field& f : e.fields) {
    cols += ", t." + std::string(f.name);
    names += ", " + std::string(f.name);
    marks += ", ?";
    sets += ", " + std::string(f.name) + " = ?";
  }
  s.columns = "SELECT " + cols;
  s.select = s.columns + " FROM " + s.table + " t";
  s.insert_head = "INSERT INTO " + s.table +
                  " (org_id, version, created_at, updated_at, created_by, updated_by" + names +
                  ") VALUES ";
  s.values_group = "(?, 1, ?, ?, ?, ?" + marks + ")";
  s.insert = s.insert_head + s.values_group;
  s.restore = "INSERT INTO " + s.table +
              " (id, org_id, version, created_at, updated_at, created_by, updated_by" + names +
              ") VALUES (?, ?, ?, ?, ?, ?, ?" + marks + ")";
  s.update = "UPDATE " + s.table + " SET version = ?, updated_at = ?, updated_by = ?" + sets +
             " WHERE id = ? AND org_id = ?";
  s.remove = "DELETE FROM " + s.table + " WHERE id = ? AND org_id = ?";
  return s;
}

// Built once, for every entity, on first use; read without a lock afterwards.
const EntitySql& sql_of(const Entity& e) {
  static const std::map<const Entity*, EntitySql> built = [] {
    std::map<const Entity*, EntitySql> m;
    for (const Entity* entity : all_entities()) {
      EntitySql sql = build_sql(*entity);
      for (auto kind : {Scope::Kind::org, Scope::Kind::org_and_shared, Scope::Kind::everything,
                        Scope::Kind::org_and_region}) {
        std::string where = " WHERE t.id = ?";
        std::vector<Value> unused;
        scope_clause(*entity, Scope{kind, 0}, where, unused);
        sql.get[static_cast<std::size_t>(kind)] = sql.select + where;
      }
      m.emplace(entity, std::move(sql));
    }
    return m;
  }();
  auto it = built.find(&e);
  if (it == built.end()) throw std::invalid_argument("unknown entity " + std::string(e.name));
  return it->second;
}

// Into `r`'s existing strings and vector, so that a reused Row allocates only when a value
// outgrows what it held before.
void read_row_into(SQLite::Statement& st, const Entity& e, Row& r) {
  r.id = st.getColumn(0).getInt64();
  r.org_id = st.getColumn(1).getInt64();
  r.version = st.getColumn(2).getInt64();
  r.created_at.assign(st.getColumn(3).getText(), static_cast<std::size_t>(st.getColumn(3).getBytes()));
  r.updated_at.assign(st.getColumn(4).getText(), static_cast<std::size_t>(st.getColumn(4).getBytes()));
  r.created_by = st.getColumn(5).getInt64();
  r.updated_by = st.getColumn(6).getInt64();
  r.values.resize(e.fields.size());
  for (std::size_t i = 0; i < e.fields.size(); ++i)
    read_column_into(st, header_count + static_cast<int>(i), r.values[i]);
}

Row read_row(SQLite::Statement& st, const Entity& e) {
  Row r;
  read_row_into(st, e, r);
  return r;
}

// The rows of another organisation that region staff may read.
std::string shared_rule(const Entity& e) {
  switch (e.sharing) {
    case Sharing::always:
    case Sharing::region_wide: return "1";
    case Sharing::via_lead:
      return "EXISTS (SELECT 1 FROM leads l WHERE l.id = t.lead_id AND l.shared_with_region = 1)";
    case Sharing::via_contact:
      return "EXISTS (SELECT 1 FROM leads l WHERE l.shared_with_region = 1 AND "
             "l.contact_id = t.id)";
    case Sharing::never: break;
  }
  return "0";
}

// Appends the scope condition and its parameters.
void scope_clause(const Entity& e, const Scope& s, std::string& where, std::vector<Value>& params) {
  if (!e.org_owned && s.kind != Scope::Kind::everything) {
    where += " AND t.id = ?";  // an organisation sees itself
    params.emplace_back(s.org_id);
    return;
  }
  switch (s.kind) {
    case Scope::Kind::org:
      where += " AND t.org_id = ?";
      params.emplace_back(s.org_id);
      break;
    case Scope::Kind::org_and_shared:
      where += " AND (t.org_id = ? OR " + shared_rule(e) + ")";
      params.emplace_back(s.org_id);
      break;
    case Scope::Kind::org_and_region:
      // The organisations of kind region are few (one, in practice): the subquery is a
      // scan of a handful of rows, and it keeps the region's id out of the statement.
      where += e.sharing == Sharing::region_wide
                   ? " AND (t.org_id = ? OR t.org_id IN (SELECT o.id FROM organisations o WHERE o.kind = 'region'))"
                   : " AND t.org_id = ?";
      params.emplace_back(s.org_id);
      break;
    case Scope::Kind::everything: break;
  }
}

bool is_header_column(std::string_view name) {
  for (const char* h : header_columns)
    if (name == h) return true;
  return false;
}

std::string checked_column(const Entity& e, std::string_view name) {
  if (!is_header_column(name) && !e.field(name))
    throw std::invalid_argument("no field " + std::string(name) + " in " + std::string(e.name));
  return "t." + std::string(name);
}

// A column a list may be ordered by: keyset paging compares (value, id) pairs, which a NULL
// would break, so only the header's columns and NOT NULL fields.
std::string ordering_column(const Entity& e, std::string_view name) {
  const storage::Field* f = e.field(name);
  if (!is_header_column(name) && !(f && f->has(storage::not_null)))
    throw std::invalid_argument("cannot order " + std::string(e.name) + " by " + std::string(name));
  return "t." + std::string(name);
}

}  // namespace


std::string fts_query(const std::string& typed, const Entity& e, const Scope& scope) {
  std::string words;
  std::size_t i = 0;
  while (i < typed.size()) {
    while (i < typed.size() && (typed[i] == ' ' || typed[i] == '\t' || typed[i] == '\n')) ++i;
    std::size_t j = i;
    while (j < typed.size() && typed[j] != ' ' && typed[j] != '\t' && typed[j] != '\n') ++j;
    // A word the tokenizer reads as nothing but separators ("&", "(", "-") would be an empty
    // phrase, which matches no row at all: leave it out instead.
    bool indexed = false;
    for (std::size_t k = i; k < j; ++k) {
      const auto u = static_cast<unsigned char>(typed[k]);
      if (u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z'))
        indexed = true;
    }
    if (indexed) {
      std::string word;
      for (std::size_t k = i; k < j; ++k) {
        if (typed[k] == '"') word += '"';
        word += typed[k];
      }
      words += (words.empty() ? "" : " AND ") + std::string("\"") + word + "\"*";
    }
    i = j;
  }
  if (words.empty()) return {};  // nothing to search for
  const std::string all = "{public personal}:(" + words + ")";
  const std::string own = "(org_key:o" + std::to_string(scope.org_id) + " AND " + all + ")";
  switch (scope.kind) {
    case Scope::Kind::org: return own;
    // The region's rows cannot be told apart in the index (org_key names one organisation);
    // no entity shared region-wide has searchable fields (a unit test says so).
    case Scope::Kind::org_and_region: return own;
    case Scope::Kind::org_and_shared:
      if (e.sharing == Sharing::always) return own + " OR ({public}:(" + words + "))";
      return all;
    case Scope::Kind::everything: break;
  }
  return all;
}

bool get_row_into(Connection& c, const Entity& e, const Scope& s, std::int64_t id, Row& row) {
  return guarded([&] {
    SQLite::Statement& st = c.fixed_statement(sql_of(e).get[static_cast<std::size_t>(s.kind)]);
    // Parameters as scope_clause lays them out: the id, then the organisation if scoped.
    st.bind(1, id);
    if (s.kind != Scope::Kind::everything) st.bind(2, s.org_id);
    if (!st.executeStep()) return false;
    read_row_into(st, e, row);
    st.reset();
    return true;
  });
}

std::optional<Row> get_row(Connection& c, const Entity& e, const Scope& s, std::int64_t id) {
  Row r;
  if (!get_row_into(c, e, s, id, r)) return std::nullopt;
  return r;
}

std::vector<Row> list_rows(Connection& c, const Entity& e, const ListQuery& q) {
  std::vector<Row> rows;
  if (q.limit == 0) return rows;  // a page of nothing (for_each_row reads 0 as "no limit")
  for_each_row(c, e, q, [&](const Row& r) {
    rows.push_back(r);
    return true;
  });
  return rows;
}

namespace {

// The SQL of a list query, built clause by clause, with its parameters in the order the
// clauses bind them.
struct ListSql {
  std::string from;
  std::string id_col = "t.id";  // the id column of the table that drives the loop
  std::string where = " WHERE 1";
  std::vector<Value> params;
  const Filter* driving_tag = nullptr;  // the ?tag= filter the FROM clause already applies
  std::string match;                    // the full-text condition, unless it drives the loop
};

// A page in id order is best driven by an index already in id order: the tags table for
// ?tag=, the full-text index for ?q= (FTS5 returns rowids in order). The page then costs its
// own size, however many rows match; CROSS JOIN keeps SQLite from choosing another outer
// loop.
ListSql driving_index(const EntitySql& sql, const Entity& e, const ListQuery& q) {
  ListSql l;
  l.from = " FROM " + sql.table + " t";
  l.match = q.search.empty() ? std::string() : fts_query(q.search, e, q.scope);
  if (q.sort != "id") return l;
  for (const Filter& f : q.filters)
    if (f.op == Filter::Op::has_tag && q.scope.kind == Scope::Kind::org && !l.driving_tag)
      l.driving_tag = &f;
  if (l.driving_tag) {
    l.from = " FROM tags g CROSS JOIN " + sql.table + " t ON t.id = g.row_id";
    l.id_col = "g.row_id";
    l.where += " AND g.entity = '" + sql.table + "' AND g.org_id = ? AND g.tag = ?";
    l.params.emplace_back(q.scope.org_id);
    l.params.push_back(l.driving_tag->value);
  } else if (!l.match.empty()) {
    l.from = " FROM " + sql.table + "_fts f CROSS JOIN " + sql.table + " t ON t.id = f.rowid";
    l.id_col = "f.rowid";
    l.where += " AND " + sql.table + "_fts MATCH ?";
    l.params.emplace_back(std::move(l.match));
    l.match.clear();
  }
  return l;
}

// The query's filters and its full-text condition (when it does not drive the loop).
void filter_clauses(const EntitySql& sql, const Entity& e, const ListQuery& q, ListSql& l) {
  for (const Filter& f : q.filters) {
    if (&f == l.driving_tag) continue;
    const std::string col = checked_column(e, f.field);
    switch (f.op) {
      case Filter::Op::eq: l.where += " AND " + col + " = ?"; break;
      case Filter::Op::ge: l.where += " AND " + col + " >= ?"; break;
      case Filter::Op::lt: l.where += " AND " + col + " < ?"; break;
      case Filter::Op::is_null: l.where += " AND " + col + " IS NULL"; continue;
      // One statement whatever the number of ids (the statement cache keeps it).
      case Filter::Op::one_of: l.where += " AND " + col + " IN (SELECT value FROM json_each('[' || ? || ']'))"; break;
      case Filter::Op::has_tag:
        if (q.scope.kind == Scope::Kind::org) {
          l.where += " AND t.id IN (SELECT row_id FROM tags WHERE entity = '" + sql.table +
                     "' AND org_id = ? AND tag = ?)";
          l.params.emplace_back(q.scope.org_id);
        } else {
          l.where += " AND t.id IN (SELECT row_id FROM tags WHERE entity = '" + sql.table +
                     "' AND tag = ?)";
        }
        break;
    }
    l.params.push_back(f.value);
  }
  if (!l.match.empty()) {
    l.where += " AND t.id IN (SELECT rowid FROM " + sql.table + "_fts WHERE " + sql.table +
               "_fts MATCH ?)";
    l.params.emplace_back(std::move(l.match));
  }
}

// Keyset paging: the rows after the cursor, in the sort order, at most `limit` of them.
// Returns the ORDER BY and LIMIT clauses.
std::string page_clauses(const Entity& e, const ListQuery& q, ListSql& l) {
  const bool by_id = q.sort == "id";
  const std::string sort = ordering_column(e, q.sort);
  const char* cmp = q.descending ? "<" : ">";
  if (q.after_id) {
    if (by_id) {
      l.where += " AND " + l.id_col + " " + cmp + " ?";
    } else {
      l.where += " AND (" + sort + ", t.id) " + cmp + " (?, ?)";
      l.params.push_back(q.after_sort.value_or(Value{}));
    }
    l.params.emplace_back(*q.after_id);
  }
  const char* dir = q.descending ? " DESC" : "";
  // limit 0: every row (a scan).
  l.params.emplace_back(q.limit ? static_cast<std::int64_t>(q.limit) : std::int64_t{-1});
  return " ORDER BY " + (by_id ? std::string() : sort + dir + ", ") + l.id_col + dir + " LIMIT ?";
}

// Steps `st` and hands each row to `visit` while it returns true; `st` is reset either way.
void visit_rows(SQLite::Statement& st, const Entity& e, const std::function<bool(Row&)>& visit) {
  try {
    while (st.executeStep()) {
      Row r = read_row(st, e);
      if (!visit(r)) break;
    }
  } catch (...) {
    st.reset();
    throw;
  }
  st.reset();
}

}  // namespace

void for_each_row(Connection& c, const Entity& e, const ListQuery& q, const std::function<bool(Row&)>& visit) {
  if (!q.search.empty() && !e.has_search())
    throw std::invalid_argument(std::string(e.name) + " has no full-text index");
  guarded([&] {
    const EntitySql& sql = sql_of(e);
    ListSql l = driving_index(sql, e, q);
    scope_clause(e, q.scope, l.where, l.params);
    filter_clauses(sql, e, q, l);
    const std::string order_and_limit = page_clauses(e, q, l);
    SQLite::Statement& st = c.statement(sql.columns + l.from + l.where + order_and_limit);
    bind_all(st, l.params);
    visit_rows(st, e, visit);
  });
}

std::optional<Row> find_unique_row(Connection& c, const Entity& e, std::string_view field,
                                   const Value& v) {
  return guarded([&]() -> std::optional<Row> {
    SQLite::Statement& st = c.statement(sql_of(e).select + " WHERE " + checked_column(e, field) +
                                        " = ? LIMIT 1");
    bind(st, 1, v);
    if (!st.executeStep()) return std::nullopt;
    Row r = read_row(st, e);
    st.reset();
    return r;
  });
}

std::int64_t count_rows(Connection& c, const Entity& e, const Scope& s) {
  return guarded([&] {
    std::string where = " WHERE 1";
    std::vector<Value> params;
    scope_clause(e, s, where, params);
    SQLite::Statement& st = c.statement("SELECT count(*) FROM " + sql_of(e).table + " t" + where);
    bind_all(st, params);
    st.executeStep();
    const std::int64_t n = st.getColumn(0).getInt64();
    st.reset();
    return n;
  });
}

namespace {

// Binds the insert's parameters of one row, from `i` on; fills in its version and times.
void bind_insert(SQLite::Statement& st, int& i, const Entity& e, Row& row) {
  row.version = 1;
  row.created_at = row.updated_at = now_instant();
  if (row.updated_by == 0) row.updated_by = row.created_by;
  row.values.resize(e.fields.size());
  st.bind(i++, row.org_id);
  st.bindNoCopy(i++, row.created_at);
  st.bindNoCopy(i++, row.updated_at);
  st.bind(i++, row.created_by);
  st.bind(i++, row.updated_by);
  for (const Value& v : row.values) bind(st, i++, v);
}

}  // namespace

std::int64_t insert_row(Connection& c, const Entity& e, Row& row) {
  return guarded([&] {
    SQLite::Statement& st = c.statement(sql_of(e).insert);
    int i = 1;
    bind_insert(st, i, e, row);
    st.exec();
    row.id = c.db().getLastInsertRowid();
    if (!e.org_owned && row.org_id == 0) {
      // An organisation owns itself: its org_id is its own id.
      row.org_id = row.id;
      SQLite::Statement& fix = c.statement("UPDATE " + sql_of(e).table + " SET org_id = id WHERE id = ?");
      fix.bind(1, row.id);
      fix.exec();
    }
    return row.id;
  });
}

void insert_rows(Connection& c, const Entity& e, std::span<Row> rows) {
  if (!e.org_owned) {  // organisations fix their org_id one by one
    for (Row& r : rows) insert_row(c, e, r);
    return;
  }
  guarded([&] {
    const EntitySql& sql = sql_of(e);
    // Statements of 1024, 256, 64, 16, 4 or 1 rows: six statements to cache per entity.
    // 1024 rows of contacts bind about 25,000 parameters, under SQLite's 32,766.
    std::size_t done = 0;
    for (std::size_t size = 1024; done < rows.size(); size /= 4) {
      if (rows.size() - done < size) continue;
      std::string text = sql.insert_head;  // once per size, for every statement of that size
      for (std::size_t n = 0; n < size; ++n) {
        if (n) text += ", ";
        text += sql.values_group;
      }
      for (; rows.size() - done >= size; done += size) {
        SQLite::Statement& st = c.statement(text);
        int i = 1;
        for (std::size_t n = 0; n < size; ++n) bind_insert(st, i, e, rows[done + n]);
        st.exec();
        // One statement's rows take consecutive ids in their order: each new rowid of an
        // AUTOINCREMENT table is the largest so far plus one, and only this writer inserts.
        const std::int64_t last = c.db().getLastInsertRowid();
        for (std::size_t n = 0; n < size; ++n)
          rows[done + n].id = last - static_cast<std::int64_t>(size - 1 - n);
      }
      if (size == 1) break;
    }
    return 0;
  });
}

void restore_row(Connection& c, const Entity& e, const Row& row) {
  guarded([&] {
    std::vector<Value> params{row.id,         row.org_id,     row.version,   row.created_at,
                              row.updated_at, row.created_by, row.updated_by};
    params.insert(params.end(), row.values.begin(), row.values.end());
    params.resize(static_cast<std::size_t>(header_count) + e.fields.size());  // fields it lacks: null
    SQLite::Statement& st = c.statement(sql_of(e).restore);
    bind_all(st, params);
    st.exec();
    return 0;
  });
}

void update_row(Connection& c, const Entity& e, Row& row) {
  guarded([&] {
    row.version += 1;
    row.updated_at = now_instant();
    SQLite::Statement& st = c.statement(sql_of(e).update);
    int i = 1;
    st.bind(i++, row.version);
    st.bindNoCopy(i++, row.updated_at);
    st.bind(i++, row.updated_by);
    for (const Value& v : row.values) bind(st, i++, v);
    st.bind(i++, row.id);
    st.bind(i++, row.org_id);
    if (st.exec() != 1) throw StorageError(StorageError::Kind::other, "update matched no row");
    return 0;
  });
}

void delete_row(Connection& c, const Entity& e, std::int64_t org_id, std::int64_t id) {
  guarded([&] {
    SQLite::Statement& st = c.statement(sql_of(e).remove);
    st.bind(1, id);
    st.bind(2, org_id);
    st.exec();
    return 0;
  });
}

bool is_referenced(Connection& c, const Entity& by, std::string_view field, std::int64_t id) {
  return guarded([&] {
    SQLite::Statement& st = c.statement("SELECT 1 FROM " + sql_of(by).table + " t WHERE " +
                                        checked_column(by, field) + " = ? LIMIT 1");
    st.bind(1, id);
    const bool found = st.executeStep();
    st.reset();
    return found;
  });
}

std::vector<Row> referencing_rows(Connection& c, const Entity& by, std::string_view field,
                                  std::int64_t id, std::int64_t org_id) {
  return guarded([&] {
    SQLite::Statement& st = c.statement(sql_of(by).select + " WHERE " + checked_column(by, field) +
                                        " = ? AND t.org_id = ? ORDER BY t.id");
    st.bind(1, id);
    st.bind(2, org_id);
    std::vector<Row> rows;
    while (st.executeStep()) rows.push_back(read_row(st, by));
    st.reset();
    return rows;
  });
}

std::vector<Row> due_followup_rows(Connection& c, const std::string& now, std::size_t limit) {
  return guarded([&] {
    const Entity& e = entities::followups;
    auto& st = c.statement(sql_of(e).select +
                           " WHERE t.due_at <= ? AND t.status IN ('open', 'snoozed')"
                           " AND NOT EXISTS (SELECT 1 FROM followup_notices n"
                           " WHERE n.followup_id = t.id AND n.due_at = t.due_at)"
                           " ORDER BY t.due_at, t.id LIMIT ?");
    st.bind(1, now);
    st.bind(2, static_cast<std::int64_t>(limit));
    std::vector<Row> rows;
    while (st.executeStep()) rows.push_back(read_row(st, e));
    st.reset();
    return rows;
  });
}

std::vector<Store::StaleLead> stale_lead_rows(Connection& c, std::int64_t org_id, std::optional<std::int64_t> owner_id,
                                              const std::optional<std::string>& stage, const std::string& before,
                                              std::size_t limit) {
  return guarded([&] {
    const Entity& e = entities::leads;
    // The select of the entity, plus the lead's last activity as one more column.
    std::string sql = sql_of(e).select;
    const auto from = sql.rfind(" FROM ");
    sql.insert(from, ", (SELECT max(a.occurred_at) FROM activities a WHERE a.lead_id = t.id) AS last_activity");
    auto& st = c.statement(sql + " WHERE t.org_id = ? AND (?2 IS NULL OR t.owner_id = ?2)"
                                 " AND (?3 IS NULL OR t.stage = ?3) AND coalesce(t.stage, '') NOT IN ('won', 'lost')"
                                 " AND coalesce(last_activity, t.created_at) < ?4"
                                 " ORDER BY coalesce(last_activity, t.created_at), t.id LIMIT ?5");
    st.bind(1, org_id);
    if (owner_id) st.bind(2, *owner_id);
    if (stage) st.bind(3, *stage);
    st.bind(4, before);
    st.bind(5, static_cast<std::int64_t>(limit));
    std::vector<Store::StaleLead> out;
    const int last = header_count + static_cast<int>(e.fields.size());
    while (st.executeStep()) {
      Store::StaleLead s{read_row(st, e), {}};
      if (!st.getColumn(last).isNull()) s.last_activity_at = st.getColumn(last).getString();
      out.push_back(std::move(s));
    }
    st.reset();
    return out;
  });
}

bool digest_recorded(Connection& c, std::int64_t user_id, const std::string& day) {
  return guarded([&] {
    auto& st = c.statement("SELECT 1 FROM digests WHERE user_id = ? AND day = ?");
    st.bind(1, user_id);
    st.bind(2, day);
    const bool found = st.executeStep();
    st.reset();
    return found;
  });
}

}  // namespace relance::storage::sqlite
