#include "sqlite/checkpointer.hpp"

#include <sqlite3.h>

#include <algorithm>

namespace relance::storage::sqlite {
namespace {

using namespace std::chrono_literals;

constexpr auto interval = 500ms;
// The longest a TRUNCATE checkpoint waits for the writer's lock and then for the readers
// to leave the log; the writer waits as long, at worst. Readers leave within a request.
constexpr auto truncate_wait = 200ms;
// After a TRUNCATE that could not finish: the first pause before the next, doubled at each
// failure up to the last.
constexpr std::chrono::steady_clock::duration first_pause = 1s, longest_pause = 30s;

double unix_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Checkpointer::Checkpointer(const SqliteOptions& o, ReaderPool& readers)
    : options_(o), readers_(readers),
      connection_(o.path, Connection::Mode::read_write, o.busy_timeout_ms) {
  // A connection learns that the database is in WAL mode when it first reads it; until
  // then a checkpoint call does nothing at all.
  connection_.db().execAndGet("PRAGMA journal_mode");
  // Replaces the busy timeout: PASSIVE checkpoints never wait, the others wait this way.
  sqlite3_busy_handler(connection_.db().getHandle(), &Checkpointer::on_busy, this);
  thread_ = std::thread([this] { run(); });
}

void Checkpointer::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, interval);
    if (stopping_) break;
    lock.unlock();
    try {
      round();
    } catch (...) {
      // The next round tries again; the metrics show the last result.
    }
    lock.lock();
  }
  lock.unlock();
  // Every write is done: leave an empty log behind.
  readers_.release_all();
  checkpoint(SQLITE_CHECKPOINT_TRUNCATE,
             Clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms));
}

void Checkpointer::round() {
  readers_.release_stale();  // a snapshot left behind by a commit holds the copy back
  const CheckpointStats passive = checkpoint(SQLITE_CHECKPOINT_PASSIVE, Clock::now());
  if (!passive.busy && passive.log_frames > 0 &&
      passive.checkpointed_frames == passive.log_frames && passive.log_frames != released_at_) {
    // Every frame is in the database file: the snapshots begun from now on do not use the
    // log, so once the older ones end the writer can start the log over.
    readers_.release_all();
    released_at_ = passive.log_frames;
  }
  const std::int64_t limit = std::max<std::int64_t>(0, options_.wal_limit_bytes);
  if (file_size(options_.path + "-wal") <= limit || Clock::now() < next_truncate_) return;
  const CheckpointStats truncate =
      checkpoint(SQLITE_CHECKPOINT_TRUNCATE, Clock::now() + truncate_wait);
  const bool done = truncate.log_frames == 0 && !truncate.busy;
  pause_ = done ? Clock::duration{} : std::clamp(pause_ * 2, first_pause, longest_pause);
  next_truncate_ = Clock::now() + pause_;
}

CheckpointStats Checkpointer::checkpoint(int mode, Clock::time_point deadline) {
  deadline_ = deadline;
  int log = -1, copied = -1;
  const int rc = sqlite3_wal_checkpoint_v2(connection_.db().getHandle(), nullptr, mode, &log,
                                           &copied);
  CheckpointStats r;
  r.mode = mode == SQLITE_CHECKPOINT_PASSIVE ? "passive" : "truncate";
  r.log_frames = log;
  r.checkpointed_frames = copied;
  r.busy = rc == SQLITE_BUSY;
  r.at = unix_seconds();
  std::lock_guard lock(mu_);
  last_ = r;
  if (mode == SQLITE_CHECKPOINT_TRUNCATE) {
    if (rc == SQLITE_OK)
      ++truncations_;
    else if (r.busy)
      ++truncations_busy_;
  }
  return r;
}

int Checkpointer::on_busy(void* self, int /*count*/) {
  auto& c = *static_cast<Checkpointer*>(self);
  if (Clock::now() >= c.deadline_) return 0;
  // A snapshot begun while the log held frames not yet copied keeps the log in use: let
  // every one go (a lent connection's when it comes back, within its request). The
  // snapshots begun after the copy read the database file alone.
  c.readers_.release_all();
  std::this_thread::sleep_for(1ms);
  return 1;
}

void Checkpointer::add_stats(StoreStats& s) const {
  s.wal_bytes = file_size(options_.path + "-wal");
  s.wal_limit_bytes = options_.wal_limit_bytes;
  std::lock_guard lock(mu_);
  s.last_checkpoint = last_;
  s.wal_truncations = truncations_;
  s.wal_truncations_busy = truncations_busy_;
}

}  // namespace relance::storage::sqlite
