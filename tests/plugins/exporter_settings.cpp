// An exporter that documents its settings (SDK 1.3 types) and writes, as its whole file,
// what its instance was given: organisation, instance name, settings and options. Built
// twice: "stamp", whose settings all have defaults (or are optional), and, with
// FIXTURE_REQUIRED, "needs", which requires a setting without a default, which no export can
// give (sdk/include/relance/exporter.h: such an exporter offers no format).
#include <relance/plugin.hpp>

#include <string>

namespace {

class Stamp : public relance::Instance, public relance::Exporter {
 public:
  using Instance::Instance;

#ifdef FIXTURE_REQUIRED
  static constexpr const char* format_id = "needs";
  static constexpr relance_setting documented_settings[] = {
      {"api_url", "Required. Where to send the file, e.g. https://example.org/in", nullptr, nullptr,
       RELANCE_SETTING_URL, RELANCE_SETTING_REQUIRED}};
#else
  static constexpr const char* format_id = "stamp";
  static constexpr relance_setting documented_settings[] = {
      {"separator", "Between fields", "|", nullptr, RELANCE_SETTING_TEXT, RELANCE_SETTING_REQUIRED},
      {"width", "Columns of a line", "80", nullptr, RELANCE_SETTING_INTEGER, 0},
      {"ratio", "A number", "0.5", nullptr, RELANCE_SETTING_NUMBER, 0},
      {"upper", "Upper case", "false", "true|false", RELANCE_SETTING_BOOLEAN, 0},
      {"title", "Optional, no default", nullptr, nullptr, RELANCE_SETTING_TEXT, 0}};
#endif
  static constexpr const char* file_extension = "txt";
  static constexpr const char* mime_type = "text/plain";
  static constexpr relance_option options[] = {{"note", "Free text for the first line", nullptr, nullptr}};

  relance_status open(const relance_export_request& request) override {
    const relance_status s = Exporter::open(request);
    write("org " + std::to_string(host().org_id()) + "\nname " + std::string(host().instance_name()) +
          "\nsettings " + std::string(host().settings()) + "\noptions " + std::string(relance::view(request.options)) +
          "\n");
    return s;
  }
  relance_status begin_dataset(const relance_dataset&) override { return RELANCE_OK; }
  relance_status write_row(const relance_row&) override { return RELANCE_OK; }
  relance_status finish(bool) override { return RELANCE_OK; }
};

}  // namespace

#ifdef FIXTURE_REQUIRED
RELANCE_PLUGIN(Stamp, "org.relance.fixture.exporter-needs", "Exporter needing a setting", "Relance tests", "1.0.0")
#else
RELANCE_PLUGIN(Stamp, "org.relance.fixture.exporter-stamp", "Exporter stamping its settings", "Relance tests", "1.0.0")
#endif
