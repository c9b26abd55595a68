// Fixture: a plugin whose every call throws. The C++ layer must turn each exception into a
// status (RETRY for a std::exception) and keep its message for the daemon.
#include <stdexcept>

#include "relance/plugin.hpp"

namespace {

class Thrower : public relance::Instance, public relance::EventSink {
 public:
  using Instance::Instance;
  relance_status deliver(const relance::Event& e) override {
    throw std::runtime_error("thrower fails on purpose (event " + std::to_string(e.id()) + ")");
  }
};

}  // namespace

RELANCE_PLUGIN(Thrower, "org.relance.fixture.thrower", "Thrower (fixture)", "Relance tests", "1.0.0")
