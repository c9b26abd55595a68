#include "events/clock.hpp"

#include <atomic>

namespace relance::events {
namespace {

class SystemClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::system_clock::now(); }
};

const SystemClock system_clock;
std::atomic<const Clock*> current{&system_clock};

}  // namespace

const Clock& clock() { return *current.load(std::memory_order_acquire); }

ClockOverride::ClockOverride(const Clock& clock)
    : previous_(current.exchange(&clock, std::memory_order_acq_rel)) {}

ClockOverride::~ClockOverride() { current.store(previous_, std::memory_order_release); }

}  // namespace relance::events
