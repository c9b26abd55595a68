#include "plugin_host/self_test.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <memory>

#include "domain/json_text.hpp"
#include "plugin_host/host_services.hpp"
#include "plugin_host/instance_factory.hpp"
#include "plugin_host/loader.hpp"
#include "plugin_host/secret_settings.hpp"
#include "relance/settings.h"

namespace relance::plugin_host {
namespace {


const char* status_name(relance_status s) {
  switch (s) {
    case RELANCE_OK: return "ok";
    case RELANCE_RETRY: return "retry";
    case RELANCE_INVALID: return "invalid";
    case RELANCE_UNSUPPORTED: return "unsupported";
    case RELANCE_FATAL: return "fatal";
  }
  return "fatal";
}

// The instance of the test: the configured instance's settings (secrets opened) and
// datasets, destroyed with this object.
struct TestInstance {
  TestInstance(HostEnv& env, const PluginFile& p, const storage::PluginInstanceRecord& r) : plugin(p) {
    context.id = r.id;
    context.org_id = r.org_id;
    context.name = r.name;
    context.datasets = domain::read_text_list(r.datasets);
    boost::system::error_code ec;
    const auto stored = boost::json::parse(r.settings, ec);
    context.settings = !ec && stored.is_object() && env.secrets
                           ? boost::json::serialize(opened_settings(stored.get_object(), *env.secrets, context.secrets))
                           : r.settings;
    host = make_host(env, plugin.id, &context);
    CreatedInstance made = create_instance(plugin, &host->raw);
    instance = made.instance;
    if (made.status != RELANCE_OK)
      throw SelfTestUnavailable("the " + plugin.id + " plugin refused the instance's settings: " +
                                redacted(relance_str{made.error.data(), made.error.size()}));
  }
  ~TestInstance() {
    if (instance) plugin.entry.destroy_instance(instance);
  }
  TestInstance(const TestInstance&) = delete;
  TestInstance& operator=(const TestInstance&) = delete;

  // What the plugin says, without the settings' secrets.
  std::string redacted(relance_str s) const {
    return s.data && s.size ? redact(std::string_view(s.data, std::min<std::size_t>(s.size, 4000)), context.secrets)
                            : std::string();
  }
  std::string error(relance_instance* i) const {
    const std::string why = plugin.entry.last_error ? redacted(plugin.entry.last_error(i)) : std::string();
    return why.empty() ? "no reason given" : why;
  }

  const PluginFile& plugin;
  InstanceContext context;
  std::unique_ptr<HostContext> host;
  relance_instance* instance = nullptr;
};

}  // namespace

SelfTestResult run_self_test(HostEnv& env, const PluginFile& plugin, const storage::PluginInstanceRecord& instance,
                             const std::string& request) {
  const bool offered = std::find(plugin.interfaces.begin(), plugin.interfaces.end(), RELANCE_SELF_TEST_V1) !=
                       plugin.interfaces.end();
  if (!plugin.loaded || !offered)
    throw SelfTestUnavailable("the " + plugin.id + " plugin offers no test (" + RELANCE_SELF_TEST_V1 + ", SDK 1.2)");
  TestInstance test(env, plugin, instance);
  const auto* table =
      static_cast<const relance_self_test_v1*>(plugin.entry.get_interface(test.instance, RELANCE_SELF_TEST_V1));
  if (!table || table->struct_size < sizeof(relance_self_test_v1) || !table->run)
    throw SelfTestUnavailable("the " + plugin.id + " plugin offers no test (" + RELANCE_SELF_TEST_V1 + ", SDK 1.2)");
  relance_str report{nullptr, 0};
  const relance_status s = table->run(test.instance, relance_str{request.data(), request.size()}, &report);
  SelfTestResult result{s == RELANCE_OK, status_name(s), test.redacted(report)};
  if (result.report.empty()) result.report = s == RELANCE_OK ? "passed" : test.error(test.instance);
  return result;
}

}  // namespace relance::plugin_host
