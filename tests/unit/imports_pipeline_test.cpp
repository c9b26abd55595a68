// The import pipeline without a daemon or HTTP: the reader's rows are the rows stored, an
// update completes a stored row, and the service accepts a file from its beginning and
// reports in the job what its worker finds wrong further in (imports/import_service.hpp).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "domain/record_json.hpp"
#include "imports/dedup.hpp"
#include "imports/import.hpp"
#include "imports/import_service.hpp"
#include "services/org_directory.hpp"
#include "storage_test_support.hpp"

using namespace relance;
using namespace relance::storage_test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path source_root = fs::path(RELANCE_SOURCE_DIR);

imports::ImportOptions reading_options() {
  imports::ImportOptions o;
  o.presets_dir = (source_root / "core" / "imports" / "presets").string();
  return o;
}

std::string write_file(const relance::test::TempDir& dir, const std::string& name, const std::string& bytes) {
  const std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// A store with one organisation, and an import service over it in the store's folder.
struct Imports {
  OrgStore db;
  services::OrgDirectory orgs{*db.store};
  imports::ImportService service{*db.store, orgs,
                                 imports::ImportServiceOptions{db.dir.file("imports"), 100 << 20, 5000,
                                                               (source_root / "core" / "imports" / "presets").string(),
                                                               std::chrono::seconds(3600)}};
  auth::Principal writer() const {
    auth::Principal p;
    p.user_id = 1;
    p.org_id = db.org;
    p.can_write = true;
    return p;
  }
  imports::ImportStart start(const std::string& file, imports::ImportMode mode = imports::ImportMode::create_only) {
    imports::ImportRequest r;
    r.principal = writer();
    r.format = "csv";
    r.mode = mode;
    r.file = file;
    return service.start(r);
  }
  // The job once it ended (done or failed).
  json::object ended(std::int64_t id) {
    for (int i = 0; i < 1000; ++i) {
      json::object o = service.status(writer(), id);
      if (o.at("state") == "done" || o.at("state") == "failed") return o;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("the import did not end");
    return {};
  }
  std::int64_t count(const std::string& sql) { return sql_count(db.path, sql); }
};

std::int64_t n(const json::object& o, const char* k) { return o.at(k).to_number<std::int64_t>(); }

}  // namespace

TEST_CASE("a row read from a file is the row POST /api/v1/contacts would store from the same values, built once") {
  relance::test::TempDir dir;
  const auto path = write_file(dir, "people.csv",
                               "First Name,Last Name,Email,Phone,Company,Country,Notes\n"
                               " Zoé ,Martin,ZOE@Example.COM,06 12 34 56 78,Acme ,France,  hello  \n");
  auto source = imports::open_file(path, reading_options());
  auto row = source->next();
  REQUIRE(row);
  CHECK(row->error.empty());
  CHECK(row->company == "Acme");

  storage::Row api;
  const json::object body{{"first_name", "Zoé"},
                          {"last_name", "Martin"},
                          {"emails", json::array{"zoe@example.com"}},
                          {"phones", json::array{"+33612345678"}},
                          {"country", "FR"},
                          {"notes", "hello"}};
  domain::apply_body(storage::entities::contacts, body, api, true, {});
  CHECK(row->contact.values == api.values);
  CHECK_FALSE(source->next());
}

TEST_CASE("an import writes the rows as read, each contact with one audit entry and one event, and an update "
          "completes the stored contact") {
  Imports im;
  const auto first = im.start("First Name,Last Name,Email,Company\nAda,Lovelace,ada@example.com,Engines\n"
                              "Alan,Turing,alan@example.com,\n");
  REQUIRE(first.accepted());
  const json::object done = im.ended(first.job_id);
  INFO(json::serialize(done));
  CHECK(done.at("state") == "done");
  CHECK(n(done, "created") == 2);
  CHECK(im.count("SELECT count(*) FROM contacts") == 2);
  CHECK(im.count("SELECT count(*) FROM companies WHERE name = 'Engines'") == 1);
  CHECK(im.count("SELECT count(*) FROM audit_log WHERE entity = 'contacts' AND action = 'create'") == 2);
  CHECK(im.count("SELECT count(*) FROM outbox WHERE type = 'contact.created'") == 2);

  const auto update = im.start("First Name,Last Name,Email,Job Title\nAda,Byron,ada@example.com,Countess\n",
                               imports::ImportMode::create_or_update);
  REQUIRE(update.accepted());
  const json::object updated = im.ended(update.job_id);
  INFO(json::serialize(updated));
  CHECK(n(updated, "updated") == 1);
  CHECK(im.count("SELECT count(*) FROM contacts WHERE last_name = 'Lovelace' AND title = 'Countess'") == 1);
  CHECK(im.count("SELECT count(*) FROM outbox WHERE type = 'contact.updated' AND payload LIKE "
                 "'%\"changed\":{\"title\":true}%'") == 1);
  CHECK(im.count("SELECT count(*) FROM audit_log WHERE action = 'update'") == 1);
}

TEST_CASE("a file whose beginning is not readable is refused at start, and no job is made") {
  Imports im;
  const auto garbage = im.start(std::string("\x00\x01\x02 binary", 10));
  CHECK(garbage.refusal == imports::ImportStart::Refusal::unreadable);
  CHECK(garbage.detail.find("binary data") != std::string::npos);
  const auto unknown = im.start("Foo,Bar\n1,2\n");
  CHECK(unknown.refusal == imports::ImportStart::Refusal::unreadable);
  CHECK(im.start("").refusal == imports::ImportStart::Refusal::no_file);
  auth::Principal reader = im.writer();
  reader.can_write = false;
  imports::ImportRequest r;
  r.principal = reader;
  r.file = "First Name\nAda\n";
  CHECK(im.service.start(r).refusal == imports::ImportStart::Refusal::read_only);
  CHECK_FALSE(fs::exists(im.db.dir.path() / "imports" / "1"));
}

TEST_CASE("a file broken past the beginning start() checks is accepted, and its job fails with the reason "
          "before anything is written") {
  Imports im;
  std::string csv = "First Name,Last Name,Email\n";
  int line = 1;
  while (csv.size() < (3u << 20) / 2) {  // 1.5 MiB of good rows
    ++line;
    csv += "Ada" + std::to_string(line) + ",Lovelace,ada" + std::to_string(line) + "@example.com\n";
  }
  csv += "Alan,\"Turing,alan@example.com\n";  // a quote never closed
  const auto started = im.start(csv);
  REQUIRE(started.accepted());
  const json::object job = im.ended(started.job_id);
  INFO(json::serialize(job));
  CHECK(job.at("state") == "failed");
  CHECK(job.at("error").as_string() == "unbalanced quotes: the quoted field that opens at line " +
                                           std::to_string(line + 1) + " is never closed");
  CHECK(n(job, "created") == 0);
  CHECK(im.count("SELECT count(*) FROM contacts") == 0);
  CHECK(im.count("SELECT count(*) FROM outbox") == 0);
}
