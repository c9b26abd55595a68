// PluginService: what administrators do with plugins through the API: see the plugin
// files the daemon found, configure instances for organisations (settings and grants:
// which events, which datasets), resume a suspended instance, and list, replay or drop
// dead letters. Also applies the instances declared in the TOML file at start.
//
// Who: the instance admin manages every organisation's instances; an org-admin those of
// their organisation (another organisation's instance answers 404). Other roles: 403.
//
// Secret settings (passwords, tokens, URL passwords: plugin_host/secret_settings.hpp) are
// sealed with the instance's SecretBox before they are stored and shown as "(set)".
//
// The outcomes are typed (InstanceView, InstanceChange); api/plugin_routes.cpp maps them to
// statuses and ETags.
//
// Thread safety: all members may be called concurrently. Writes complete asynchronously.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "auth/secret_box.hpp"
#include "plugin_host/dispatcher.hpp"
#include "plugin_host/registry.hpp"
#include "services/record_service.hpp"

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

// An instance as administrators see it, and the version its ETag names.
struct InstanceView {
  std::string body;  // JSON text; empty when the instance was gone on reading it back
  std::int64_t id = 0;
  std::int64_t version = 0;  // 0: unknown
};

// What a change of an instance did, once committed.
struct InstanceChange {
  enum class Kind {
    created,  // `instance` is the new one
    updated,  // `instance` as it now reads (a resume with nothing to resume changes nothing)
    removed,  // the instance, or one of its dead letters, is gone
    queued,   // `queued` dead letters are queued for redelivery
  };
  Kind kind = Kind::updated;
  InstanceView instance;
  std::int64_t queued = 0;
};

// Called once after the commit: `error` is a Problem, a storage::StorageError or another
// exception when the change did not happen.
using InstanceCallback = std::function<void(std::exception_ptr error, InstanceChange change)>;

// A page of a list in id order, oldest first (plugin instances, an instance's dead letters by
// event id): the page starts after `after_id`.
struct AfterIdPaging {
  std::int64_t after_id = 0;
  std::size_t limit = domain::default_page_size;
};

class PluginService {
 public:
  PluginService(storage::Store& store, storage::EventLog& events, const plugin_host::PluginRegistry& registry,
                plugin_host::Dispatcher& dispatcher,
                const auth::SecretBox& secrets);
  ~PluginService();

  boost::json::object list_plugins(const auth::Principal& p) const;
  services::Page list_instances(const auth::Principal& p, AfterIdPaging paging) const;
  InstanceView get_instance(const auth::Principal& p, std::int64_t id) const;
  // A create retried with its Idempotency-Key answers the instance the first one made.
  void create_instance(const auth::Principal& p, boost::json::object body, Idempotency key, InstanceCallback done);
  void update_instance(const auth::Principal& p, std::int64_t id, boost::json::object body,
                       std::optional<std::int64_t> expected_version, InstanceCallback done);
  void remove_instance(const auth::Principal& p, std::int64_t id, std::optional<std::int64_t> expected_version,
                       InstanceCallback done);
  void resume(const auth::Principal& p, std::int64_t id, InstanceCallback done);
  // Moves the instance's delivery position to event body["to"] (that event and those before
  // it count as handled; a position already past it stays). The way past an event that
  // crashes or hangs the plugin. Problem invalid for a missing, bad or future event id.
  void skip(const auth::Principal& p, std::int64_t id, const boost::json::object& body, InstanceCallback done);

  // The settings the plugin documents (SDK 1.2, relance.settings-doc/1):
  // {"plugin", "name", "settings": [{"name", "description", "default", "choices"}]}, the
  // list empty when the plugin documents none. Problem not_found for a plugin not loaded.
  boost::json::object plugin_settings(const auth::Principal& p, const std::string& plugin_id) const;
  // Runs the plugin's test (SDK 1.2, relance.self-test/1) with the instance's settings:
  // {"instance_id", "plugin", "passed", "status", "report"}. The email reminder sends one
  // message to `request`'s "to". Blocks for as long as the test does (an SMTP dialogue,
  // bounded by the plugin's own timeouts): call it off the HTTP threads. Problem invalid
  // when the plugin offers no test or refuses the settings.
  boost::json::object test_instance(const auth::Principal& p, std::int64_t id, const boost::json::object& request) const;

  // The page's next_cursor is the last event id of the page when more follow.
  services::Page dead_letters(const auth::Principal& p, std::int64_t id, AfterIdPaging paging) const;
  // Queues the redelivery of one dead letter (or all of them).
  void replay(const auth::Principal& p, std::int64_t id, std::optional<std::int64_t> event_id,
              InstanceCallback done);
  void drop_dead_letter(const auth::Principal& p, std::int64_t id, std::int64_t event_id, InstanceCallback done);

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
  InstanceView view_of(const storage::PluginInstanceRecord& r) const;
  void apply_body(storage::PluginInstanceRecord& r, const boost::json::object& body, bool create) const;
  // Runs `job` on the writer; after the commit restarts the instance's delivery (of `id`,
  // or of the instance the job wrote when 0).
  void write_and_reload(std::int64_t id, std::function<InstanceChange(storage::WriteTxn&)> job,
                        InstanceCallback done);

  storage::Store& store_;
  storage::EventLog& events_;  // the instances, their delivery position and dead letters
  const plugin_host::PluginRegistry& registry_;
  plugin_host::Dispatcher& dispatcher_;
  const auth::SecretBox& secrets_;
};

}  // namespace relance::services
