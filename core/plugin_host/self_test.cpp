#include "plugin_host/self_test.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <memory>

#include "domain/json_text.hpp"
#include "plugin_host/host_services.hpp"
#include "plugin_host/plugin_instance.hpp"
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
// datasets, in this process or a child as the plugin's isolation says, destroyed with this
// object.
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
    instance = make_instance(plugin, *host, watch);
    CreatedInstance made = instance->create();
    if (made.status != RELANCE_OK)
      throw SelfTestUnavailable("the " + plugin.id + " plugin refused the instance's settings: " + redacted(made.error));
  }
  TestInstance(const TestInstance&) = delete;
  TestInstance& operator=(const TestInstance&) = delete;

  // What the plugin says, without the settings' secrets.
  std::string redacted(std::string_view s) const {
    return redact(s.substr(0, std::min<std::size_t>(s.size(), 4000)), context.secrets);
  }
  std::string error() const {
    const std::string why = redacted(instance->last_error());
    return why.empty() ? "no reason given" : why;
  }

  const PluginFile& plugin;
  InstanceContext context;
  std::unique_ptr<HostContext> host;
  CallWatch watch;
  std::unique_ptr<PluginInstance> instance;
};

}  // namespace

SelfTestResult run_self_test(HostEnv& env, const PluginFile& plugin, const storage::PluginInstanceRecord& instance,
                             const std::string& request) {
  const bool offered = std::find(plugin.interfaces.begin(), plugin.interfaces.end(), RELANCE_SELF_TEST_V1) !=
                       plugin.interfaces.end();
  const std::string none = "the " + plugin.id + " plugin offers no test (" + RELANCE_SELF_TEST_V1 + ", SDK 1.2)";
  if (!plugin.loaded || !offered) throw SelfTestUnavailable(none);
  TestInstance test(env, plugin, instance);
  std::string report;
  const auto s = test.instance->self_test(request, report);
  if (!s) throw SelfTestUnavailable(none);
  const relance_status status = *s == died_in_call ? RELANCE_FATAL : *s;
  SelfTestResult result{status == RELANCE_OK, status_name(status), test.redacted(report)};
  if (result.report.empty()) result.report = status == RELANCE_OK ? "passed" : test.error();
  return result;
}

}  // namespace relance::plugin_host
