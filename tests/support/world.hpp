// World: a daemon with the organisations and users most tests need, created through the
// API as an operator would: the region (with the instance admin and a staff user) and two
// start-ups, each with an org-admin and a member.
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "daemon.hpp"

namespace relance::test {

struct World {
  Daemon daemon;
  std::int64_t region_id = 0, alpha_id = 0, beta_id = 0;
  HttpClient admin{0}, staff{0}, alpha_admin{0}, alpha_member{0}, beta_admin{0}, beta_member{0};

  explicit World(std::map<std::string, std::string> env = {});

  // Creates a user through the API as the instance admin and returns a client logged in.
  HttpClient add_user(std::int64_t org_id, const std::string& email, const std::string& role);
  // Creates a record as `as`; REQUIREs a 201 and returns the created JSON object.
  static boost::json::object create(HttpClient& as, const std::string& collection,
                                    const boost::json::object& body);
};

}  // namespace relance::test
