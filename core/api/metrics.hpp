// Metrics: request counts and latency histograms per route, rendered with the store's and
// the process's figures in the Prometheus text format (version 0.0.4).
//
// Thread safety: observe() takes a shared lock to find its series (an exclusive one only to
// create it); render() may run concurrently with observe().
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <unordered_map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "relance/storage/store.hpp"

namespace relance::api {

class Metrics {
 public:
  static constexpr std::array<double, 12> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                  0.05,   0.1,   0.25,   0.5,   1,    2.5};

  // `label` is "METHOD /route/pattern" (or "unmatched", "malformed"), and must outlive the
  // Metrics: series are found by its address, without building or hashing a string.
  void observe(const std::string& label, int status, double seconds);
  void connection_opened() { open_connections_.fetch_add(1); }
  void connection_closed() { open_connections_.fetch_sub(1); }
  std::int64_t open_connections() const { return open_connections_.load(); }

  std::string render(const storage::StoreStats& store) const;

 private:
  struct Series {
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> micros{0};
    std::array<std::atomic<std::uint64_t>, buckets.size()> le{};  // per bucket, not cumulative
    std::array<std::atomic<std::uint64_t>, 600> by_status{};  // indexed by status code
  };
  Series& series(const std::string& label);

  mutable std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<Series>> series_;     // by label, for rendering
  std::unordered_map<const std::string*, Series*> by_address_;  // the fast path
  std::atomic<std::int64_t> open_connections_{0};
};

}  // namespace relance::api
