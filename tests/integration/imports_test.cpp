// Contact imports through the API and the command line, as a founder runs them on the
// files their address books and CRMs export (tests/fixtures/imports/): counts and field
// values, deduplication inside the file and against the database, dry runs, invalid rows,
// files the daemon refuses, and jobs kept to their organisation.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = fs::path(RELANCE_SOURCE_DIR) / "tests" / "fixtures" / "imports";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string type_of(const std::string& name) {
  return name.ends_with(".vcf") ? "text/vcard" : "text/csv";
}

HttpResponse post_file(HttpClient& c, const std::string& body, const std::string& type,
                       const std::string& query = {}) {
  return c.request("POST", "/api/v1/imports" + query, body, {{"Content-Type", type}});
}

// Waits until the job is done or failed; returns its last state.
json::object wait_job(HttpClient& c, const std::string& location) {
  for (int i = 0; i < 600; ++i) {
    auto r = c.get(location);
    REQUIRE(r.status == 200);
    json::object o = r.json().as_object();
    if (o.at("state") == "done" || o.at("state") == "failed") return o;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("the import did not finish");
  return {};
}

// Posts a fixture and waits for its job; REQUIREs a 202.
json::object import_fixture(HttpClient& c, const std::string& name, const std::string& query = {}) {
  auto r = post_file(c, read_file(fixtures / name), type_of(name), query);
  INFO(r.body);
  REQUIRE(r.status == 202);
  REQUIRE(r.header("location").starts_with("/api/v1/imports/"));
  return wait_job(c, r.header("location"));
}

std::int64_t n(const json::object& o, const char* k) { return o.at(k).to_number<std::int64_t>(); }

std::vector<json::object> report_of(HttpClient& c, const json::object& job) {
  auto r = c.get(std::string(job.at("report").as_string()));
  REQUIRE(r.status == 200);
  std::vector<json::object> out;
  std::istringstream in(r.body);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::parse(line).as_object());
  return out;
}

std::vector<json::object> contacts(HttpClient& c) { return list_all(c, "contacts"); }

const json::object* by_email(const std::vector<json::object>& all, const std::string& email) {
  for (const auto& c : all)
    if (c.at("emails").is_array())
    for (const auto& e : c.at("emails").as_array())
      if (e.as_string() == email) return &c;
  return nullptr;
}

std::int64_t outbox_count(const Daemon& d, const std::string& type) {
  return std::stoll(sqlite(d.database(), "SELECT count(*) FROM outbox WHERE type = '" + type + "'"));
}

}  // namespace

