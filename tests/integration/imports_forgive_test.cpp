// Imports that forgive, as a founder back from a mission runs them: LinkedIn's export with
// its notes preamble, a blank row and a trailing row of a date only (skipped and reported,
// never fatal); a dry run that reports every row even when one is invalid; one company for
// "Intel Corporation" and "Intel" (and one person at both), in the import and in
// `contact duplicates`; a tag and an event given to every contact; phones read in the
// contact's country or the import's region, their extensions kept.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = fs::path(RELANCE_SOURCE_DIR) / "tests" / "fixtures" / "imports";
const std::string linkedin = "linkedin_blank_and_date_rows.csv";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Posts a fixture as an import, waits for its job and returns its last state.
json::object import_fixture(HttpClient& c, const std::string& name, const std::string& query = {}) {
  auto r = c.request("POST", "/api/v1/imports" + query, read_file(fixtures / name), {{"Content-Type", "text/csv"}});
  INFO(r.body);
  REQUIRE(r.status == 202);
  const std::string location = r.header("location");
  for (int i = 0; i < 600; ++i) {
    json::object o = c.get(location).json().as_object();
    if (o.at("state") == "done" || o.at("state") == "failed") return o;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("the import did not finish");
  return {};
}

std::int64_t n(const json::object& o, const char* k) { return o.at(k).to_number<std::int64_t>(); }

// The report's entries by line.
std::map<std::int64_t, json::object> report_of(HttpClient& c, const json::object& job) {
  auto r = c.get(std::string(job.at("report").as_string()));
  REQUIRE(r.status == 200);
  std::map<std::int64_t, json::object> out;
  std::istringstream in(r.body);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    json::object o = json::parse(line).as_object();
    out[n(o, "line")] = std::move(o);
  }
  return out;
}

std::string text(const json::object& o, const char* k) {
  return o.at(k).is_string() ? std::string(o.at(k).as_string()) : std::string();
}

const json::object* named(const std::vector<json::object>& all, const std::string& first, const std::string& last) {
  for (const auto& c : all)
    if (text(c, "first_name") == first && text(c, "last_name") == last) return &c;
  return nullptr;
}

std::map<std::string, std::string> cli_env(World& w, TempDir& home) {
  return {{"HOME", home.path().string()},
          {"XDG_CONFIG_HOME", home.file("config")},
          {"RELANCE_URL", "http://127.0.0.1:" + std::to_string(w.daemon.port())},
          {"RELANCE_TOKEN", w.alpha_admin.token()}};
}

bool has(const json::value& list, const std::string& item) {
  if (!list.is_array()) return false;
  for (const auto& v : list.as_array())
    if (v.is_string() && v.as_string() == item) return true;
  return false;
}

}  // namespace

TEST_CASE("a LinkedIn file with a blank row and a date-only row gets a full dry-run report") {
  World w;
  const auto job = import_fixture(w.alpha_admin, linkedin, "?dry_run=true");
  INFO(json::serialize(job));
  CHECK(job.at("state") == "done");
  CHECK(n(job, "invalid") == 1);
  CHECK(n(job, "ignored") == 2);
  const auto report = report_of(w.alpha_admin, job);
  // Lines 1-3: LinkedIn's notes; line 4: the header; every row after it is reported.
  REQUIRE(report.size() == 7);
  CHECK(text(report.at(5), "outcome") == "new");
  CHECK(text(report.at(6), "outcome") == "new");
  CHECK(text(report.at(7), "outcome") == "skipped");
  CHECK(text(report.at(7), "detail").find("blank row") != std::string::npos);
  CHECK(text(report.at(8), "outcome") == "duplicate");
  CHECK(text(report.at(8), "detail").find("line 5") != std::string::npos);
  CHECK(text(report.at(9), "outcome") == "invalid");
  CHECK(text(report.at(9), "detail").find("neither a name nor an email nor a phone") != std::string::npos);
  CHECK(text(report.at(10), "outcome") == "new");
  CHECK(text(report.at(11), "outcome") == "skipped");
  CHECK(text(report.at(11), "detail").find("only a date") != std::string::npos);
  CHECK(list_all(w.alpha_admin, "contacts").empty());

  // The CLI says the import would be refused, and its progress line ends on "done".
  TempDir home;
  const std::string saved = home.file("report.csv");
  auto [code, out] = Daemon::run_cli({"import", (fixtures / linkedin).string(), "--dry-run", "--report", saved},
                                     cli_env(w, home));
  INFO(out);
  CHECK(code == 2);
  CHECK(out.find("done 100% 7 rows") != std::string::npos);
  CHECK(out.find("ignored    2") != std::string::npos);
  CHECK(out.find("would refuse") != std::string::npos);
  CHECK(read_file(saved).find("blank row") != std::string::npos);

  // Imported for real, leaving the invalid row out: the blank and date rows are no error.
  const auto real = import_fixture(w.alpha_admin, linkedin, "?skip_invalid=true");
  CHECK(real.at("state") == "done");
  CHECK(n(real, "created") == 3);
  CHECK(n(real, "ignored") == 2);
  CHECK(list_all(w.alpha_admin, "contacts").size() == 3);
}

