// Runs one of web/tests/browser/'s scripts (their harness: web/tests/browser/support.mjs)
// in headless Chromium against a daemon this test started, with the settings it passes in
// the environment, and checks its verdict. For the *browser_test.cpp files only: CMake gives
// them the node, the npm tree, the bundled app and the artifacts folder.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "daemon.hpp"
#include "tools.hpp"

namespace relance::test {

// Creates a record through the API as `as` and answers its id; a refusal fails the test.
inline std::int64_t created(HttpClient& as, const std::string& collection, const boost::json::object& body) {
  const auto r = as.post("/api/v1/" + collection, body);
  INFO(collection << ": " << r.status << " " << r.body);
  REQUIRE(r.status == 201);
  return r.json().at("id").as_int64();
}

// The browser tests' founder: Inès Martin, org-admin of a new start-up, Étoile Robotique;
// `profile` adds to her user (time_zone, locale...).
struct Founder {
  std::int64_t org_id;
  std::string email = "ines@etoile-robotique.test";
  std::string password = "mot-de-passe-de-la-fondatrice";
};
inline Founder new_founder(HttpClient& admin, const boost::json::object& profile) {
  Founder f{created(admin, "organisations", boost::json::object{{"name", "Étoile Robotique"}})};
  boost::json::object user{{"org_id", f.org_id}, {"email", f.email}, {"role", "org-admin"},
                           {"password", f.password}, {"display_name", "Inès Martin"}};
  for (const auto& field : profile) user[field.key()] = field.value();
  created(admin, "users", user);
  return f;
}

inline const std::string browser_chromium = "/usr/bin/chromium";

// The script's checks print as they run; screenshots land in the build tree
// (tests/artifacts/web/).
inline void run_browser_script(const std::string& script, int port, const std::map<std::string, std::string>& settings) {
  INFO("the browser tests need Debian's chromium at " << browser_chromium << ": run scripts/install-deps.sh");
  REQUIRE(std::filesystem::exists(browser_chromium));
  std::string cmd = "RELANCE_URL=" + quoted("http://127.0.0.1:" + std::to_string(port)) +
                    " RELANCE_ARTIFACTS=" + quoted(RELANCE_WEB_ARTIFACTS) + " RELANCE_CHROMIUM=" + quoted(browser_chromium) +
                    " RELANCE_WEB_NODE_MODULES=" + quoted(RELANCE_WEB_NODE_MODULES);
  for (const auto& [name, value] : settings) cmd += " " + name + "=" + quoted(value);
  const auto path = std::filesystem::path(RELANCE_SOURCE_DIR) / "web" / "tests" / "browser" / script;
  cmd += " timeout 150 " + quoted(RELANCE_NODE) + " " + quoted(path.string());
  auto [code, out] = shell(cmd);
  INFO(cmd << "\nexit " << code << ":\n" << out);
  std::cout << out << "screenshots: " << RELANCE_WEB_ARTIFACTS << "\n";
  CHECK(code == 0);
  CHECK_THAT(out, Catch::EndsWith("browser test passed\n"));
}

}  // namespace relance::test
