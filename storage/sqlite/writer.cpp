#include "sqlite/writer.hpp"

#include <sqlite3.h>

#include <chrono>

#include "sqlite/text_index.hpp"
#include "sqlite/write_txn.hpp"

namespace relance::storage::sqlite {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> connection,
                                     std::size_t max_batch, std::atomic<std::uint64_t>& commits,
                                     CommitListeners& listeners)
    : conn_(std::move(connection)), max_batch_(max_batch), commits_(commits), listeners_(listeners),
      thread_([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { stop(); }

void GroupCommitWriter::fail_all(std::string reason) {
  std::lock_guard lock(mu_);
  failed_ = std::move(reason);
}

void GroupCommitWriter::submit(Store::Job job, Store::Done done, bool alone) {
  std::string failed;
  {
    std::lock_guard lock(mu_);
    failed = failed_;
    if (!stopping_.load() && failed.empty()) {
      queue_.push_back(Pending{std::move(job), std::move(done), alone, nullptr});
      depth_.store(queue_.size());
      wake_.notify_one();
      return;
    }
  }
  done(std::make_exception_ptr(
      failed.empty() ? StorageError(StorageError::Kind::other, "the store is shutting down")
                     : StorageError(StorageError::Kind::corrupt, failed)));
}

void GroupCommitWriter::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_.store(true);
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool GroupCommitWriter::merge_step() {
  try {
    const bool more = merge_text_indexes(*conn_);
    if (more) commits_.fetch_add(1, std::memory_order_release);
    return more;
  } catch (...) {
    // A full disk, say: the next commit tries again. A damaged index fails the client
    // writes that touch it too, which report it.
    return false;
  }
}

void GroupCommitWriter::run() {
  bool merging = true;  // FTS5 may have merging to do: at start, and after each commit
  for (;;) {
    std::deque<Pending> batch;
    {
      std::unique_lock lock(mu_);
      if (merging && queue_.empty() && !stopping_.load() && failed_.empty()) {
        lock.unlock();
        merging = merge_step();
        continue;
      }
      wake_.wait(lock, [&] { return !queue_.empty() || stopping_.load(); });
      if (queue_.empty()) return;  // stopping, and everything queued has run
      // A job that runs alone is a round of its own; the others are grouped up to it.
      while (!queue_.empty() && batch.size() < max_batch_ &&
             (batch.empty() || (!batch.front().alone && !queue_.front().alone))) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      depth_.store(queue_.size());
    }
    run_batch(batch);
    merging = true;
  }
}

void GroupCommitWriter::run_batch(std::deque<Pending>& batch) {
  SqliteWriteTxn txn(*conn_);
  sqlite3* handle = conn_->db().getHandle();
  std::exception_ptr batch_error;
  try {
    conn_->run("BEGIN IMMEDIATE");
  } catch (...) {
    batch_error = std::current_exception();
  }
  if (!batch_error) {
    const bool savepoints = !batch.front().alone;
    for (Pending& p : batch) {
      const std::size_t appended_before = txn.appended_orgs().size();
      try {
        if (savepoints) conn_->run("SAVEPOINT job");
        p.job(txn);
        if (savepoints) conn_->run("RELEASE job");
      } catch (...) {
        p.error = std::current_exception();
        if (!savepoints || sqlite3_get_autocommit(handle)) {
          // A job alone fails with its transaction. Otherwise SQLite rolled the whole
          // transaction back (an I/O error, say): every job of the batch is lost, so none
          // may be acknowledged.
          batch_error = p.error;
          break;
        }
        txn.appended_orgs().resize(appended_before);  // its events are gone with it
        try {
          conn_->exec("ROLLBACK TO job");
          conn_->run("RELEASE job");
        } catch (...) {
          batch_error = std::current_exception();
          break;
        }
      }
    }
  }
  if (!batch_error) {
    // Once for the whole batch, outside the jobs' savepoints: FTS5 writes what one
    // statement indexed as a segment of its own (text_index.hpp).
    try {
      index_pending_text(*conn_);
    } catch (...) {
      batch_error = std::current_exception();
    }
  }
  if (!batch_error) {
    const auto t0 = std::chrono::steady_clock::now();
    try {
      conn_->run("COMMIT");
      batch_commits_.fetch_add(1);
      commits_.fetch_add(1, std::memory_order_release);
    } catch (...) {
      batch_error = std::current_exception();
    }
    commit_micros_.fetch_add(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                              t0)
            .count()));
  }
  if (batch_error) conn_->roll_back();
  if (batch_error) {
    // Translate SQLite's error once, so every caller sees a StorageError.
    try {
      std::rethrow_exception(batch_error);
    } catch (const SQLite::Exception& ex) {
      try {
        rethrow_as_storage_error(ex);
      } catch (...) {
        batch_error = std::current_exception();
      }
    } catch (...) {
    }
  }
  // Before the acknowledgements: a client that sees its write done finds delivery woken.
  if (!batch_error) listeners_.committed(txn.appended_orgs());
  jobs_.fetch_add(batch.size());
  for (Pending& p : batch) {
    std::exception_ptr err = batch_error ? (p.error ? p.error : batch_error) : p.error;
    if (err) failures_.fetch_add(1);
    try {
      p.done(err);
    } catch (...) {
      // A completion must not take the writer down; callers report their own errors.
    }
  }
}

void GroupCommitWriter::add_stats(StoreStats& s) const {
  s.write_jobs = jobs_.load();
  s.write_failures = failures_.load();
  s.commits = batch_commits_.load();
  s.write_queue_depth = depth_.load();
  s.commit_seconds_total = static_cast<double>(commit_micros_.load()) / 1e6;
}

}  // namespace relance::storage::sqlite
