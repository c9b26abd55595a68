// Helpers shared by the storage unit tests (tests/unit/storage_*.cpp): opening a store in a
// temporary directory, inserting rows in one line, reading cells as plain C++ values, and
// looking at the database file through a separate read-only SQLite connection.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "relance/model/schema.hpp"
#include "relance/storage/sqlite_store.hpp"
#include "relance/storage/store.hpp"
#include "temp_dir.hpp"

namespace relance::storage_test {

namespace st = relance::storage;
namespace ent = relance::storage::entities;

inline st::SqliteOptions options_for(const std::string& path) {
  st::SqliteOptions o;
  o.path = path;
  o.readers = 2;
  return o;
}

inline std::unique_ptr<st::Store> open_store(const std::string& path) {
  return st::open_sqlite_store(options_for(path));
}

// A cell as text ("<null>", "<int:N>" or "<real>" for the other alternatives), so that a
// failing CHECK prints something readable.
inline std::string text(const st::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return "<int:" + std::to_string(*i) + ">";
  if (std::holds_alternative<double>(v)) return "<real>";
  return "<null>";
}

inline std::optional<std::int64_t> integer(const st::Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  return std::nullopt;
}

inline st::Value str(const char* s) { return st::Value{std::string(s)}; }
inline st::Value num(std::int64_t i) { return st::Value{i}; }

// Runs `job` in its own committed write and returns what it returned.
inline std::int64_t insert(st::Store& store, const st::Entity& e, st::Row row) {
  std::int64_t id = 0;
  store.write_sync([&](st::WriteTxn& tx) { id = tx.insert(e, row); });
  return id;
}

inline std::int64_t make_org(st::Store& store, const char* name) {
  st::Row r;
  r.set(ent::organisations, "name", str(name));
  r.set(ent::organisations, "kind", str("startup"));
  return insert(store, ent::organisations, std::move(r));
}

// A store in a temporary directory with one organisation: where most storage tests start.
struct OrgStore {
  relance::test::TempDir dir;
  std::string path = dir.file("relance.db");
  std::unique_ptr<st::Store> store = open_store(path);
  std::int64_t org;
  explicit OrgStore(const char* org_name = "Acme") : org(make_org(*store, org_name)) {}
};

inline st::Row contact_row(std::int64_t org, const std::string& first, const std::string& last) {
  st::Row r;
  r.org_id = org;
  r.set(ent::contacts, "first_name", st::Value{first});
  r.set(ent::contacts, "last_name", st::Value{last});
  return r;
}

inline std::int64_t make_contact(st::Store& store, std::int64_t org, const std::string& first,
                                 const std::string& last,
                                 const std::function<void(st::Row&)>& more = {}) {
  st::Row r = contact_row(org, first, last);
  if (more) more(r);
  return insert(store, ent::contacts, std::move(r));
}

inline std::int64_t make_company(st::Store& store, std::int64_t org, const char* name,
                                 const std::function<void(st::Row&)>& more = {}) {
  st::Row r;
  r.org_id = org;
  r.set(ent::companies, "name", str(name));
  if (more) more(r);
  return insert(store, ent::companies, std::move(r));
}

inline std::int64_t make_lead(st::Store& store, std::int64_t org, const char* title,
                              std::optional<std::int64_t> contact, bool shared) {
  st::Row r;
  r.org_id = org;
  r.set(ent::leads, "title", str(title));
  r.set(ent::leads, "stage", str("new"));
  if (contact) r.set(ent::leads, "contact_id", num(*contact));
  r.set(ent::leads, "shared_with_region", num(shared ? 1 : 0));
  return insert(store, ent::leads, std::move(r));
}

inline std::vector<std::int64_t> ids_of(const std::vector<st::Row>& rows) {
  std::vector<std::int64_t> ids;
  for (const auto& r : rows) ids.push_back(r.id);
  return ids;
}

// The error a call throws, as a StorageError kind and message; nullopt when it does not
// throw a StorageError (a different exception escapes).
struct CaughtStorageError {
  st::StorageError::Kind kind;
  std::string message;
};

template <class F>
std::optional<CaughtStorageError> storage_error_of(F&& f) {
  try {
    f();
  } catch (const st::StorageError& e) {
    return CaughtStorageError{e.kind(), e.what()};
  }
  return std::nullopt;
}

inline std::optional<CaughtStorageError> storage_error_in(const std::exception_ptr& ep) {
  if (!ep) return std::nullopt;
  try {
    std::rethrow_exception(ep);
  } catch (const st::StorageError& e) {
    return CaughtStorageError{e.kind(), e.what()};
  } catch (...) {
    return std::nullopt;
  }
}

// Counts completions down to zero. Unlike std::latch, counting past zero is allowed (a
// `done` called twice must fail a test, not hang it), and waiting gives up after a minute
// (a lost `done` fails the test instead of hanging the suite; not a timing assertion).
class Countdown {
 public:
  explicit Countdown(int n) : left_(n) {}
  void count_down() {
    {
      std::lock_guard lock(mu_);
      --left_;
    }
    cv_.notify_all();
  }
  // True once the count reached zero or less.
  bool wait() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [&] { return left_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int left_;
};

// A separate connection on the database file, for looking at what a commit left there.
inline std::int64_t sql_count(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, sql);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

// Runs `sql` on its own connection; it waits for a store open on the same file (its
// checkpoints lock the file for a moment) as any other program would.
inline void sql_exec(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 30000);
  db.exec(sql);
}

inline int user_version(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace relance::storage_test
