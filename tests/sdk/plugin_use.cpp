// Compiled by the header compile matrix as C++17 and C++20: relance/plugin.hpp, with every
// template of it instantiated by a plugin that plays both roles.
#include "relance/plugin.hpp"

namespace {

class Both : public relance::Instance, public relance::EventSink, public relance::Exporter {
 public:
  using Instance::Instance;
  static constexpr const char* format_id = "txt";
  static constexpr const char* file_extension = "txt";
  static constexpr const char* mime_type = "text/plain";
  static constexpr relance_option options[] = {{"mode", "Mode", "a", "a|b"}};

  relance_status deliver(const relance::Event& event) override {
    host().put_state("last", std::to_string(event.id()));
    host().info(event.type());
    if (host().has_outbound_policy() && !host().may_connect("192.0.2.1", 25)) return RELANCE_RETRY;
    return host().get_state("last") ? RELANCE_OK : RELANCE_RETRY;
  }
  relance_status begin_dataset(const relance_dataset& dataset) override {
    write(relance::view(dataset.name));
    return RELANCE_OK;
  }
  relance_status write_row(const relance_row& row) override {
    if (row.count == 0) throw relance::Error(RELANCE_INVALID, "empty row");
    return RELANCE_OK;
  }
  relance_status finish(bool) override { return RELANCE_OK; }
};

}  // namespace

RELANCE_PLUGIN(Both, "org.relance.test.plugin-hpp", "plugin.hpp", "Relance", "1.0.0")
