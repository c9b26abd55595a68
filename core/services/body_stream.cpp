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

bool BodyStream::full() const {
  std::lock_guard lock(mu_);
  return !cancelled_ && attached_ && buffer_.size() >= window_;
}

bool BodyStream::pause(std::function<void()> resume) {
  std::lock_guard lock(mu_);
  if (cancelled_ || !attached_ || buffer_.size() < window_) return false;
  resume_ = std::move(resume);
  return true;
}

BodyStream::State BodyStream::take(std::string& out, std::function<void()> wake) {
  std::unique_lock lock(mu_);
  attached_ = true;
  if (failed_) return State::failed;
  if (!buffer_.empty()) {
    out.swap(buffer_);
    buffer_.clear();
    std::function<void()> resume = std::move(resume_);
    resume_ = nullptr;
    lock.unlock();
    space_.notify_all();
    if (resume) resume();
    return State::data;
  }
  if (finished_) return State::done;
  wake_ = std::move(wake);
  return State::waiting;
}

void BodyStream::cancel() {
  std::function<void()> resume;
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    wake_ = nullptr;
    resume = std::move(resume_);
    resume_ = nullptr;
  }
  space_.notify_all();
  if (resume) resume();  // a paused producer ends (its writes fail now)
}

std::string BodyStream::failure() const {
  std::lock_guard lock(mu_);
  return why_;
}

}  // namespace relance::services
