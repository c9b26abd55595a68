#include "demo/bulk_writer.hpp"

#include <memory>

namespace relance::demo {
namespace {

// Batches waiting for the writer besides the one it writes: enough to keep it busy while
// the next is checked, few enough that memory does not grow with the scale.
constexpr std::size_t max_in_flight = 3;

}  // namespace

BulkWriter::BulkWriter(storage::Store& store, events::FixedClock& clock, std::size_t batch_size,
                       std::function<void(const std::string&)> progress, std::string what, std::size_t expected)
    : store_(store), batch_size_(batch_size), progress_(std::move(progress)), what_(std::move(what)),
      expected_(expected), clock_(clock) {
  batch_.reserve(batch_size_);
}

BulkWriter::~BulkWriter() {
  // Its jobs use this object: none may run after it.
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return in_flight_ == 0; });
}

void BulkWriter::add(Instant at, Step step) {
  batch_.push_back(Item{at, std::move(step)});
  if (batch_.size() >= batch_size_) submit();
}

void BulkWriter::submit() {
  if (batch_.empty()) return;
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ < max_in_flight || error_; });
    if (error_) std::rethrow_exception(error_);
    ++in_flight_;
  }
  auto items = std::make_shared<std::vector<Item>>(std::move(batch_));
  batch_ = {};
  batch_.reserve(batch_size_);
  const std::size_t count = items->size();
  queued_ += count;
  if (progress_ && expected_ > 0 && queued_ * 10 / expected_ > reported_tenths_ && queued_ < expected_) {
    reported_tenths_ = queued_ * 10 / expected_;
    progress_(what_ + ": " + std::to_string(queued_ * 100 / expected_) + "% (" + std::to_string(queued_) + " of " +
              std::to_string(expected_) + ")");
  }
  store_.write_alone(
      [this, items](storage::WriteTxn& tx) {
        const At at = [this](Instant t) { clock_.set(t); };
        for (Item& item : *items) {
          clock_.set(item.at);
          item.step(tx, at);
        }
      },
      [this, count](std::exception_ptr err) {
        std::lock_guard lock(mu_);
        --in_flight_;
        if (err && !error_) error_ = err;
        if (!err) written_ += count;
        cv_.notify_all();
      });
}

void BulkWriter::finish() {
  submit();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return in_flight_ == 0; });
  if (error_) std::rethrow_exception(error_);
}

std::size_t BulkWriter::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

}  // namespace relance::demo
