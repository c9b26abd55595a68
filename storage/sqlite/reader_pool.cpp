#include "sqlite/reader_pool.hpp"

#include <sqlite3.h>

namespace relance::storage::sqlite {

ReaderPool::ReaderPool(const SqliteOptions& o, const std::atomic<std::uint64_t>& commits)
    : commits_(commits) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, o.readers); ++i) {
    Reader r;
    r.connection = std::make_unique<Connection>(o.path, Connection::Mode::read_only, o.busy_timeout_ms);
    // Map as much of the file as this SQLite allows (Debian's: 2 GiB); pages past it are
    // read with pread into the connection's own cache.
    r.connection->exec("PRAGMA mmap_size = 1099511627776");
    r.connection->exec("PRAGMA cache_size = -8192");  // reads go through the mapping
    readers_.push_back(std::move(r));
    idle_.push_back(i);
  }
}

void ReaderPool::end_transaction(Reader& r) {
  if (sqlite3_get_autocommit(r.connection->db().getHandle())) return;
  try {
    r.connection->run("COMMIT");
  } catch (...) {
    r.connection->roll_back();  // a read transaction that cannot end cleanly ends anyway
  }
}

bool ReaderPool::stale(const Reader& r) const {
  return r.snapshot != commits_.load(std::memory_order_acquire) ||
         r.release != releases_.load(std::memory_order_acquire);
}

void ReaderPool::refresh(Reader& r) {
  const bool open = !sqlite3_get_autocommit(r.connection->db().getHandle());
  if (open && !stale(r)) return;
  end_transaction(r);
  // Counted before BEGIN: the snapshot, taken at the first read after it, holds at least
  // these commits, and began after these releases.
  r.snapshot = commits_.load(std::memory_order_acquire);
  r.release = releases_.load(std::memory_order_acquire);
  r.connection->run("BEGIN");
}

std::size_t ReaderPool::take() {
  std::unique_lock lock(mu_);
  freed_.wait(lock, [&] { return !idle_.empty(); });
  const std::size_t i = idle_.back();
  idle_.pop_back();
  return i;
}

ReaderPool::Lease ReaderPool::borrow() {
  const std::size_t i = take();
  try {
    refresh(readers_[i]);
  } catch (...) {
    give_back(i);
    throw;
  }
  return Lease(*this, i);
}

ReaderPool::Lease ReaderPool::borrow_outside_transaction() {
  const std::size_t i = take();
  end_transaction(readers_[i]);
  return Lease(*this, i);
}

void ReaderPool::give_back(std::size_t i) {
  Reader& r = readers_[i];
  if (stale(r)) end_transaction(r);
  {
    std::lock_guard lock(mu_);
    idle_.push_back(i);
  }
  freed_.notify_one();
}

void ReaderPool::release_all() {
  releases_.fetch_add(1, std::memory_order_acq_rel);
  release_stale();
}

void ReaderPool::release_stale() {
  std::vector<std::size_t> idle;
  {
    std::lock_guard lock(mu_);
    idle.swap(idle_);  // out of reach of borrowers while their snapshots end
  }
  for (std::size_t i : idle)
    if (stale(readers_[i])) end_transaction(readers_[i]);
  {
    std::lock_guard lock(mu_);
    idle_.insert(idle_.end(), idle.begin(), idle.end());
  }
  freed_.notify_all();
}

std::size_t ReaderPool::idle() {
  std::lock_guard lock(mu_);
  return idle_.size();
}

}  // namespace relance::storage::sqlite