TEST_CASE("each fixture imports as a founder expects and importing it again changes nothing") {
  World w;
  struct Case {
    const char* file;
    std::int64_t rows;     // 0: not checked
    std::int64_t invalid;  // rows the file itself gets wrong
  };
  for (const Case& k : {Case{"linkedin_connections.csv", 3, 0}, Case{"google_contacts.csv", 0, 0},
                        Case{"outlook_contacts.csv", 0, 0}, Case{"hubspot_export.csv", 0, 0},
                        Case{"excel_fr_windows1252.csv", 2, 0}, Case{"utf8_bom.csv", 1, 0},
                        Case{"quoted_newlines.csv", 2, 0}, Case{"apple_contacts.vcf", 0, 0},
                        Case{"contacts_v4.vcf", 3, 1}}) {
    INFO(k.file);
    const std::string query = k.invalid ? "?skip_invalid=true" : "";
    // Files share people (the same founder in two address books): create-or-update merges them.
    const auto first = import_fixture(w.alpha_admin, k.file, query.empty() ? "?mode=create-or-update" : query + "&mode=create-or-update");
    INFO(json::serialize(first));
    CHECK(first.at("state") == "done");
    CHECK(n(first, "invalid") == k.invalid);
    CHECK(n(first, "created") + n(first, "updated") + n(first, "skipped") == n(first, "rows_read") - k.invalid);
    CHECK(n(first, "created") > 0);
    if (k.rows) CHECK(n(first, "rows_read") == k.rows);
    CHECK(n(first, "bytes_read") == n(first, "bytes_total"));
    const auto before = contacts(w.alpha_admin).size();
    const auto again = import_fixture(w.alpha_admin, k.file, query);
    CHECK(again.at("state") == "done");
    CHECK(n(again, "created") == 0);
    CHECK(n(again, "skipped") == n(first, "rows_read") - k.invalid);
    const auto again_updating =
        import_fixture(w.alpha_admin, k.file, query.empty() ? "?mode=create-or-update" : query + "&mode=create-or-update");
    CHECK(n(again_updating, "updated") == 0);
    CHECK(n(again_updating, "created") == 0);
    CHECK(contacts(w.alpha_admin).size() == before);
  }
  const auto all = contacts(w.alpha_admin);
  const auto* francois = by_email(all, "francois.lefevre@exemple.fr");
  REQUIRE(francois);
  CHECK(francois->at("first_name") == "François");
  CHECK(francois->at("last_name") == "Lefèvre");
  CHECK(francois->at("city") == "Besançon");
  CHECK(francois->at("notes") == "Budget 10 000 € validé");
  CHECK(francois->at("phones").as_array().at(0) == "+33144556677");
  REQUIRE(francois->at("company_id").is_int64());
  auto company = w.alpha_admin.get("/api/v1/companies/" + std::to_string(francois->at("company_id").as_int64()));
  REQUIRE(company.status == 200);
  CHECK(company.json().at("name") == "Cœur de Pépite");
  const auto* ines = by_email(all, "ines@garnier.fr");
  REQUIRE(ines);
  CHECK(ines->at("first_name") == "Inès");
  CHECK(ines->at("country") == "FR");
  const auto* olu = by_email(all, "olu@lagosfintech.ng");
  REQUIRE(olu);
  CHECK(olu->at("first_name") == "Olu");
  // Every contact came with its event, as through POST /api/v1/contacts.
  CHECK(outbox_count(w.daemon, "contact.created") == static_cast<std::int64_t>(all.size()));
}

TEST_CASE("duplicates inside the file and against the database are reported with the contact they duplicate") {
  World w;
  const auto first = import_fixture(w.alpha_admin, "duplicates.csv");
  CHECK(first.at("state") == "done");
  CHECK(n(first, "rows_read") == 5);
  CHECK(n(first, "created") == 2);
  CHECK(n(first, "skipped") == 3);
  const auto report = report_of(w.alpha_admin, first);
  REQUIRE(report.size() == 5);
  CHECK(report[0].at("outcome") == "new");
  const std::int64_t julia = n(report[0], "contact_id");
  CHECK(report[1].at("outcome") == "duplicate");
  CHECK(n(report[1], "contact_id") == julia);
  CHECK(std::string(report[1].at("detail").as_string()).starts_with("duplicate of contact " + std::to_string(julia)));
  CHECK(std::string(report[2].at("detail").as_string()).find("same phone +16505550188") != std::string::npos);
  CHECK(report[3].at("outcome") == "new");
  CHECK(n(report[4], "contact_id") == n(report[3], "contact_id"));

  // Against the database: a contact typed in by hand before the import.
  World::create(w.alpha_member, "contacts", {{"first_name", "Paul"}, {"last_name", "Girard"}, {"emails", json::array{"PAUL@girard.fr"}}});
  // Beta's identical contact does not make alpha's a duplicate.
  const auto beta = import_fixture(w.beta_admin, "duplicates.csv");
  CHECK(n(beta, "created") == 2);
  (void)w;
}

