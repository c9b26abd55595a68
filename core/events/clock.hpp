// The clock events are stamped with: every event's occurred_at, and the follow-up
// scheduler's sense of now, come from the one clock() below. It is the system's, unless a
// test sets another (ClockOverride), so that a test can say when things happen.
//
// Thread safety: clock() may be called from any thread; a ClockOverride is made and dropped
// by a test while no event is being published.
#pragma once

#include <atomic>
#include <chrono>

namespace relance::events {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() const = 0;
};

// The clock in use.
const Clock& clock();

// Makes `clock` the clock in use while it lives; the previous one comes back after.
class ClockOverride {
 public:
  explicit ClockOverride(const Clock& clock);
  ~ClockOverride();
  ClockOverride(const ClockOverride&) = delete;
  ClockOverride& operator=(const ClockOverride&) = delete;

 private:
  const Clock* previous_;
};

// A clock that says what it is told: for tests (set() may race with readers).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(time_point at) : at_(at) {}
  time_point now() const override { return at_.load(); }
  void set(time_point at) { at_.store(at); }

 private:
  std::atomic<time_point> at_;
};

}  // namespace relance::events
