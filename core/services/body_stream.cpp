#include "services/body_stream.hpp"

namespace relance::services {

void BodyStream::notify(std::unique_lock<std::mutex>& lock) {
  std::function<void()> wake = std::move(wake_);
  wake_ = nullptr;
  lock.unlock();
  if (wake) wake();
}

bool BodyStream::write(std::string_view bytes) {
  if (bytes.empty()) return true;
  std::unique_lock lock(mu_);
  space_.wait(lock, [&] { return cancelled_ || !attached_ || buffer_.size() < window_; });
  if (cancelled_) return false;
  buffer_.append(bytes);
  notify(lock);
  return true;
}

void BodyStream::finish() {
  std::unique_lock lock(mu_);
  finished_ = true;
  notify(lock);
}

void BodyStream::fail(const std::string& why) {
  std::unique_lock lock(mu_);
  failed_ = true;
  why_ = why;
  notify(lock);
}

BodyStream::State BodyStream::take(std::string& out, std::function<void()> wake) {
  std::unique_lock lock(mu_);
  attached_ = true;
  if (failed_) return State::failed;
  if (!buffer_.empty()) {
    out.swap(buffer_);
    buffer_.clear();
    lock.unlock();
    space_.notify_all();
    return State::data;
  }
  if (finished_) return State::done;
  wake_ = std::move(wake);
  return State::waiting;
}

void BodyStream::cancel() {
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    wake_ = nullptr;
  }
  space_.notify_all();
}

std::string BodyStream::failure() const {
  std::lock_guard lock(mu_);
  return why_;
}

}  // namespace relance::services
