// Checkpointer: the thread that copies committed pages from the write-ahead log into the
// database (the writer never checkpoints: wal_autocheckpoint=0), and keeps the log's file
// under SqliteOptions::wal_limit_bytes.
//
// Twice a second it runs a PASSIVE checkpoint, which takes no lock and never makes the
// writer wait. Copying frames is not enough for the file to shrink: the log starts over
// from its beginning only when every frame is copied and no reader still uses one. So:
// - once a checkpoint has copied everything, every reader snapshot is let go
//   (ReaderPool::release_all): the next ones read the database file alone, and the
//   writer's next transaction starts the log over by itself, which truncates the file to
//   journal_size_limit at its commit;
// - when the file is larger than the limit all the same (the writer never found a moment
//   without readers in the log, or no write came to start it over), a TRUNCATE checkpoint
//   empties it. That one takes the write lock and waits for the readers still in the log,
//   releasing their snapshots while it waits, for a bounded time: the writer waits
//   meanwhile. When it cannot finish (a long export keeps its snapshot), the next try
//   comes after a growing pause, so that a reader which stays cannot stall the writer again
//   and again.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "relance/storage/sqlite_store.hpp"
#include "sqlite/connection.hpp"
#include "sqlite/reader_pool.hpp"

namespace relance::storage::sqlite {

class Checkpointer {
 public:
  Checkpointer(const SqliteOptions& o, ReaderPool& readers);
  ~Checkpointer() { stop(); }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Ends the thread with a checkpoint that empties the log (waiting up to the busy timeout
  // for readers): for after the writer stopped.
  void stop();
  void add_stats(StoreStats& s) const;

 private:
  using Clock = std::chrono::steady_clock;

  void run();
  void round();
  // One checkpoint of `mode` (SQLITE_CHECKPOINT_*); a non-PASSIVE one waits until
  // `deadline` at most. Records its result.
  CheckpointStats checkpoint(int mode, Clock::time_point deadline);
  static int on_busy(void* self, int count);

  const SqliteOptions options_;
  ReaderPool& readers_;
  Connection connection_;
  Clock::time_point deadline_;  // of the checkpoint under way (on_busy)
  std::int64_t released_at_ = -1;  // log frames when every snapshot was last let go
  Clock::time_point next_truncate_{};  // no TRUNCATE before: the pause after a busy one
  Clock::duration pause_{};

  mutable std::mutex mu_;  // guards the members below, and stopping
  std::condition_variable wake_;
  bool stopping_ = false;
  CheckpointStats last_;
  std::uint64_t truncations_ = 0, truncations_busy_ = 0;
  std::thread thread_;
};

}  // namespace relance::storage::sqlite