TEST_CASE("Intel Corporation and Intel are one company and a person at both is one person") {
  World w;
  const auto job = import_fixture(w.alpha_admin, linkedin, "?skip_invalid=true");
  REQUIRE(job.at("state") == "done");
  const auto contacts = list_all(w.alpha_admin, "contacts");
  const auto* helene = named(contacts, "Hélène", "Dubois");
  const auto* marc = named(contacts, "Marc", "Lefèvre");
  REQUIRE(helene);
  REQUIRE(marc);
  // "Intel Corporation" (line 5), "Intel" (line 6) and "Intel, Inc." (line 8): one company,
  // and Hélène Dubois at two of them is one contact.
  CHECK(helene->at("company_id") == marc->at("company_id"));
  int intels = 0;
  for (const auto& c : list_all(w.alpha_admin, "companies"))
    if (text(c, "name").find("Intel") != std::string::npos) ++intels;
  CHECK(intels == 1);

  // Entered by hand later at a company named "INTEL Corp.": the duplicate finder groups her.
  const auto intel = World::create(w.alpha_admin, "companies", {{"name", "INTEL Corp."}});
  World::create(w.alpha_admin, "contacts",
                {{"first_name", "Helene"}, {"last_name", "DUBOIS"}, {"company_id", intel.at("id")}});
  // Two names, one web site: one company too.
  const auto alphabet = World::create(w.alpha_admin, "companies", {{"name", "Alphabet"}, {"domain", "google.com"}});
  const auto google = World::create(w.alpha_admin, "companies", {{"name", "Google LLC"}, {"website", "https://www.google.com/"}});
  World::create(w.alpha_admin, "contacts", {{"first_name", "Ruth"}, {"last_name", "Porat"}, {"company_id", alphabet.at("id")}});
  World::create(w.alpha_admin, "contacts", {{"first_name", "Ruth"}, {"last_name", "Porat"}, {"company_id", google.at("id")}});

  auto r = w.alpha_admin.get("/api/v1/contact-duplicates");
  REQUIRE(r.status == 200);
  INFO(r.body);
  const auto groups = r.json().at("groups").as_array();
  CHECK(groups.size() == 2);
  bool intel_group = false, google_group = false;
  for (const auto& g : groups) {
    const std::string reasons = json::serialize(g.at("reasons"));
    intel_group = intel_group || reasons.find("same name at Intel Corporation") != std::string::npos;
    google_group = google_group || reasons.find("same name at Alphabet") != std::string::npos;
  }
  CHECK(intel_group);
  CHECK(google_group);

  TempDir home;
  auto [code, out] = Daemon::run_cli({"contact", "duplicates"}, cli_env(w, home));
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("same name at Intel Corporation") != std::string::npos);
}

TEST_CASE("the tag and the event of an import apply to every imported contact") {
  World w;
  const auto mission = World::create(w.alpha_admin, "events", {{"name", "Mission Silicon Valley – juin"}, {"kind", "trade-mission"}});
  const std::string event_id = std::to_string(mission.at("id").as_int64());
  const auto job = import_fixture(w.alpha_admin, linkedin, "?skip_invalid=true&tag=sv-june&source_event_id=" + event_id);
  REQUIRE(job.at("state") == "done");
  CHECK(job.at("tag") == "sv-june");
  const auto contacts = list_all(w.alpha_admin, "contacts");
  REQUIRE(contacts.size() == 3);
  for (const auto& c : contacts) {
    INFO(json::serialize(c));
    CHECK(has(c.at("tags"), "sv-june"));
    CHECK(c.at("source_event_id") == mission.at("id"));
  }

  // Through the CLI, onto contacts that exist already (create-or-update), with a second tag.
  TempDir home;
  auto [code, out] = Daemon::run_cli({"import", (fixtures / linkedin).string(), "--skip-invalid", "--mode",
                                      "create-or-update", "--tag", "Lyon 🦁", "--event", event_id},
                                     cli_env(w, home));
  INFO(out);
  CHECK(code == 0);
  for (const auto& c : list_all(w.alpha_admin, "contacts")) {
    CHECK(has(c.at("tags"), "sv-june"));
    CHECK(has(c.at("tags"), "Lyon 🦁"));
  }

  // An event the organisation may not name, or a tag no contact may have, refuses the import.
  auto other = World::create(w.beta_admin, "events", {{"name", "Beta's private fair"}});
  auto refused = w.alpha_admin.request("POST", "/api/v1/imports?source_event_id=" + std::to_string(other.at("id").as_int64()),
                                       read_file(fixtures / linkedin), {{"Content-Type", "text/csv"}});
  CHECK(refused.status == 400);
  CHECK(refused.body.find("source_event_id") != std::string::npos);
  refused = w.alpha_admin.request("POST", "/api/v1/imports?tag=" + std::string(70, 'x'), read_file(fixtures / linkedin),
                                  {{"Content-Type", "text/csv"}});
  CHECK(refused.status == 400);
}

