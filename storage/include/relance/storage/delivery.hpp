// Records of event delivery to plugins: the instances the admins configured, the outbox
// events they receive, their cursors, their persistent state and their dead letters.
// Kept apart from the CRM entities of schema.hpp: they are the daemon's own bookkeeping,
// never exposed as records, never themselves the source of events.
#pragma once

#include <cstdint>
#include <string>

namespace relance::storage {

// A plugin instance as configured for one organisation.
struct PluginInstanceRecord {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t version = 0;   // +1 on every change; the ETag
  std::string plugin;          // the plugin's id: "org.example.crm-sync"
  std::string name;            // unique in the organisation
  bool enabled = true;
  std::string settings = "{}"; // JSON object, given to the plugin as is
  std::string events = "[]";   // JSON array of event type patterns: "contact.*", "lead.stage_changed"
  std::string datasets = "[]"; // JSON array of datasets the instance may read
  std::string source = "api";  // "api", or "config" when declared in the TOML file
  std::string suspended;       // why the daemon suspended it ("" when running)
  std::string created_at;
  std::string updated_at;
};

// One event as the outbox keeps it.
struct OutboxRecord {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t entity_id = 0;
  std::string at;
  std::string type;
  std::string entity;
  std::string payload;
};

// An event an instance could not handle, kept until an admin replays or drops it.
struct DeadLetter {
  std::int64_t instance_id = 0;
  std::int64_t event_id = 0;
  std::string at;      // when it was dead-lettered
  std::int64_t attempts = 0;
  std::string status;  // "retry", "invalid", "fatal", "timeout"
  std::string error;   // the plugin's last error
};

// Where an instance stands in the outbox.
struct DeliveryPosition {
  std::int64_t cursor = 0;       // id of the last event handled (delivered or dead-lettered)
  std::int64_t pending = 0;      // events of its organisation after the cursor (capped)
  std::string oldest_pending_at; // `at` of the first of them, "" when none
  std::int64_t dead_letters = 0;
};

}  // namespace relance::storage
