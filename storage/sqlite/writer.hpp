// GroupCommitWriter: the single writer thread. Jobs queue up while a commit (fsync) is under
// way; the next round runs every waiting job in one transaction, each inside its own
// savepoint, and commits once. A job submitted `alone` (a large one) runs in a transaction
// of its own, without a savepoint. Durable throughput then grows with load instead of being
// capped at one fsync per write. After a commit that appended outbox events, and before
// its jobs are acknowledged, it tells the event log's commit listeners.
//
// Thread safety: submit() from any thread; jobs and their `done` run on the writer thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "relance/storage/event_log.hpp"
#include "relance/storage/store.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

class GroupCommitWriter {
 public:
  // `commits` is incremented after each commit, before any of its jobs is acknowledged;
  // `listeners` are told of the commits that appended events, at the same moment.
  GroupCommitWriter(std::unique_ptr<Connection> connection, std::size_t max_batch,
                    std::atomic<std::uint64_t>& commits, CommitListeners& listeners);
  ~GroupCommitWriter();

  // `alone`: the job runs in a transaction of its own, without a savepoint (Store::write_alone).
  // Grouped jobs each run in a savepoint, so that one can roll back alone; but SQLite keeps
  // a savepoint's journal in memory as a list it walks from its start at the end of every
  // statement, so inside a savepoint each statement costs in proportion to what the job
  // already wrote, and a large job would slow down quadratically.
  void submit(Store::Job job, Store::Done done, bool alone = false);
  // Runs the jobs already queued, then stops the thread; later submits fail at once.
  void stop();
  bool running() const { return !stopping_.load(); }
  // From now on every job fails at once with `reason` (a damaged database).
  void fail_all(std::string reason);

  void add_stats(StoreStats& s) const;

 private:
  struct Pending {
    Store::Job job;
    Store::Done done;
    bool alone = false;
    std::exception_ptr error;
  };

  void run();
  void run_batch(std::deque<Pending>& batch);
  // A step of full-text index merging (merge_text_indexes); returns whether there is more.
  bool merge_step();

  std::unique_ptr<Connection> conn_;
  std::size_t max_batch_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  std::atomic<bool> stopping_{false};
  std::string failed_;  // guarded by mu_; non-empty once fail_all() was called
  std::atomic<std::uint64_t>& commits_;
  CommitListeners& listeners_;
  std::atomic<std::uint64_t> jobs_{0}, failures_{0}, depth_{0};
  std::atomic<std::uint64_t> commit_micros_{0};
  // Commits of batches of jobs. `commits` also counts the merge steps' (readers take a new
  // snapshot after them, so that old ones do not hold checkpoints back); the stats report
  // these.
  std::atomic<std::uint64_t> batch_commits_{0};
  std::thread thread_;
};

}  // namespace relance::storage::sqlite
