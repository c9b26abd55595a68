// The web app in a real browser (issue 16): web/tests/browser/app_test.mjs drives Debian's
// headless Chromium (scripts/install-deps.sh installs it) with playwright-core against this
// daemon, seeded here through the API: a start-up, its founder, a company, a contact with an
// accented name and its lead worth 1 234,56 €, a contact that does not match, and a member
// of the region's staff (the lead is not shared with the region). The
// script's checks (login, search as you type, the contact page in French and English,
// cookie flags, headers, axe-core, logout) are listed in its header; its screenshots land in
// the build tree (tests/artifacts/web/). Also: the app type-checks against the daemon's
// OpenAPI document, and the JavaScript it ships stays within its budget.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "browser_script.hpp"
#include "daemon.hpp"
#include "temp_dir.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path web_sources = fs::path(RELANCE_SOURCE_DIR) / "web";


}  // namespace

TEST_CASE("A founder logs in, finds a contact by typing its accented name and reads it in French and English, and region staff do not find it, in headless Chromium") {
  Daemon d(std::map<std::string, std::string>{{"RELANCE_WEB_ROOT", RELANCE_WEB_APP_DIR}});
  d.start();
  auto admin = d.admin();
  const Founder ines = new_founder(admin, json::object{{"time_zone", "Europe/Paris"}});
  const std::string& email = ines.email;
  const std::string& password = ines.password;
  auto founder = login(d.port(), email, password);
  const std::int64_t company = created(founder, "companies", json::object{{"name", "Société Générale d'Électronique"}});
  const std::int64_t contact = created(
      founder, "contacts",
      json::object{{"first_name", "Zoé"}, {"last_name", "Lefèvre-Château"}, {"company_id", company},
                   {"title", "Directrice des achats"}, {"city", "Genève"}, {"country", "CH"},
                   {"emails", json::array{"zoe.lefevre@sge.example"}}, {"tags", json::array{"salon-2026"}},
                   {"notes", "Rencontrée au stand 🚀\r\nRappeler après le salon."}});
  created(founder, "contacts", json::object{{"first_name", "Marc"}, {"last_name", "Dupont"}, {"city", "Lyon"}});
  created(founder, "leads",
          json::object{{"title", "Pilote de tri robotisé"}, {"contact_id", contact}, {"company_id", company},
                       {"value", "1234.56"}, {"currency", "EUR"}});
  // Region staff, in the instance admin's organisation (the region's): the lead is not shared.
  const std::string staff_email = "paul@region.test";
  const std::string staff_password = "mot-de-passe-de-la-region";
  created(admin, "users",
          json::object{{"org_id", admin.get("/api/v1/me").json().at("org_id")}, {"email", staff_email},
                       {"role", "staff"}, {"password", staff_password}, {"display_name", "Paul Région"}});

  run_browser_script("app_test.mjs", d.port(),
                     {{"RELANCE_FOUNDER_EMAIL", email},
                      {"RELANCE_FOUNDER_PASSWORD", password},
                      {"RELANCE_STAFF_EMAIL", staff_email},
                      {"RELANCE_STAFF_PASSWORD", staff_password},
                      {"RELANCE_CONTACT_ID", std::to_string(contact)}});
}

TEST_CASE("The web app type-checks against the daemon's OpenAPI document") {
  Daemon d;
  d.start();
  TempDir dir;
  for (const char* entry : {"package.json", "src", "app"})
    fs::copy(web_sources / entry, dir.path() / entry, fs::copy_options::recursive);
  fs::create_directory_symlink(RELANCE_WEB_NODE_MODULES, dir.path() / "node_modules");
  auto c = d.client();
  std::ofstream(dir.file("openapi.json"), std::ios::binary) << c.get("/api/v1/openapi.json").body;
  const std::string in = "cd " + quoted(dir.path().string()) + " && timeout 120 " + quoted(RELANCE_NODE) + " ";
  for (const std::string step : {"node_modules/openapi-typescript/bin/cli.js openapi.json -o src/api/schema.d.ts",
                                 "node_modules/typescript/bin/tsc -p app/tsconfig.json"}) {
    auto [code, out] = shell(in + step);
    INFO(step << "\nexit " << code << ":\n" << out);
    REQUIRE(code == 0);
  }
}

TEST_CASE("The JavaScript the web app ships weighs less than 150 KB gzipped") {
  std::uintmax_t gzipped = 0, plain = 0;
  for (const auto& f : fs::directory_iterator(fs::path(RELANCE_WEB_APP_DIR) / "assets")) {
    const std::string name = f.path().filename().string();
    if (name.ends_with(".js.gz")) gzipped += f.file_size();
    if (name.ends_with(".js")) plain += f.file_size();
  }
  std::cout << "web app JavaScript: " << plain << " bytes, " << gzipped << " bytes gzipped (" << gzipped * 100 / (150 * 1024)
            << "% of the 150 KB budget)\n";
  CHECK(gzipped > 0);
  CHECK(gzipped < 150 * 1024);
}
