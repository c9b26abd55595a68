// Refuses every instance with a reason naming it: "refused for <instance name>". Built
// against the live headers (SDK 1.4: the reason comes back per call) and the frozen 1.3
// ones (one plugin-wide reason read with last_error(NULL)), so that a test can create many
// instances at once and check that each is shown its own reason, never a neighbour's.
#include <relance/plugin.hpp>

#include <string>

namespace {

class Refuses : public relance::Instance, public relance::EventSink {
 public:
  explicit Refuses(const relance_host* h) : Instance(h) {
    throw relance::Error(RELANCE_INVALID, "refused for " + std::string(host().instance_name()));
  }
  relance_status deliver(const relance::Event&) override { return RELANCE_OK; }
};

}  // namespace

RELANCE_PLUGIN(Refuses, FIXTURE_ID, "Refuses every instance", "Relance tests", "1.0.0")
