#include "world.hpp"

#include <stdexcept>

namespace relance::test {
namespace json = boost::json;

World::World(std::map<std::string, std::string> env) : daemon(std::move(env)) {
  daemon.start();
  admin = daemon.admin();
  auto me = admin.get("/api/v1/me").json().as_object();
  region_id = me.at("org_id").as_int64();
  alpha_id = create(admin, "organisations", {{"name", "Alpha Robotics"}}).at("id").as_int64();
  beta_id = create(admin, "organisations", {{"name", "Beta Foods"}}).at("id").as_int64();
  staff = add_user(region_id, "staff@region.test", "staff");
  alpha_admin = add_user(alpha_id, "admin@alpha.test", "org-admin");
  alpha_member = add_user(alpha_id, "member@alpha.test", "member");
  beta_admin = add_user(beta_id, "admin@beta.test", "org-admin");
  beta_member = add_user(beta_id, "member@beta.test", "member");
}

HttpClient World::add_user(std::int64_t org_id, const std::string& email, const std::string& role) {
  const std::string password = "password-of-" + email;
  create(admin, "users",
         {{"org_id", org_id}, {"email", email}, {"role", role}, {"password", password},
          {"display_name", email}});
  return login(daemon.port(), email, password);
}

json::object World::create(HttpClient& as, const std::string& collection, const json::object& body) {
  auto r = as.post("/api/v1/" + collection, body);
  if (r.status != 201)
    throw std::runtime_error("POST /api/v1/" + collection + " answered " + std::to_string(r.status) + ": " + r.body);
  return r.json().as_object();
}

}  // namespace relance::test
