// Exports through the API, as a founder or region staff take them: the formats come from
// the loaded exporter plugins, a file streams every row the caller may read (tenancy and
// privacy as in the lists), bad requests are refused before the first byte, and a plugin
// failing half-way cuts the response so that no truncated file passes for a complete one.
// The exporter here is the journal fixture (tests/plugins/journal.cpp, format
// "journal-tsv"); the bundled formats are read back by real readers in formats_test.cpp.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "raw_connection.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = RELANCE_FIXTURE_PLUGINS;

struct ExportWorld {
  TempDir plugins;
  World w;
  ExportWorld() : w(setup(plugins)) {}
  static std::map<std::string, std::string> setup(const TempDir& dir) {
    for (const char* f : {"fixture_journal.so", "fixture_thrower.so"}) fs::copy_file(fixtures / f, dir.path() / f);
    return {{"RELANCE_PLUGINS_DIRECTORIES", dir.path().string()}};
  }
};

// The lines of a TSV body, each cut at its tabs.
std::vector<std::vector<std::string>> tsv(const std::string& body) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::size_t at = 0;
    for (;;) {
      const auto tab = line.find('\t', at);
      cells.push_back(line.substr(at, tab == std::string::npos ? std::string::npos : tab - at));
      if (tab == std::string::npos) break;
      at = tab + 1;
    }
    out.push_back(std::move(cells));
  }
  return out;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  FAIL("no column " << name);
  return 0;
}

}  // namespace

TEST_CASE("the export formats are those of the loaded plugins, with their options and the datasets") {
  ExportWorld x;
  auto r = x.w.alpha_member.get("/api/v1/exports");
  INFO(r.body);
  REQUIRE(r.status == 200);
  const auto doc = r.json();
  std::vector<std::string> formats;
  for (const auto& f : doc.at("items").as_array()) formats.emplace_back(f.at("format").as_string());
  CHECK(formats == std::vector<std::string>{"journal-tsv", "broken"});
  const auto& journal = doc.at("items").as_array()[0];
  CHECK(journal.at("mime_type") == "text/tab-separated-values");
  CHECK(journal.at("options").as_array()[0].at("name") == "header");
  CHECK(json::serialize(journal.at("options").as_array()[0].at("choices")) == R"(["yes","no"])");
  CHECK(doc.at("datasets").as_array().size() == 6);
  CHECK(x.w.daemon.client().get("/api/v1/exports").status == 401);
}

TEST_CASE(
    "an export streams every row the caller may read, in id order, chunked, as an attachment, "
    "and the list filters apply") {
  ExportWorld x;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 1100; ++i) {  // more than one page of rows
    json::object body{{"first_name", "Zoé " + std::to_string(i)}, {"last_name", "Châteauneuf-Müller"}};
    if (i % 10 == 0) body["tags"] = json::array{"ces"};
    ids.push_back(World::create(x.w.alpha_member, "contacts", body).at("id").as_int64());
  }
  World::create(x.w.beta_member, "contacts", {{"first_name", "Other"}, {"last_name", "Organisation"}});

  auto r = x.w.alpha_member.get("/api/v1/exports/journal-tsv?dataset=contacts");
  REQUIRE(r.status == 200);
  CHECK(r.header("transfer-encoding") == "chunked");
  CHECK(r.header("content-type") == "text/tab-separated-values; charset=utf-8");
  CHECK(r.header("content-disposition").starts_with("attachment; filename=\"contacts-"));
  const auto lines = tsv(r.body);
  REQUIRE(lines.size() == ids.size() + 1);
  const std::size_t id = column(lines[0], "id"), last = column(lines[0], "last_name");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CHECK(lines[i + 1][id] == std::to_string(ids[i]));
    CHECK(lines[i + 1][last] == "Châteauneuf-Müller");
  }
  // The same filters as the list.
  auto tagged = tsv(x.w.alpha_member.get("/api/v1/exports/journal-tsv?dataset=contacts&tag=ces").body);
  CHECK(tagged.size() == 110 + 1);
  auto searched = tsv(x.w.alpha_member.get("/api/v1/exports/journal-tsv?dataset=contacts&q=Zo%C3%A9%201099").body);
  CHECK(searched.size() == 1 + 1);
}

TEST_CASE("region staff export other organisations' companies without their personal fields") {
  ExportWorld x;
  World::create(x.w.alpha_member, "companies", {{"name", "Acme Robotics"}, {"notes", "met the CEO, very keen"}});
  auto r = x.w.staff.get("/api/v1/exports/journal-tsv?dataset=companies");
  REQUIRE(r.status == 200);
  const auto lines = tsv(r.body);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1][column(lines[0], "name")] == "Acme Robotics");
  CHECK(lines[1][column(lines[0], "notes")].empty());
  CHECK(r.body.find("very keen") == std::string::npos);
  // The organisation's own member sees them.
  CHECK(x.w.alpha_member.get("/api/v1/exports/journal-tsv?dataset=companies").body.find("very keen") != std::string::npos);
}

