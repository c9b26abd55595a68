// Routes of the plugin host: the plugins found, their instances per organisation, and
// the instances' dead letters (services/plugin_service.hpp says who may do what). The
// service's outcomes map to statuses and ETags here.
#include "api/plugin_routes.hpp"

#include "api/list_query.hpp"
#include "api/openapi.hpp"
#include "api/outcome_response.hpp"
#include "api/problem_response.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"

namespace relance::api {
using Shape = RouteDoc::Shape;
using services::InstanceChange;

namespace {

// An instance read: its document and ETag.
Response read_instance(const services::InstanceView& v) { return record_response({v.body, v.id, v.version}); }

// Completes a change: 201 with the new instance (and its Location), 200 with the instance
// as it now reads, 204 once removed (outcome_response, as every write); 202 with the count
// of dead letters queued, the one answer only instances give.
services::InstanceCallback changed(Reply reply, std::string location_prefix = {}) {
  return [reply = std::move(reply), location_prefix = std::move(location_prefix)](std::exception_ptr err,
                                                                                  InstanceChange c) {
    if (err) return reply(error_response(err));
    using Kind = services::WriteOutcome::Kind;
    const services::InstanceView& v = c.instance;
    switch (c.kind) {
      case InstanceChange::Kind::created:
        return reply(outcome_response({Kind::created, v.id, v.version, v.body, {}, {}}, location_prefix));
      case InstanceChange::Kind::updated:
        return reply(outcome_response({Kind::updated, v.id, v.version, v.body, {}, {}}));
      case InstanceChange::Kind::removed: return reply(outcome_response({Kind::deleted, v.id, 0, {}, {}, {}}));
      case InstanceChange::Kind::queued:
        return reply(json_response(202, boost::json::object{{"queued", c.queued}}));
    }
  };
}

// ?cursor= (the last id of the page before) and ?limit=.
services::AfterIdPaging read_paging(const QueryParams& query) {
  services::AfterIdPaging paging;
  for (const auto& [k, v] : query) {
    if (k == "cursor") {
      auto n = domain::parse_int64(v);
      if (!n || *n < 0) throw Problem::bad_request("cursor is not one this list gave", k);
      paging.after_id = *n;
    } else if (k == "limit") {
      paging.limit = domain::parse_limit(k, v);
    } else {
      throw Problem::bad_request("unknown query parameter " + k, k);
    }
  }
  return paging;
}

// A plugin instance as PluginService answers it, with its delivery state.
boost::json::object instance_schema() {
  using boost::json::array;
  using boost::json::object;
  const object text{{"type", "string"}}, optional_text{{"type", array{"string", "null"}}},
      id{{"type", "integer"}}, count{{"type", "integer"}, {"minimum", 0}},
      names{{"type", "array"}, {"items", text}};
  const object delivery{
      {"type", "object"},
      {"required", array{"state", "last_error", "last_error_at", "cursor", "pending", "oldest_pending_at",
                         "dead_letters", "delivered_since_start"}},
      {"properties", {{"state", {{"type", "string"}, {"description", "disabled, plugin-missing, crashed, suspended, "
                                                                     "stopped, or the runner's state (running, ...)"}}},
                      {"crash", {{"type", array{"object", "null"}},
                                 {"description", "When the instance crashed the daemon: event_id (null when the call "
                                                 "was about no event), call, signal (null when unknown)"}}},
                      {"last_error", optional_text}, {"last_error_at", optional_text}, {"cursor", id},
                      {"pending", count}, {"oldest_pending_at", optional_text}, {"dead_letters", count},
                      {"delivered_since_start", count}}}};
  object props{{"id", id}, {"org_id", id}, {"plugin", text}, {"name", text}, {"enabled", {{"type", "boolean"}}},
               {"settings", {{"type", "object"}, {"description", "Secret settings are shown masked"}}},
               {"events", names}, {"datasets", names}, {"source", text}, {"version", id},
               {"created_at", text}, {"updated_at", text}, {"delivery", delivery}};
  array required;
  for (const auto& kv : props) required.emplace_back(kv.key());
  return object{{"type", "object"}, {"properties", std::move(props)}, {"required", std::move(required)}};
}

// GET /api/v1/plugins: the plugin files and the caller's instances of each.
RouteDoc plugins_doc(const std::string& tag) {
  using boost::json::array;
  using boost::json::object;
  const object text{{"type", "string"}}, optional_text{{"type", array{"string", "null"}}};
  object props{{"file", {{"type", "string"}, {"description", "The path for the admin, the file name for others"}}},
               {"state", {{"type", "string"}, {"enum", array{"loaded", "refused"}}}},
               {"error", optional_text}, {"id", optional_text}, {"name", text}, {"vendor", text},
               {"version", text}, {"sdk_version", optional_text},
               {"interfaces", {{"type", "array"}, {"items", text}}},
               {"instances", {{"type", "array"}, {"items", instance_schema()}}}};
  array required;
  for (const auto& kv : props) required.emplace_back(kv.key());
  const object file{{"type", "object"}, {"properties", std::move(props)}, {"required", std::move(required)}};
  RouteDoc d{"The plugin files found, loaded or refused (with why), and their instances", tag, RouteDoc::Shape::object};
  d.result_schema = object{{"type", "object"},
                           {"required", array{"items"}},
                           {"properties", {{"items", {{"type", "array"}, {"items", file}}}}}};
  return d;
}

// An instance's answer: the instance with its ETag. `create`: the body of an enabling,
// else of a change.
RouteDoc instance_doc(std::string summary, const std::string& tag, RouteDoc::Shape shape, bool has_body = false,
                      bool conditional = false, bool create = false) {
  RouteDoc d{std::move(summary), tag, shape, nullptr, has_body, {}, conditional};
  d.versioned = shape != RouteDoc::Shape::page;
  d.result_schema = instance_schema();
  if (has_body) {
    const boost::json::object names{{"type", "array"}, {"items", {{"type", "string"}}}};
    boost::json::object props{{"name", {{"type", "string"}}}, {"settings", {{"type", "object"}}},
                              {"events", names}, {"datasets", names}, {"enabled", {{"type", "boolean"}}}};
    d.body_schema = boost::json::object{{"type", "object"}};
    if (create) {
      props["plugin"] = boost::json::object{{"type", "string"}};
      props["start"] = boost::json::object{{"type", "string"},
                                           {"enum", boost::json::array{"now", "beginning"}},
                                           {"description", "Events from now on, or every event kept"}};
      props["org_id"] = boost::json::object{{"type", "integer"}, {"description", "Another organisation's (the admin)"}};
      d.body_schema["required"] = boost::json::array{"plugin"};
      d.idempotent_create = true;
    }
    d.body_schema["properties"] = std::move(props);
  }
  return d;
}

// POST /api/v1/plugin-instances/{id}/test (PluginService::test_instance).
RouteDoc self_test_doc(const std::string& tag) {
  using boost::json::array;
  using boost::json::object;
  RouteDoc d{"Run the plugin's test of the instance's settings (SDK 1.2, relance.self-test/1): the email "
             "reminder sends one message to {\"to\": EMAIL}; 200 with passed, status and the report (the "
             "SMTP server's answer) whether it passed or not; 422 when the plugin offers no test",
             tag, RouteDoc::Shape::object, nullptr, true};
  d.body_schema = object{{"type", "object"}, {"description", "The plugin's own test parameters ({\"to\": EMAIL})"}};
  d.result_schema = object{
      {"type", "object"},
      {"required", array{"instance_id", "plugin", "passed", "status", "report"}},
      {"properties", {{"instance_id", {{"type", "integer"}}},
                      {"plugin", {{"type", "string"}}},
                      {"passed", {{"type", "boolean"}}},
                      {"status", {{"type", "string"}, {"enum", array{"ok", "invalid", "retry", "fatal", "unsupported"}}}},
                      {"report", {{"type", "string"}, {"description", "What the test did, secrets redacted"}}}}}};
  return d;
}

// GET /api/v1/plugins/{plugin}/settings (PluginService::plugin_settings).
RouteDoc settings_doc(const std::string& tag) {
  using boost::json::array;
  using boost::json::object;
  const object text{{"type", "string"}};
  object setting = doc_plugin_option();
  for (const char* key : {"description_fr", "secret", "type", "required", "declared"})
    setting["required"].as_array().emplace_back(key);
  auto& properties = setting["properties"].as_object();
  properties["description_fr"] =
      object{{"type", "string"},
             {"description", "The description in French (SDK 1.6, relance.settings-doc/3), or the English one when "
                             "the plugin gives none"}};
  properties["secret"] = object{{"type", "boolean"},
                                {"description", "Stored sealed and shown as \"(set)\": a form never shows it back "
                                                "(flagged RELANCE_SETTING_SECRET, SDK 1.6, or named as a secret)"}};
  properties["type"] = object{{"type", "string"},
                              {"enum", array{"text", "integer", "number", "boolean", "email", "url"}},
                              {"description", "The JSON value it takes (text: a string, one of choices when given)"}};
  properties["required"] =
      object{{"type", "boolean"}, {"description", "An instance cannot be created or changed without it"}};
  properties["declared"] = object{
      {"type", "boolean"},
      {"description", "True when the plugin declares type and required (SDK 1.3, relance.settings-doc/2) and the "
                      "daemon checks them (422 naming settings/<name>); false when they are read from an SDK 1.2 "
                      "plugin's words and the plugin alone checks them"}};
  RouteDoc d{"The settings a plugin documents (relance.settings-doc/2, or /1 for an SDK 1.2 plugin), for a "
             "settings form; an empty list for a plugin built before; 404 for one not loaded",
             tag, RouteDoc::Shape::object};
  d.result_schema = object{{"type", "object"},
                           {"required", array{"plugin", "name", "settings"}},
                           {"properties", {{"plugin", text}, {"name", text},
                                           {"settings", {{"type", "array"}, {"items", std::move(setting)}}}}}};
  return d;
}

// A replay: 202 with the count of dead letters queued.
RouteDoc replay_doc(std::string summary, const std::string& tag) {
  RouteDoc d{std::move(summary), tag, RouteDoc::Shape::object};
  d.responses["200"] = nullptr;
  d.responses["202"] = doc_response(
      "Queued", doc_content({"application/json"},
                            {{"type", "object"},
                             {"required", boost::json::array{"queued"}},
                             {"properties", {{"queued", {{"type", "integer"}, {"minimum", 0}}}}}}));
  return d;
}

}  // namespace

void add_plugin_routes(Router& router, services::PluginService& plugins, services::WorkPool& slow_work,
                       const ApiLimits& limits) {
  const std::string base = "/api/v1/plugin-instances";
  const std::string one = base + "/{id}";
  const std::string tag = "plugins";

  router.add("GET", "/api/v1/plugins", true, plugins_doc(tag),
             [&plugins](Call& c, Reply reply) { reply(json_response(200, plugins.list_plugins(c.principal))); });
  RouteDoc instances_doc =
      instance_doc("List plugin instances, with their delivery state, lag and dead letters, oldest first", tag,
                   Shape::page);
  instances_doc.query = {"limit", "cursor"};
  router.add("GET", base, true, std::move(instances_doc),
             [&plugins](Call& c, Reply reply) {
               reply(page_response(plugins.list_instances(c.principal, read_paging(c.request.query))));
             });
  router.add("POST", base, true,
             instance_doc("Enable a plugin for an organisation: plugin, name, settings, events, datasets, start",
                          tag, Shape::created, true, false, true),
             [&plugins, limits, base](Call& c, Reply reply) {
               plugins.create_instance(c.principal, parse_json_object(c.request, limits), idempotency_of(c.request),
                                       changed(std::move(reply), base));
             });
  router.add("GET", one, true, instance_doc("Read a plugin instance and its delivery state", tag, Shape::object),
             [&plugins](Call& c, Reply reply) {
               reply(read_instance(plugins.get_instance(c.principal, c.ids[0])));
             });
  router.add("PATCH", one, true,
             instance_doc("Change a plugin instance (name, enabled, settings, events, datasets)", tag, Shape::object,
                          true, true),
             [&plugins, limits](Call& c, Reply reply) {
               plugins.update_instance(c.principal, c.ids[0], parse_json_object(c.request, limits),
                                       expected_version(c.request, c.ids[0]), changed(std::move(reply)));
             });
  router.add("DELETE", one, true,
             {"Remove a plugin instance with its cursor, state and dead letters", tag, Shape::no_content, nullptr,
              false, {}, true},
             [&plugins](Call& c, Reply reply) {
               plugins.remove_instance(c.principal, c.ids[0], expected_version(c.request, c.ids[0]),
                                       changed(std::move(reply)));
             });
  router.add("POST", one + "/test", true, self_test_doc(tag),
             [&plugins, &slow_work, limits](Call& c, Reply reply) {
               // The test talks to another server for seconds: off the HTTP threads.
               offload(slow_work, std::move(reply),
                       [&plugins, p = c.principal, id = c.ids[0], body = parse_json_object(c.request, limits)](Reply& r) {
                         r(json_response(200, plugins.test_instance(p, id, body)));
                       });
             });
  router.add("GET", "/api/v1/plugins/{plugin}/settings", true, settings_doc(tag),
             [&plugins](Call& c, Reply reply) {
               reply(json_response(200, plugins.plugin_settings(c.principal, c.names.at(0))));
             });
  router.add("POST", one + "/resume", true,
             instance_doc("Resume an instance the daemon suspended (a call overran its time budget) or quarantined "
                          "after a crash (it goes on after the event that crashed it)", tag,
                          Shape::object),
             [&plugins](Call& c, Reply reply) {
               plugins.resume(c.principal, c.ids[0], changed(std::move(reply)));
             });
  RouteDoc skip_doc = instance_doc("Move an instance past an event: that event and those before it count as "
                                   "handled; the way past an event that crashes or hangs the plugin",
                                   tag, Shape::object);
  skip_doc.has_body = true;
  skip_doc.body_schema = boost::json::object{
      {"type", "object"},
      {"required", boost::json::array{"to"}},
      {"properties", {{"to", {{"type", "integer"}, {"minimum", 1}, {"description", "The event id to move past"}}}}}};
  router.add("POST", one + "/skip", true, std::move(skip_doc),
             [&plugins, limits](Call& c, Reply reply) {
               plugins.skip(c.principal, c.ids[0], parse_json_object(c.request, limits), changed(std::move(reply)));
             });
  router.add("GET", one + "/dead-letters", true,
             {"The events the instance could not handle, oldest first", tag, Shape::page, nullptr, false,
              {"limit", "cursor"}},
             [&plugins](Call& c, Reply reply) {
               reply(page_response(plugins.dead_letters(c.principal, c.ids[0], read_paging(c.request.query))));
             });
  router.add("POST", one + "/dead-letters/replay", true,
             replay_doc("Deliver every dead letter again (202: queued)", tag),
             [&plugins](Call& c, Reply reply) {
               plugins.replay(c.principal, c.ids[0], std::nullopt, changed(std::move(reply)));
             });
  router.add("POST", one + "/dead-letters/{event_id}/replay", true,
             replay_doc("Deliver one dead letter again (202: queued)", tag),
             [&plugins](Call& c, Reply reply) {
               plugins.replay(c.principal, c.ids[0], c.ids[1], changed(std::move(reply)));
             });
  router.add("DELETE", one + "/dead-letters/{event_id}", true,
             {"Drop a dead letter (recorded in the audit log)", tag, Shape::no_content},
             [&plugins](Call& c, Reply reply) {
               plugins.drop_dead_letter(c.principal, c.ids[0], c.ids[1], changed(std::move(reply)));
             });
}

}  // namespace relance::api