TEST_CASE("a contact already in the database is a duplicate and create-or-update only fills what it lacks") {
  World w;
  const auto paul = World::create(w.alpha_member, "contacts",
                                  {{"first_name", "Paul"}, {"last_name", "G."}, {"emails", json::array{"paul@girard.fr"}}});
  const auto id = paul.at("id").as_int64();
  const auto skipped = import_fixture(w.alpha_admin, "duplicates.csv");
  const auto report = report_of(w.alpha_admin, skipped);
  REQUIRE(report.size() == 5);
  CHECK(report[3].at("outcome") == "duplicate");
  CHECK(report[3].at("detail").as_string() == "duplicate of contact " + std::to_string(id) + " (same email paul@girard.fr)");

  World::create(w.alpha_member, "contacts", {{"first_name", "Sam"}, {"emails", json::array{"julia.kim@acme.io"}}});
  const auto before_updates = outbox_count(w.daemon, "contact.updated");
  std::string csv = "First Name,Last Name,Email,Phone,Company,Job Title\n"
                    "Paul,Girard,paul@girard.fr,+33 6 11 22 33 44,Girard SA,CEO\n"
                    "Nobody,New,nobody@new.io,,,\n";
  auto r = post_file(w.alpha_admin, csv, "text/csv", "?mode=update-only");
  REQUIRE(r.status == 202);
  const auto job = wait_job(w.alpha_admin, r.header("location"));
  CHECK(job.at("state") == "done");
  CHECK(n(job, "updated") == 1);
  CHECK(n(job, "created") == 0);
  CHECK(n(job, "skipped") == 1);
  auto got = w.alpha_admin.get("/api/v1/contacts/" + std::to_string(id)).json().as_object();
  CHECK(got.at("last_name") == "G.");  // kept: it had a value
  CHECK(got.at("title") == "CEO");     // filled: it had none
  CHECK(got.at("phones").as_array().at(0) == "+33611223344");
  CHECK(got.at("company_id").is_int64());
  CHECK(outbox_count(w.daemon, "contact.updated") == before_updates + 1);
  // Once more: nothing new, nothing written.
  r = post_file(w.alpha_admin, csv, "text/csv", "?mode=create-or-update");
  const auto again = wait_job(w.alpha_admin, r.header("location"));
  CHECK(n(again, "updated") == 0);
  CHECK(n(again, "created") == 1);  // Nobody New, create-or-update creates
  CHECK(outbox_count(w.daemon, "contact.updated") == before_updates + 1);
}

TEST_CASE("a dry run reports what the import would do and writes nothing") {
  World w;
  const auto job = import_fixture(w.alpha_admin, "duplicates.csv", "?dry_run=true");
  CHECK(job.at("state") == "done");
  CHECK(job.at("dry_run") == true);
  CHECK(n(job, "created") == 2);
  CHECK(n(job, "skipped") == 3);
  const auto report = report_of(w.alpha_admin, job);
  REQUIRE(report.size() == 5);
  CHECK(report[1].at("detail") == "duplicate of line 2 (same email julia.kim@acme.io)");
  CHECK(contacts(w.alpha_admin).empty());
  CHECK(outbox_count(w.daemon, "contact.created") == 0);
}

TEST_CASE("invalid rows import nothing unless skip_invalid is asked for") {
  World w;
  const auto refused = import_fixture(w.alpha_admin, "broken_rows.csv");
  CHECK(refused.at("state") == "failed");
  CHECK(n(refused, "invalid") == 2);
  CHECK(n(refused, "created") == 0);
  CHECK(std::string(refused.at("error").as_string()).find("nothing was imported") != std::string::npos);
  const auto report = report_of(w.alpha_admin, refused);
  REQUIRE(report.size() == 3);  // the two invalid rows, and the row of empty cells, skipped
  CHECK(n(report[0], "line") == 3);
  CHECK(report[0].at("outcome") == "invalid");
  CHECK(report[0].at("detail") == "neither a name nor an email nor a phone");
  CHECK(n(report[2], "line") == 6);
  CHECK(report[2].at("outcome") == "skipped");
  CHECK(contacts(w.alpha_admin).empty());

  const auto skipping = import_fixture(w.alpha_admin, "broken_rows.csv", "?skip_invalid=true");
  CHECK(skipping.at("state") == "done");
  CHECK(n(skipping, "invalid") == 2);
  CHECK(n(skipping, "created") == 3);
  CHECK(contacts(w.alpha_admin).size() == 3);
  auto csv = w.alpha_admin.get(std::string(skipping.at("report").as_string()) + "?format=csv");
  CHECK(csv.status == 200);
  CHECK(csv.body.find("4,invalid,,\"line 4 has 7 cells but the header has 5 columns\"") != std::string::npos);
}