TEST_CASE("a follow-ups export carries the followed-up contact's time zone") {
  ExportWorld x;
  const auto contact = World::create(x.w.alpha_member, "contacts",
                                     {{"first_name", "Pat"}, {"last_name", "Palo Alto"}, {"time_zone", "America/Los_Angeles"}});
  World::create(x.w.alpha_member, "followups",
                {{"title", "Call back"}, {"due_at", "2026-03-29T07:00:00Z"}, {"time_zone", "Europe/Paris"},
                 {"contact_id", contact.at("id")}});
  const auto lines = tsv(x.w.alpha_member.get("/api/v1/exports/journal-tsv?dataset=followups").body);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1][column(lines[0], "time_zone")] == "Europe/Paris");
  CHECK(lines[1][column(lines[0], "contact_time_zone")] == "America/Los_Angeles");
}

TEST_CASE("bad export requests are refused before the first byte, naming what is available") {
  ExportWorld x;
  auto& c = x.w.alpha_member;
  auto refused = [&](const std::string& target, const std::string& says, int status = 400) {
    auto r = c.get(target);
    INFO(target << " -> " << r.body);
    CHECK(r.status == status);
    CHECK(r.body.find(says) != std::string::npos);
  };
  refused("/api/v1/exports/pdf?dataset=contacts", "available: journal-tsv, broken", 404);
  refused("/api/v1/exports/journal-tsv", "dataset is required");
  refused("/api/v1/exports/journal-tsv?dataset=secrets", "available: contacts, companies");
  refused("/api/v1/exports/journal-tsv?dataset=contacts&header=maybe", "header must be one of yes, no");
  refused("/api/v1/exports/journal-tsv?dataset=contacts&colour=red", "the options of journal-tsv: header");
  refused("/api/v1/exports/journal-tsv?dataset=contacts,leads&tag=x", "filters apply to an export of one dataset");
  refused("/api/v1/exports/journal-tsv?dataset=contacts&sort=-id", "does not apply to an export");
  refused("/api/v1/exports/journal-tsv?dataset=contacts&updated_from=yesterday", "RFC 3339");
  refused("/api/v1/exports/journal-tsv?dataset=contacts&q=Zo%00", "q holds a NUL byte");
  refused("/api/v1/exports/journal-tsv?dataset=contacts&tag=ces%00", "tag holds a NUL byte");
}

