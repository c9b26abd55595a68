// Fixture: a plugin whose every event delivery throws, and whose exports fail half-way. The C++ layer must turn each exception into a
// status (RETRY for a std::exception) and keep its message for the daemon.
#include <stdexcept>

#include "relance/plugin.hpp"

namespace {

class Thrower : public relance::Instance, public relance::EventSink, public relance::Exporter {
 public:
  static constexpr const char* format_id = "broken";
  static constexpr const char* file_extension = "txt";
  static constexpr const char* mime_type = "text/plain";

  using Instance::Instance;
  relance_status deliver(const relance::Event& e) override {
    throw std::runtime_error("thrower fails on purpose (event " + std::to_string(e.id()) + ")");
  }
  // The export starts well, then fails on its second row: the file must not look complete.
  relance_status begin_dataset(const relance_dataset& d) override {
    write("export of " + std::string(relance::view(d.name)) + "\n");
    return RELANCE_OK;
  }
  relance_status write_row(const relance_row&) override {
    if (++rows_ == 2) throw std::runtime_error("thrower fails on purpose in the middle of an export");
    write(std::string(70000, 'x') + "\n");  // more than one chunk's worth
    return RELANCE_OK;
  }
  relance_status finish(bool) override { return RELANCE_OK; }

 private:
  int rows_ = 0;
};

}  // namespace

RELANCE_PLUGIN(Thrower, "org.relance.fixture.thrower", "Thrower (fixture)", "Relance tests", "1.0.0")
