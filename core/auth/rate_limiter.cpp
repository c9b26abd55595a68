#include "auth/rate_limiter.hpp"

namespace relance::auth {

void RateLimiter::prune(std::deque<Clock::time_point>& q, Clock::time_point now) {
  while (!q.empty() && now - q.front() >= window_) q.pop_front();
}

RateLimiter::Clock::duration RateLimiter::wait_for(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return Clock::duration::zero();
  const auto now = Clock::now();
  prune(it->second, now);
  if (it->second.size() < allowed_) return Clock::duration::zero();
  return it->second.front() + window_ - now;
}

void RateLimiter::record_failure(const std::string& key) {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  // Bound memory under a spray of distinct keys: forget keys whose window has passed.
  if (failures_.size() > 100000) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
  }
  auto& q = failures_[key];
  prune(q, now);
  q.push_back(now);
}

void RateLimiter::reset(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

}  // namespace relance::auth