TEST_CASE(
    "an export of several datasets that its format cannot all take is refused with 400 before the first "
    "byte") {
  World w{{{"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS}}};
  World::create(w.alpha_member, "contacts", {{"first_name", "Carded"}});
  World::create(w.alpha_member, "leads", {{"title", "Seed round"}});
  auto refused = [&](const std::string& target, const std::string& says) {
    HttpResponse r;
    try {
      r = w.alpha_member.get("/api/v1/exports/" + target);
    } catch (const std::exception& e) {
      FAIL_CHECK(target << ": the response was cut: " << e.what());  // a 200 begun, then cut
      return;
    }
    INFO(target << " -> " << r.status << " " << r.body);
    CHECK(r.status == 400);
    CHECK(r.header("content-type") == "application/problem+json");
    CHECK(r.body.find(says) != std::string::npos);
  };
  refused("vcard?dataset=contacts,leads", "vcard exports the contacts dataset only, not \\\"leads\\\"");
  refused("vcard?dataset=leads,contacts", "vcard exports the contacts dataset only, not \\\"leads\\\"");
  refused("ics?dataset=followups,contacts", "ics exports the followups dataset only, not \\\"contacts\\\"");
  // A format that takes every dataset gives them all in one file.
  auto both = w.alpha_member.get("/api/v1/exports/jsonl?dataset=contacts,leads");
  CHECK(both.status == 200);
  CHECK(both.body.find("Carded") != std::string::npos);
  CHECK(both.body.find("Seed round") != std::string::npos);
  CHECK(w.alpha_member.get("/api/v1/exports/vcard?dataset=contacts").body.find("Carded") != std::string::npos);
}

TEST_CASE(
    "clients that do not read their large exports hold no export thread, so another client's export "
    "completes, and a slow reader gets every row once") {
  constexpr int threads = 2;
  World w{{{"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS},
           {"RELANCE_PLUGINS_EXPORT_THREADS", std::to_string(threads)},
           {"RELANCE_SERVER_REQUEST_TIMEOUT_SECONDS", "600"},  // the stalled clients stay connected
           {"RELANCE_STORAGE_SYNCHRONOUS", "NORMAL"}}};
  // About 16 MB of CSV: much more than what waits in the daemon (a window of 1 MiB) and in
  // the sockets' buffers, so that a client that does not read stops its export.
  constexpr int contacts = 800;
  const std::string notes(20000, 'n');
  auto last_name = [](int i) {
    char name[16];
    std::snprintf(name, sizeof name, "N%05d", i);
    return std::string(name);
  };
  for (int i = 0; i < contacts; ++i)
    World::create(w.alpha_member, "contacts", {{"first_name", "Person"}, {"last_name", last_name(i)}, {"notes", notes}});

  const std::string path = "/api/v1/exports/csv?dataset=contacts";
  std::vector<std::unique_ptr<RawConnection>> stalled;
  for (int i = 0; i < 2 * threads; ++i) {
    stalled.push_back(std::make_unique<RawConnection>(w.daemon.port(), 4096));
    stalled.back()->send("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + w.alpha_member.token() +
                         "\r\n\r\n");
    // Each has begun (its status line came), and then is read no more. (While a stalled
    // export held its thread, the one after the first `threads` did not even begin.)
    REQUIRE(stalled.back()->read_until("HTTP/1.1 200", std::chrono::seconds(60)));
  }

  // Another client's export completes (without the fix it waited for the stalled clients'
  // request timeout).
  auto done = std::async(std::launch::async, [&] { return w.alpha_admin.get(path); });
  REQUIRE(done.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  const HttpResponse r = done.get();
  CHECK(r.status == 200);
  CHECK(r.body.find(last_name(contacts - 1)) != std::string::npos);

  // A client that reads slowly makes its export pause and resume many times: every row
  // comes, once.
  TempDir out;
  auto [code, text] = shell("curl -sS --limit-rate 4M -o " + quoted(out.file("slow.csv")) + " -H " +
                            quoted("Authorization: Bearer " + w.alpha_member.token()) + " " +
                            quoted("http://127.0.0.1:" + std::to_string(w.daemon.port()) + path));
  INFO(text);
  REQUIRE(code == 0);
  std::ifstream in(out.file("slow.csv"), std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), {});
  for (int i = 0; i < contacts; ++i) {
    const std::string name = last_name(i);
    const auto first = file.find(name);
    INFO(name);
    CHECK(first != std::string::npos);
    CHECK(file.find(name, first + 1) == std::string::npos);
  }
}

TEST_CASE(
    "a plugin failing half-way cuts the response: the client sees an incomplete transfer, and "
    "the daemon serves on") {
  ExportWorld x;
  World::create(x.w.alpha_member, "contacts", {{"first_name", "One"}});
  World::create(x.w.alpha_member, "contacts", {{"first_name", "Two"}});
  TempDir out;
  const std::string url = "http://127.0.0.1:" + std::to_string(x.w.daemon.port()) + "/api/v1/exports/broken?dataset=contacts";
  auto [code, text] = shell("curl -sS -o " + quoted(out.file("broken.txt")) + " -H " +
                            quoted("Authorization: Bearer " + x.w.alpha_member.token()) + " " + quoted(url));
  INFO(text);
  CHECK(code != 0);  // curl: "transfer closed with outstanding read data remaining" (18)
  CHECK(x.w.daemon.log().find("thrower fails on purpose in the middle of an export") != std::string::npos);
  CHECK(x.w.daemon.client().get("/readyz").status == 200);
  CHECK(x.w.alpha_member.get("/api/v1/exports/journal-tsv?dataset=contacts").status == 200);
}

TEST_CASE(
    "relance export writes the file the API gives, and on a failed export exits non-zero and "
    "leaves no file behind") {
  ExportWorld x;
  World::create(x.w.alpha_member, "contacts", {{"first_name", "Zoé"}, {"last_name", "Châteauneuf-Müller"}});
  World::create(x.w.alpha_member, "contacts", {{"first_name", "Two"}});
  const std::map<std::string, std::string> env{
      {"RELANCE_URL", "http://127.0.0.1:" + std::to_string(x.w.daemon.port())},
      {"RELANCE_TOKEN", x.w.alpha_member.token()}};
  TempDir out;
  const std::string file = out.file("contacts.tsv");
  auto [code, text] = Daemon::run_cli({"export", "--format", "journal-tsv", "--dataset", "contacts", "-o", file}, env);
  INFO(text);
  CHECK(code == 0);
  std::ifstream in(file, std::ios::binary);
  const std::string written((std::istreambuf_iterator<char>(in)), {});
  CHECK(written == x.w.alpha_member.get("/api/v1/exports/journal-tsv?dataset=contacts").body);
  CHECK(written.find("Châteauneuf-Müller") != std::string::npos);

  // Half-way failure: non-zero, and neither the file nor its partial copy remains.
  const std::string broken = out.file("broken.txt");
  auto [failed, why] = Daemon::run_cli({"export", "--format", "broken", "--dataset", "contacts", "-o", broken}, env);
  INFO(why);
  CHECK(failed == 1);
  CHECK(why.find("broke off") != std::string::npos);
  CHECK(!fs::exists(broken));
  CHECK(!fs::exists(broken + ".part"));

  // Refused before the first byte: a usage error naming what exists.
  auto [bad, bad_text] = Daemon::run_cli({"export", "--format", "pdf", "--dataset", "contacts", "-o", broken}, env);
  CHECK(bad == 2);
  CHECK(bad_text.find("available: journal-tsv, broken") != std::string::npos);
  CHECK(!fs::exists(broken));
  auto [filtered, filtered_text] = Daemon::run_cli(
      {"export", "--format", "journal-tsv", "--dataset", "contacts", "--filter", "q=Zoé"}, env);
  CHECK(filtered == 0);
  CHECK(filtered_text.find("Zoé") != std::string::npos);
  CHECK(filtered_text.find("Two") == std::string::npos);
}
