// A damaged database file: refused before serving after a crash, found beside serving after
// a clean stop, and never written to once found.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

// A daemon whose database holds enough pages that one in the middle is contacts' data.
// Returns the admin's session token, which outlives a restart.
std::string fill(Daemon& d) {
  d.start();
  HttpClient admin = d.admin();
  const std::string notes(3000, 'n');
  for (int i = 0; i < 300; ++i)
    REQUIRE(admin.post("/api/v1/contacts", json::object{{"first_name", "Row " + std::to_string(i)},
                                                        {"notes", notes}})
                .status == 201);
  return admin.token();
}

// Overwrites 4 KiB in the middle of the file with garbage.
void damage(const std::string& db) {
  const auto size = std::filesystem::file_size(db);
  REQUIRE(size > 200000);
  std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
  const std::string garbage(4096, '\x5a');
  f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
}

}  // namespace

TEST_CASE("after a crash, a damaged database is refused before serving, with a clear message") {
  Daemon d;
  fill(d);
  d.kill9();
  sqlite(d.database(), "PRAGMA wal_checkpoint(TRUNCATE)");
  damage(d.database());
  auto [code, out] = shell("timeout 20 " + quoted(RELANCE_BINARY) + " serve --data-dir " +
                           quoted(d.data_dir().string()) + " --listen 127.0.0.1:0");
  INFO(out);
  CHECK(code != 0);
  CHECK(code != 124);  // it exited by itself rather than serving
  CHECK(out.find("quick_check") != std::string::npos);
  CHECK(out.find("backup") != std::string::npos);
}

TEST_CASE("after a clean stop, damage found beside serving stops writes and readiness") {
  Daemon d;
  const std::string token = fill(d);
  REQUIRE(d.stop() == 0);
  REQUIRE(std::filesystem::exists(d.database() + ".clean-stop"));
  damage(d.database());
  d.start();
  HttpClient admin = d.client();
  admin.set_token(token);
  int ready = 200;
  for (int i = 0; i < 200 && ready == 200; ++i) {
    ready = admin.get("/readyz").status;
    if (ready == 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(ready == 503);
  auto write = admin.post("/api/v1/contacts", json::object{{"first_name", "Late"}});
  CHECK(write.status == 503);
  CHECK(write.header("content-type") == "application/problem+json");
  CHECK(admin.get("/healthz").status == 200);
  CHECK(d.log().find("failed its check") != std::string::npos);
}

TEST_CASE("a clean stop leaves a marker that the next start consumes") {
  Daemon d;
  d.start();
  REQUIRE(d.stop() == 0);
  CHECK(std::filesystem::exists(d.database() + ".clean-stop"));
  d.start();
  CHECK_FALSE(std::filesystem::exists(d.database() + ".clean-stop"));
  d.kill9();
  d.start();  // after a crash: checked before serving, and serving
  CHECK(d.admin().get("/readyz").status == 200);
}
