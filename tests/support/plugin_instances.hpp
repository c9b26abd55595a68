// The plugin instances of the API as the plugin tests read them: an instance, its delivery
// figures, enabling one, waiting until it has handled every event of its organisation.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "http_client.hpp"
#include "tools.hpp"

namespace relance::test {

inline std::string instance_path(std::int64_t id) { return "/api/v1/plugin-instances/" + std::to_string(id); }

inline boost::json::object instance(HttpClient& as, std::int64_t id) {
  auto r = as.get(instance_path(id));
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

inline boost::json::object delivery(HttpClient& as, std::int64_t id) {
  return instance(as, id).at("delivery").as_object();
}

// POST /api/v1/plugin-instances: the new instance's id.
inline std::int64_t enable(HttpClient& as, boost::json::object body) {
  auto r = as.post("/api/v1/plugin-instances", body);
  INFO(r.body);
  REQUIRE(r.status == 201);
  return r.json().at("id").as_int64();
}

inline void caught_up(HttpClient& as, std::int64_t id,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  const bool done = eventually([&] { return delivery(as, id).at("pending").as_int64() == 0; }, timeout);
  INFO(boost::json::serialize(instance(as, id)));
  REQUIRE(done);
}

inline std::string text_of(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : std::string();
}

}  // namespace relance::test
