// WorkPool: a few threads for slow, CPU-bound work (Argon2id password hashing, slow and
// memory-hungry by design: docs/performance.md, "Figures behind the code") so that it
// never holds one of the HTTP threads, which serve everyone.
//
// Thread safety: post() from any thread. The destructor runs what is queued, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace relance::services {

class WorkPool {
 public:
  explicit WorkPool(std::size_t threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  void post(std::function<void()> work);

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace relance::services
