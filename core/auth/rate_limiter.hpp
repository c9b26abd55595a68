// RateLimiter: counts failures per key (an email, a client address) in a sliding window
// and says how long a key must wait once it has used its allowance.
//
// Thread safety: all members may be called concurrently.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace relance::auth {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(std::size_t allowed, Clock::duration window) : allowed_(allowed), window_(window) {}

  // Zero when the key may try now; otherwise how long until it may.
  Clock::duration wait_for(const std::string& key);
  void record_failure(const std::string& key);
  void reset(const std::string& key);

 private:
  void prune(std::deque<Clock::time_point>& q, Clock::time_point now);

  std::size_t allowed_;
  Clock::duration window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace relance::auth
