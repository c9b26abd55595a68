// ReaderPool: read-only connections, lent one at a time to the threads that read.
//
// Each connection keeps its read transaction open between loans and starts a new one only
// when the writer has committed since: a read then costs no file locking at all (a new
// read transaction takes fcntl locks and a process-wide mutex in SQLite, which dominated
// reads of one row), and a client still sees every write that was acknowledged before its
// request, because the writer counts a commit before it acknowledges it. A snapshot left
// stale by a commit is let go when its connection comes back to the pool, or by
// release_stale() for connections that sit idle, so old snapshots never hold back
// checkpoints.
//
// A snapshot that is not stale still holds back the log's restart when it began while the
// log had frames not yet copied into the database: the log can start over from its
// beginning only once no reader uses its frames. The checkpointer asks for every snapshot
// to end (release_all()) once the log is fully copied: the idle ones end at once, the lent
// ones when they come back, and those begun afterwards read the database file alone.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "relance/storage/sqlite_store.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

class ReaderPool {
 public:
  // `commits` counts the writer's commits.
  ReaderPool(const SqliteOptions& o, const std::atomic<std::uint64_t>& commits);

  class Lease {
   public:
    Lease(ReaderPool& p, std::size_t i) : pool_(p), i_(i) {}
    ~Lease() { pool_.give_back(i_); }
    Connection& operator*() { return *pool_.readers_[i_].connection; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    ReaderPool& pool_;
    std::size_t i_;
  };

  // A connection whose snapshot includes every commit counted so far.
  Lease borrow();
  // A connection outside any transaction (for the backup API).
  Lease borrow_outside_transaction();
  // Ends the stale snapshots of idle connections.
  void release_stale();
  // Makes every snapshot begun so far stale, and ends those of idle connections; the lent
  // ones end when they come back.
  void release_all();

  std::size_t idle();
  std::size_t total() const { return readers_.size(); }

 private:
  struct Reader {
    std::unique_ptr<Connection> connection;
    std::uint64_t snapshot = 0;  // commits counted when its transaction began
    std::uint64_t release = 0;   // release_all() calls counted then
  };

  std::size_t take();
  void give_back(std::size_t i);
  void refresh(Reader& r);
  bool stale(const Reader& r) const;
  static void end_transaction(Reader& r);

  const std::atomic<std::uint64_t>& commits_;
  std::atomic<std::uint64_t> releases_{0};  // release_all() calls
  std::vector<Reader> readers_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::size_t> idle_;
};

}  // namespace relance::storage::sqlite