TEST_CASE("bad files get a clear 4xx and the daemon stays healthy") {
  World w(std::map<std::string, std::string>{{"RELANCE_IMPORTS_MAX_BYTES", "4000"}});
  struct Bad {
    const char* file;
    int status;
    const char* words;
  };
  for (const Bad& b : {Bad{"garbage.csv", 0, ""}, Bad{"empty.csv", 400, "empty"},
                       Bad{"unbalanced_quotes.csv", 422, "line 3"}, Bad{"deep.vcf", 0, ""},
                       Bad{"unterminated.vcf", 0, ""}, Bad{"apple_contacts.vcf", 413, "4000"}}) {
    INFO(b.file);
    auto r = post_file(w.alpha_admin, read_file(fixtures / b.file), type_of(b.file));
    INFO(r.body);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    if (b.status) CHECK(r.status == b.status);
    CHECK(r.header("content-type") == "application/problem+json");
    CHECK(r.body.find(b.words) != std::string::npos);
  }
  CHECK(post_file(w.alpha_admin, "a,b\n1,2\n", "application/json").status == 415);
  CHECK(post_file(w.alpha_admin, "First Name\nAnn\n", "text/csv", "?mode=merge").status == 400);
  CHECK(w.daemon.client().get("/readyz").status == 200);
  CHECK(contacts(w.alpha_admin).empty());
}

TEST_CASE("an import job is visible to its organisation's members only") {
  World w;
  auto r = post_file(w.alpha_admin, read_file(fixtures / "duplicates.csv"), "text/csv");
  REQUIRE(r.status == 202);
  const std::string location = r.header("location");
  wait_job(w.alpha_admin, location);
  CHECK(w.alpha_member.get(location).status == 200);
  CHECK(w.beta_admin.get(location).status == 404);
  CHECK(w.beta_admin.get(location + "/report").status == 404);
  CHECK(w.staff.get(location).status == 404);
  CHECK(w.daemon.client().get(location).status == 401);
}

TEST_CASE("the command line imports a file, prints its summary and exits 2 on invalid rows") {
  World w;
  TempDir home;
  std::map<std::string, std::string> env{{"HOME", home.path().string()},
                                         {"XDG_CONFIG_HOME", home.file("config")},
                                         {"RELANCE_URL", "http://127.0.0.1:" + std::to_string(w.daemon.port())},
                                         {"RELANCE_TOKEN", w.alpha_admin.token()}};
  const std::string report = home.file("report.csv");
  auto [code, out] = Daemon::run_cli({"import", (fixtures / "duplicates.csv").string(), "--report", report}, env);
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("created    2") != std::string::npos);
  CHECK(out.find("skipped    3 (duplicates)") != std::string::npos);
  CHECK(read_file(report).find("duplicate of contact") != std::string::npos);

  auto [code2, out2] = Daemon::run_cli({"import", (fixtures / "broken_rows.csv").string()}, env);
  INFO(out2);
  CHECK(code2 == 2);
  CHECK(out2.find("invalid    2") != std::string::npos);
  auto [code3, out3] = Daemon::run_cli({"import", (fixtures / "broken_rows.csv").string(), "--skip-invalid", "--json"}, env);
  INFO(out3);
  CHECK(code3 == 0);
  CHECK(out3.find("\"created\":3") != std::string::npos);
  auto [code4, out4] = Daemon::run_cli({"import", (fixtures / "garbage.csv").string()}, env);
  INFO(out4);
  CHECK(code4 == 2);
  CHECK(out4.find("refused") != std::string::npos);
}

