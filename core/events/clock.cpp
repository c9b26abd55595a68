#include "events/clock.hpp"

#include <atomic>

#include "relance/model/instant.hpp"

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
    : previous_(current.exchange(&clock, std::memory_order_acq_rel)) {
  // Storage's stamps (created_at, the audit's and the outbox's instants) follow this clock
  // from now on; it is the system's again once every override is gone.
  storage::set_now_function([] { return events::clock().now(); });
}

ClockOverride::~ClockOverride() { current.store(previous_, std::memory_order_release); }

}  // namespace relance::events
