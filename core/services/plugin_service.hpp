// PluginService: what administrators do with plugins through the API: see the plugin
// files the daemon found, configure instances for organisations (settings and grants:
// which events, which datasets), resume a suspended instance, and list, replay or drop
// dead letters. Also applies the instances declared in the TOML file at start.
//
// Who: the instance admin manages every organisation's instances; an org-admin those of
// their organisation (another organisation's instance answers 404). Other roles: 403.
//
// Secret settings (passwords, tokens, URL passwords: plugins/secret_settings.hpp) are
// sealed with the instance's SecretBox before they are stored and shown as "(set)".
//
// Thread safety: all members may be called concurrently. Writes complete asynchronously.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "auth/secret_box.hpp"
#include "plugin_host/dispatcher.hpp"
#include "plugin_host/registry.hpp"
#include "services/record_service.hpp"
#include "services/write_result.hpp"

namespace relance::services {

// An instance declared in the configuration file ([[plugins.instance]]).
struct ConfiguredInstance {
  std::string organisation;  // name (or numeric id) of the organisation
  std::string name;
  std::string plugin;
  bool enabled = true;
  std::string settings = "{}";  // JSON object
  std::vector<std::string> events;
  std::vector<std::string> datasets;
  bool from_beginning = false;  // deliver the events already in the outbox
};

class PluginService {
 public:
  PluginService(storage::Store& store, storage::EventLog& events, const plugin_host::PluginRegistry& registry,
                plugin_host::Dispatcher& dispatcher,
                const auth::SecretBox& secrets);
  ~PluginService();

  boost::json::object list_plugins(const auth::Principal& p) const;
  services::Page list_instances(const auth::Principal& p) const;
  services::ReadResult get_instance(const auth::Principal& p, std::int64_t id) const;
  void create_instance(const auth::Principal& p, boost::json::object body, services::WriteCallback done);
  void update_instance(const auth::Principal& p, std::int64_t id, boost::json::object body,
                       std::optional<std::int64_t> expected_version, services::WriteCallback done);
  void remove_instance(const auth::Principal& p, std::int64_t id, services::WriteCallback done);
  void resume(const auth::Principal& p, std::int64_t id, services::WriteCallback done);

  services::Page dead_letters(const auth::Principal& p, std::int64_t id,
                              const services::QueryParams& query) const;
  // Queues the redelivery of one dead letter (or all of them): 202.
  void replay(const auth::Principal& p, std::int64_t id, std::optional<std::int64_t> event_id,
              services::WriteCallback done);
  void drop_dead_letter(const auth::Principal& p, std::int64_t id, std::int64_t event_id,
                        services::WriteCallback done);

  // Creates or updates the configured instances (matched by organisation and name), before
  // the dispatcher starts. Throws std::runtime_error naming a bad declaration.
  void apply_configured(const std::vector<ConfiguredInstance>& instances);

  // Seals the secret settings a database written before they were sealed holds in clear.
  // Before the dispatcher starts. Returns how many instances changed.
  int seal_clear_settings();

  // The body fields an instance takes (for the OpenAPI document).
  static std::vector<std::string> instance_fields();

 private:
  storage::PluginInstanceRecord owned(const auth::Principal& p, std::int64_t id) const;
  boost::json::object instance_object(const storage::PluginInstanceRecord& r) const;
  std::string instance_json(const storage::PluginInstanceRecord& r) const;
  void apply_body(storage::PluginInstanceRecord& r, const boost::json::object& body, bool create) const;
  // Runs `job` on the writer; after the commit restarts the instance's delivery.
  void write_and_reload(std::int64_t id, std::function<services::WriteResult(storage::WriteTxn&)> job,
                        services::WriteCallback done);

  storage::Store& store_;
  storage::EventLog& events_;  // the instances, their delivery position and dead letters
  const plugin_host::PluginRegistry& registry_;
  plugin_host::Dispatcher& dispatcher_;
  const auth::SecretBox& secrets_;
};

}  // namespace relance::services