TEST_CASE("a file larger than the API's body limit imports under the import's own limit, and one over it gets 413") {
  // 1 MiB for the rest of the API (default), 3 MB for imports.
  World w(std::map<std::string, std::string>{{"RELANCE_IMPORTS_MAX_BYTES", "3000000"}});
  std::string csv = "First Name,Last Name,Email,Company\r\n";
  for (int i = 0; csv.size() < 2'000'000; ++i)
    csv += "Zoé" + std::to_string(i) + ",Châteauneuf-Müller,zoe" + std::to_string(i) +
           "@example.com,Acme Robotics International Holdings Limited Partnership " + std::to_string(i % 50) + "\r\n";
  auto r = post_file(w.alpha_member, csv, "text/csv");
  INFO(r.body.substr(0, 500));
  REQUIRE(r.status == 202);
  const auto job = wait_job(w.alpha_member, r.header("location"));
  CHECK(job.at("state") == "done");
  CHECK(n(job, "created") > 15000);  // about 2 MB of rows, well over the API's 1 MiB
  // The rest of the API keeps its limit.
  CHECK(w.alpha_member.post("/api/v1/contacts", {{"first_name", std::string(1'100'000, 'x')}}).status == 413);
  // Over the import's limit: refused while it is being sent.
  const std::string big(3'100'000, 'a');
  auto refused = post_file(w.alpha_member, big, "text/csv");
  CHECK(refused.status == 413);
  CHECK(w.daemon.client().get("/readyz").status == 200);
}

