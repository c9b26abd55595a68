#include "sqlite/connection.hpp"

#include <sqlite3.h>

#include <filesystem>

namespace relance::storage::sqlite {

Connection::Connection(const std::string& path, Mode mode, int busy_timeout_ms)
    // NOMUTEX: a connection is only ever used by one thread at a time (the writer's, or
    // the reader pool's borrower), so SQLite's per-call connection mutex is pure cost.
    : db_(path,
          (mode == Mode::read_only ? SQLite::OPEN_READONLY
                                   : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) |
              SQLite::OPEN_NOMUTEX,
          busy_timeout_ms) {}

SQLite::Statement& Connection::statement(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    // Lists build their SQL from the filters a client combines; bound the cache so that
    // unusual combinations cannot grow it without limit.
    if (cache_.size() >= 512) {
      fixed_.clear();
      cache_.clear();
    }
    it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  }
  SQLite::Statement& st = *it->second;
  st.reset();
  st.clearBindings();
  return st;
}

void Connection::roll_back() noexcept {
  sqlite3* h = db_.getHandle();
  if (!sqlite3_get_autocommit(h)) sqlite3_exec(h, "ROLLBACK", nullptr, nullptr, nullptr);
}

SQLite::Statement& Connection::fixed_statement(const std::string& sql) {
  if (auto it = fixed_.find(&sql); it != fixed_.end()) {
    SQLite::Statement& st = *it->second;
    st.reset();
    st.clearBindings();
    return st;
  }
  SQLite::Statement& st = statement(sql);
  fixed_.emplace(&sql, &st);
  return st;
}

void bind(SQLite::Statement& st, int index, const Value& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Null>)
          st.bind(index);
        else if constexpr (std::is_same_v<T, std::string>)
          st.bindNoCopy(index, x);
        else
          st.bind(index, x);
      },
      v);
}

void read_column_into(SQLite::Statement& st, int index, Value& out) {
  SQLite::Column c = st.getColumn(index);
  switch (c.getType()) {
    case SQLITE_INTEGER: out = static_cast<std::int64_t>(c.getInt64()); return;
    case SQLITE_FLOAT: out = c.getDouble(); return;
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
      const auto* data = static_cast<const char*>(c.getBlob());
      const auto size = static_cast<std::size_t>(c.getBytes());
      if (auto* s = std::get_if<std::string>(&out)) s->assign(data, size);
      else out.emplace<std::string>(data, size);
      return;
    }
    default: out = Null{};
  }
}

void bind_all(SQLite::Statement& st, const std::vector<Value>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) bind(st, static_cast<int>(i + 1), values[i]);
}

std::int64_t file_size(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

void rethrow_as_storage_error(const SQLite::Exception& e) {
  using K = StorageError::Kind;
  K kind = K::other;
  switch (e.getErrorCode()) {
    case SQLITE_FULL: kind = K::full; break;
    case SQLITE_IOERR: kind = K::io; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: kind = K::busy; break;
    case SQLITE_CONSTRAINT: kind = K::constraint; break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: kind = K::corrupt; break;
    default: break;
  }
  throw StorageError(kind, e.what());
}

}  // namespace relance::storage::sqlite
