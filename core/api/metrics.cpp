#include "api/metrics.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace relance::api {

Metrics::Series& Metrics::series(const std::string& label) {
  {
    std::shared_lock lock(mu_);
    if (auto it = by_address_.find(&label); it != by_address_.end()) return *it->second;
  }
  std::unique_lock lock(mu_);
  auto& s = series_[label];
  if (!s) s = std::make_unique<Series>();
  by_address_[&label] = s.get();
  return *s;
}

void Metrics::observe(const std::string& label, int status, double seconds) {
  Series& s = series(label);
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  // One bucket per request, the first that holds it; render() adds them up into
  // Prometheus's cumulative buckets. Every increment here is a cache line the HTTP threads
  // pass to each other, so there are as few as possible.
  std::size_t i = 0;
  while (i < buckets.size() && seconds > buckets[i]) ++i;
  if (i < buckets.size()) s.le[i].fetch_add(1, std::memory_order_relaxed);
  if (status >= 100 && status < 600)
    s.by_status[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
}

namespace {

// Resident and file-mapped memory of this process, in bytes, from /proc.
std::pair<long, long> memory_figures() {
  std::ifstream f("/proc/self/status");
  std::string line;
  long rss = 0, file = 0;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::atol(line.c_str() + 6) * 1024;
    if (line.rfind("RssFile:", 0) == 0) file = std::atol(line.c_str() + 8) * 1024;
  }
  return {rss, file};
}

}  // namespace

std::string Metrics::render(const storage::StoreStats& st) const {
  std::ostringstream o;
  std::shared_lock lock(mu_);
  o << "# HELP relance_http_requests_total HTTP requests answered, by route and status.\n"
       "# TYPE relance_http_requests_total counter\n";
  auto labels_of = [](const std::string& key) {
    const auto sp = key.find(' ');
    if (sp == std::string::npos) return "method=\"\",route=\"" + key + "\"";
    return "method=\"" + key.substr(0, sp) + "\",route=\"" + key.substr(sp + 1) + "\"";
  };
  for (const auto& [key, s] : series_) {
    const std::string labels = labels_of(key);
    for (std::size_t status = 100; status < s->by_status.size(); ++status)
      if (const auto n = s->by_status[status].load())
        o << "relance_http_requests_total{" << labels << ",status=\"" << status << "\"} " << n << "\n";
  }
  o << "# HELP relance_http_request_duration_seconds Time from routing to the response.\n"
       "# TYPE relance_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    const std::string labels = labels_of(key);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      cumulative += s->le[i].load();
      o << "relance_http_request_duration_seconds_bucket{" << labels << ",le=\"" << buckets[i]
        << "\"} " << cumulative << "\n";
    }
    o << "relance_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << s->count.load() << "\n";
    o << "relance_http_request_duration_seconds_sum{" << labels << "} "
      << static_cast<double>(s->micros.load()) / 1e6 << "\n";
    o << "relance_http_request_duration_seconds_count{" << labels << "} " << s->count.load() << "\n";
  }
  auto gauge = [&](const char* name, const char* help, auto value, const char* type = "gauge") {
    o << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
      << name << " " << value << "\n";
  };
  gauge("relance_http_open_connections", "Open client connections.", open_connections_.load());
  gauge("relance_db_write_jobs_total", "Write jobs run by the writer.", st.write_jobs, "counter");
  gauge("relance_db_write_failures_total", "Write jobs that failed.", st.write_failures, "counter");
  gauge("relance_db_commits_total", "Transactions committed (each groups many jobs).", st.commits, "counter");
  gauge("relance_db_commit_seconds_total", "Time spent committing (fsync).", st.commit_seconds_total, "counter");
  gauge("relance_db_write_queue_depth", "Write jobs waiting for the writer.", st.write_queue_depth);
  gauge("relance_db_reads_total", "Reads served by the reader pool.", st.reads, "counter");
  gauge("relance_db_readers_idle", "Idle reader connections.", st.readers_idle);
  gauge("relance_db_readers", "Reader connections.", st.readers_total);
  gauge("relance_db_size_bytes", "Size of the database file.", st.database_bytes);
  gauge("relance_db_wal_bytes", "Size of the write-ahead log.", st.wal_bytes);
  gauge("relance_db_wal_limit_bytes", "Size the write-ahead log is truncated back to (storage.wal_limit_bytes).", st.wal_limit_bytes);
  gauge("relance_db_wal_truncations_total", "Checkpoints that emptied the write-ahead log.", st.wal_truncations, "counter");
  gauge("relance_db_wal_truncations_busy_total", "Checkpoints that could not empty the write-ahead log: a reader or the writer stayed in it.", st.wal_truncations_busy, "counter");
  const storage::CheckpointStats& cp = st.last_checkpoint;
  o << "# HELP relance_db_last_checkpoint_info The mode of the latest checkpoint (passive or truncate).\n"
       "# TYPE relance_db_last_checkpoint_info gauge\n";
  if (!cp.mode.empty()) o << "relance_db_last_checkpoint_info{mode=\"" << cp.mode << "\"} 1\n";
  gauge("relance_db_last_checkpoint_log_frames", "Frames in the write-ahead log after the latest checkpoint.", cp.log_frames);
  gauge("relance_db_last_checkpoint_checkpointed_frames", "Frames of the log the latest checkpoint left copied into the database.", cp.checkpointed_frames);
  gauge("relance_db_last_checkpoint_busy", "1 when the latest checkpoint could not finish (a reader or the writer was in the way).", cp.busy ? 1 : 0);
  char at[32];  // whole seconds would print as 1.8e+09 by default
  std::snprintf(at, sizeof at, "%.3f", cp.at);
  gauge("relance_db_last_checkpoint_timestamp_seconds", "When the latest checkpoint ended (Unix time).", at);
  const auto [rss, file] = memory_figures();
  gauge("relance_process_resident_bytes", "Resident memory of the daemon.", rss);
  gauge("relance_process_resident_file_bytes", "Resident memory mapped from files (database pages).", file);
  return o.str();
}

}  // namespace relance::api