TEST_CASE("duplicates on demand groups the organisation's contacts by email, phone and name at a "
          "company, with the reasons, and a merge takes a group away") {
  World w;
  auto make = [&](HttpClient& as, json::object body) {
    return World::create(as, "contacts", body).at("id").to_number<std::int64_t>();
  };
  const std::int64_t acme =
      World::create(w.alpha_admin, "companies", {{"name", "Acme"}}).at("id").to_number<std::int64_t>();
  const std::int64_t a1 = make(w.alpha_admin, {{"first_name", "Julia"}, {"emails", json::array{"julia@acme.io"}}});
  const std::int64_t a2 = make(w.alpha_admin, {{"first_name", "J."}, {"emails", json::array{"other@x.io", "julia@acme.io"}}});
  // The same number written two ways; the third shares an email with the second only.
  const std::int64_t p1 = make(w.alpha_admin, {{"last_name", "Roux"}, {"phones", json::array{"+33 4 72 00 00 01"}}});
  const std::int64_t p2 = make(w.alpha_admin, {{"last_name", "Roux"}, {"phones", json::array{"04 72 00 00 01"}},
                                               {"emails", json::array{"roux@lyon.fr"}}});
  const std::int64_t p3 = make(w.alpha_admin, {{"last_name", "R"}, {"emails", json::array{"ROUX@lyon.fr"}}});
  const std::int64_t n1 = make(w.alpha_admin, {{"first_name", "Zoé"}, {"last_name", "Martin"}, {"company_id", acme}});
  const std::int64_t n2 = make(w.alpha_admin, {{"first_name", "zoe"}, {"last_name", "MARTIN"}, {"company_id", acme}});
  make(w.alpha_admin, {{"first_name", "Zoé"}, {"last_name", "Martin"}});  // no company: not the same
  make(w.alpha_admin, {{"first_name", "Alone"}, {"emails", json::array{"alone@x.io"}}});
  make(w.beta_admin, {{"first_name", "Julia"}, {"emails", json::array{"julia@acme.io"}}});  // another organisation

  auto r = w.alpha_member.get("/api/v1/contact-duplicates");
  INFO(r.body);
  REQUIRE(r.status == 200);
  const json::value doc = r.json();
  CHECK(n(doc.as_object(), "contacts_scanned") == 9);
  CHECK(n(doc.as_object(), "groups_total") == 3);
  const json::array& groups = doc.at("groups").as_array();
  REQUIRE(groups.size() == 3);
  auto ids_of = [](const json::value& g) {
    std::vector<std::int64_t> ids;
    for (const auto& id : g.at("contact_ids").as_array()) ids.push_back(id.to_number<std::int64_t>());
    return ids;
  };
  CHECK(ids_of(groups[0]) == std::vector<std::int64_t>{a1, a2});
  CHECK(groups[0].at("reasons").as_array() == json::array{"same email julia@acme.io"});
  CHECK(ids_of(groups[1]) == std::vector<std::int64_t>{p1, p2, p3});
  CHECK(groups[1].at("reasons").as_array() == json::array{"same phone +33472000001", "same email roux@lyon.fr"});
  CHECK(ids_of(groups[2]) == std::vector<std::int64_t>{n1, n2});
  CHECK(groups[2].at("reasons").as_array() == json::array{"same name at Acme"});
  REQUIRE(groups[0].at("contacts").as_array().size() == 2);
  CHECK(groups[0].at("contacts").as_array()[1].at("first_name") == "J.");

  // Beta sees its one contact and no group; a limit shows the first groups only.
  auto beta = w.beta_admin.get("/api/v1/contact-duplicates");
  REQUIRE(beta.status == 200);
  CHECK(n(beta.json().as_object(), "groups_total") == 0);
  auto first = w.alpha_admin.get("/api/v1/contact-duplicates?limit=1");
  REQUIRE(first.status == 200);
  const json::value first_doc = first.json();
  CHECK(first_doc.at("groups").as_array().size() == 1);
  CHECK(n(first_doc.as_object(), "groups_total") == 3);
  for (const char* bad : {"?limit=0", "?limit=1001", "?limit=x", "?limit=5x", "?sort=id"}) {
    auto b = w.alpha_admin.get(std::string("/api/v1/contact-duplicates") + bad);
    INFO(bad << " " << b.body);
    CHECK(b.status == 400);
    CHECK(b.header("content-type") == "application/problem+json");
  }

  // The command line shows the groups and the merges that join them.
  TempDir home;
  std::map<std::string, std::string> env{{"HOME", home.path().string()},
                                         {"XDG_CONFIG_HOME", home.file("config")},
                                         {"RELANCE_URL", "http://127.0.0.1:" + std::to_string(w.daemon.port())},
                                         {"RELANCE_TOKEN", w.alpha_member.token()}};
  auto [code, out] = Daemon::run_cli({"contact", "duplicates"}, env);
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("group 2: same phone +33472000001, same email roux@lyon.fr") != std::string::npos);
  CHECK(out.find("merge with: relance contact merge " + std::to_string(p1) + " " + std::to_string(p3)) !=
        std::string::npos);
  CHECK(out.find("3 groups of duplicates among 9 contacts") != std::string::npos);
  auto [code_json, out_json] = Daemon::run_cli({"contact", "duplicates", "--limit", "2", "--json"}, env);
  CHECK(code_json == 0);
  CHECK(json::parse(out_json).at("groups").as_array().size() == 2);
  CHECK(Daemon::run_cli({"contact", "duplicates", "--limit", "0"}, env).first == 2);

  // Merging the first group leaves two.
  auto merged = w.alpha_admin.post("/api/v1/contacts/" + std::to_string(a1) + "/merge",
                                   json::object{{"duplicate_id", a2}});
  INFO(merged.body);
  REQUIRE(merged.status == 201);
  auto after = w.alpha_admin.get("/api/v1/contact-duplicates");
  REQUIRE(after.status == 200);
  CHECK(n(after.json().as_object(), "groups_total") == 2);
}

TEST_CASE(
    "an import leaves only its report behind, private, and the job and its report are gone after "
    "imports.report_retention_seconds") {
  World w{{{"RELANCE_IMPORTS_REPORT_RETENTION_SECONDS", "2"}}};
  auto r = post_file(w.alpha_member, "first_name,last_name,email\nAda,Lovelace,ada@example.com\n", "text/csv");
  INFO(r.body);
  REQUIRE(r.status == 202);
  const std::string location = r.header("location");
  const auto job = wait_job(w.alpha_member, location);
  REQUIRE(job.at("state") == "done");
  const fs::path folder = w.daemon.data_dir() / "imports" / std::to_string(job.at("id").as_int64());
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(folder)) left.push_back(e.path().filename().string());
  CHECK(left == std::vector<std::string>{"report.jsonl"});  // no upload, no spool of rows
  CHECK((fs::status(folder / "report.jsonl").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(report_of(w.alpha_member, job).size() == 1);

  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = w.alpha_member.get(location).status == 404;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(gone);
  CHECK(w.alpha_member.get(location + "/report").status == 404);
  CHECK_FALSE(fs::exists(folder));
}
