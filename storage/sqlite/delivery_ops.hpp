// SQL of event delivery (relance/storage/delivery.hpp), on one connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "relance/storage/delivery.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Writes (on the writer's connection, inside its transaction).
std::int64_t put_plugin_instance(Connection& c, PluginInstanceRecord& r, std::int64_t start_after);
void remove_plugin_instance(Connection& c, std::int64_t id);
void set_plugin_suspended(Connection& c, std::int64_t id, const std::string& why);
void set_plugin_cursor(Connection& c, std::int64_t instance_id, std::int64_t event_id);
void put_plugin_state(Connection& c, std::int64_t instance_id, const std::string& key,
                      const std::string* value);
void put_dead_letter(Connection& c, const DeadLetter& d);
bool remove_dead_letter(Connection& c, std::int64_t instance_id, std::int64_t event_id);

// Reads.
std::vector<PluginInstanceRecord> plugin_instances(Connection& c, std::optional<std::int64_t> id);
void read_outbox(Connection& c, std::int64_t org_id, std::int64_t after_id, std::size_t limit,
                 std::vector<OutboxRecord>& out);
std::optional<OutboxRecord> outbox_event(Connection& c, std::int64_t id);
std::int64_t last_outbox_id(Connection& c);
std::optional<std::string> plugin_state(Connection& c, std::int64_t instance_id,
                                        const std::string& key);
DeliveryPosition delivery_position(Connection& c, std::int64_t instance_id, std::int64_t org_id,
                                   std::int64_t pending_cap);
std::vector<DeadLetter> dead_letters(Connection& c, std::int64_t instance_id,
                                     std::int64_t after_event_id, std::size_t limit);

}  // namespace relance::storage::sqlite
