// Routes of the plugin host: the plugins found, their instances per organisation, and
// the instances' dead letters (services/plugin_service.hpp says who may do what). The
// service's outcomes map to statuses and ETags here.
#include "api/plugin_routes.hpp"

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

// ?cursor= (the last event id of the page before) and ?limit=.
services::DeadLetterPaging read_paging(const QueryParams& query) {
  services::DeadLetterPaging paging;
  for (const auto& [k, v] : query) {
    if (k == "cursor") {
      auto n = domain::parse_int64(v);
      if (!n || *n < 0) throw Problem::bad_request("cursor is not one this list gave", k);
      paging.after_event_id = *n;
    } else if (k == "limit") {
      paging.limit = domain::parse_limit(k, v);
    } else {
      throw Problem::bad_request("unknown query parameter " + k, k);
    }
  }
  return paging;
}

}  // namespace

void add_plugin_routes(Router& router, services::PluginService& plugins, services::WorkPool& slow_work,
                       const ApiLimits& limits) {
  const std::string base = "/api/v1/plugin-instances";
  const std::string one = base + "/{id}";
  const std::string tag = "plugins";

  router.add("GET", "/api/v1/plugins", true,
             {"The plugin files found, loaded or refused (with why), and their instances", tag,
              Shape::object},
             [&plugins](Call& c, Reply reply) { reply(json_response(200, plugins.list_plugins(c.principal))); });
  router.add("GET", base, true,
             {"List plugin instances, with their delivery state, lag and dead letters", tag, Shape::page},
             [&plugins](Call& c, Reply reply) {
               reply(page_response(plugins.list_instances(c.principal)));
             });
  router.add("POST", base, true,
             {"Enable a plugin for an organisation: plugin, name, settings, events, datasets, start",
              tag, Shape::created, nullptr, true},
             [&plugins, limits, base](Call& c, Reply reply) {
               plugins.create_instance(c.principal, parse_json_object(c.request, limits),
                                       changed(std::move(reply), base));
             });
  router.add("GET", one, true, {"Read a plugin instance and its delivery state", tag, Shape::object},
             [&plugins](Call& c, Reply reply) {
               reply(read_instance(plugins.get_instance(c.principal, c.ids[0])));
             });
  router.add("PATCH", one, true,
             {"Change a plugin instance (name, enabled, settings, events, datasets)", tag, Shape::object,
              nullptr, true, {}, true},
             [&plugins, limits](Call& c, Reply reply) {
               plugins.update_instance(c.principal, c.ids[0], parse_json_object(c.request, limits),
                                       expected_version(c.request, c.ids[0]), changed(std::move(reply)));
             });
  router.add("DELETE", one, true,
             {"Remove a plugin instance with its cursor, state and dead letters", tag, Shape::no_content},
             [&plugins](Call& c, Reply reply) {
               plugins.remove_instance(c.principal, c.ids[0], changed(std::move(reply)));
             });
  router.add("POST", one + "/test", true,
             {"Run the plugin's test of the instance's settings (SDK 1.2, relance.self-test/1): the email "
              "reminder sends one message to {\"to\": EMAIL}; 200 with passed, status and the report "
              "(the SMTP server's answer)",
              tag, Shape::object, nullptr, true},
             [&plugins, &slow_work, limits](Call& c, Reply reply) {
               // The test talks to another server for seconds: off the HTTP threads.
               offload(slow_work, std::move(reply),
                       [&plugins, p = c.principal, id = c.ids[0], body = parse_json_object(c.request, limits)](Reply& r) {
                         r(json_response(200, plugins.test_instance(p, id, body)));
                       });
             });
  router.add("GET", "/api/v1/plugins/{plugin}/settings", true,
             {"The settings a plugin documents (SDK 1.2, relance.settings-doc/1): name, description, default, "
              "choices",
              tag, Shape::object},
             [&plugins](Call& c, Reply reply) {
               reply(json_response(200, plugins.plugin_settings(c.principal, c.names.at(0))));
             });
  router.add("POST", one + "/resume", true,
             {"Resume an instance the daemon suspended (a call overran its time budget)", tag, Shape::object},
             [&plugins](Call& c, Reply reply) {
               plugins.resume(c.principal, c.ids[0], changed(std::move(reply)));
             });
  router.add("GET", one + "/dead-letters", true,
             {"The events the instance could not handle, oldest first", tag, Shape::page, nullptr, false,
              {"limit", "cursor"}},
             [&plugins](Call& c, Reply reply) {
               reply(page_response(plugins.dead_letters(c.principal, c.ids[0], read_paging(c.request.query))));
             });
  router.add("POST", one + "/dead-letters/replay", true,
             {"Deliver every dead letter again (202: queued)", tag, Shape::object},
             [&plugins](Call& c, Reply reply) {
               plugins.replay(c.principal, c.ids[0], std::nullopt, changed(std::move(reply)));
             });
  router.add("POST", one + "/dead-letters/{event_id}/replay", true,
             {"Deliver one dead letter again (202: queued)", tag, Shape::object},
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