TEST_CASE("a US phone without + is accepted in a French organisation when the contact's country is US") {
  World w;
  // The API, with the country before or after the phones in the body.
  for (const json::object& body :
       {json::object{{"first_name", "Jordan"}, {"country", "US"}, {"phones", json::array{"650-555-0142"}}},
        json::object{{"first_name", "Casey"}, {"phones", json::array{"650-555-0143"}}, {"country", "US"}}}) {
    auto r = w.alpha_admin.post("/api/v1/contacts", body);
    INFO(r.body);
    CHECK(r.status == 201);
  }
  auto refused = w.alpha_admin.post("/api/v1/contacts", json::object{{"first_name", "Sam"}, {"phones", json::array{"650-555-0144"}}});
  INFO(refused.body);
  CHECK(refused.status == 422);
  CHECK(refused.body.find("read as a number of FR") != std::string::npos);

  // The import: a row's country reads its phone; a row without one, the import's region. A
  // number that is no number there is left out of its row, the warning saying where it was read.
  const auto in_fr = import_fixture(w.alpha_admin, "phones_regions.csv", "?dry_run=true");
  CHECK(in_fr.at("state") == "done");
  const auto report = report_of(w.alpha_admin, in_fr);
  REQUIRE(report.count(4));
  INFO(json::serialize(report.at(4)));
  CHECK(json::serialize(report.at(4)).find("read as a number of FR") != std::string::npos);
  CHECK(json::serialize(report.at(2)).find("warnings") == std::string::npos);
  const auto in_us = import_fixture(w.alpha_admin, "phones_regions.csv", "?region=US");
  INFO(json::serialize(in_us));
  CHECK(in_us.at("state") == "done");
  CHECK(n(in_us, "created") == 3);
  const auto contacts = list_all(w.alpha_admin, "contacts");
  const auto* jordan = named(contacts, "Jordan", "Miller");
  const auto* elodie = named(contacts, "Élodie", "Garnier");
  const auto* priya = named(contacts, "Priya", "Shah");
  REQUIRE(jordan);
  REQUIRE(elodie);
  REQUIRE(priya);
  CHECK(json::serialize(jordan->at("phones")) == R"(["+16505550123"])");
  CHECK(json::serialize(priya->at("phones")) == R"(["+16505550199;ext=7"])");

  // The CLI's --region is the same option.
  TempDir home;
  auto [code, out] = Daemon::run_cli({"import", (fixtures / "phones_regions.csv").string(), "--region", "US", "--dry-run"},
                                     cli_env(w, home));
  INFO(out);
  CHECK(code == 0);
}

TEST_CASE("a phone's extension is kept as the RFC 3966 ext parameter and read back the same") {
  World w;
  const auto job = import_fixture(w.alpha_admin, "phones_regions.csv");
  REQUIRE(job.at("state") == "done");
  const auto contacts = list_all(w.alpha_admin, "contacts");
  const auto* elodie = named(contacts, "Élodie", "Garnier");
  REQUIRE(elodie);
  CHECK(json::serialize(elodie->at("phones")) == R"(["+33472000000;ext=12"])");

  auto r = w.alpha_admin.post("/api/v1/contacts", json::object{{"first_name", "Nina"},
                                                                 {"phones", json::array{"+1 650 555 0123 ext. 12", "04 72 00 00 01 poste 3"}}});
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK(json::serialize(r.json().at("phones")) == R"(["+16505550123;ext=12","+33472000001;ext=3"])");
  // Sent back as stored, it stays as it is.
  const std::string id = std::to_string(r.json().at("id").as_int64());
  auto again = w.alpha_admin.patch("/api/v1/contacts/" + id, json::object{{"phones", r.json().at("phones")}});
  INFO(again.body);
  CHECK(again.status == 200);
  CHECK(json::serialize(again.json().at("phones")) == R"(["+16505550123;ext=12","+33472000001;ext=3"])");
}
