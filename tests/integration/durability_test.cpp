// Durability and write safety, as an operator and a founder rely on them: a 2xx means the
// write is on disk and survives a crash; a full disk fails a write cleanly; a retried
// create is applied once; two people changing the same lead do not overwrite each other.
#include <sys/wait.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <latch>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "daemon.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

HttpClient client_with(const Daemon& d, const std::string& token) {
  HttpClient c(d.port());
  c.set_token(token);
  return c;
}

// The newest audit entry of the caller's organisation (null when there is none).
json::value newest_audit(HttpClient& c) {
  auto r = c.get("/api/v1/audit?limit=1");
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto items = r.json().at("items").as_array();
  return items.empty() ? json::value() : items[0];
}

// About `chars` characters of notes, made of words no other notes share.
std::string big_notes(int n, std::size_t chars) {
  std::string s;
  for (int k = 0; s.size() + 16 < chars; ++k) s += (k ? " n" : "n") + std::to_string(n) + "w" + std::to_string(k);
  return s;
}

}  // namespace

TEST_CASE(
    "kill -9 during a stream of concurrent creates: every create answered 2xx is there after "
    "restart, the database passes integrity_check, and the daemon starts") {
  Daemon d;
  d.start();
  const std::string token = d.admin().token();

  constexpr int writers = 4;
  struct Acked {
    std::vector<std::pair<std::int64_t, std::string>> created;  // id, first_name
    std::vector<std::string> other_answers;
  };
  std::vector<Acked> acked(writers);
  std::atomic<bool> crashed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < writers; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c = client_with(d, token);
      for (int n = 0; n < 1000000 && !crashed.load(); ++n) {
        const std::string name = "writer" + std::to_string(t) + "-" + std::to_string(n);
        HttpResponse r;
        try {
          r = c.post("/api/v1/contacts", json::object{{"first_name", name}, {"last_name", "Crash"}});
        } catch (const std::exception&) {
          break;  // the daemon is gone: this create got no answer, so nothing was promised
        }
        if (r.status == 201)
          acked[static_cast<std::size_t>(t)].created.emplace_back(r.json().at("id").as_int64(), name);
        else
          acked[static_cast<std::size_t>(t)].other_answers.push_back(std::to_string(r.status) + " " + r.body);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  d.kill9();
  crashed = true;
  for (auto& th : threads) th.join();

  std::size_t total = 0;
  for (const auto& a : acked) {
    total += a.created.size();
    for (const auto& o : a.other_answers) {
      INFO("a create before the crash answered " << o);
      CHECK(false);
    }
  }
  INFO(total << " creates answered 201 before the crash");
  REQUIRE(total > 0);

  // The files as the crash left them (database and write-ahead log), checked on a copy so
  // that the daemon below recovers the originals itself.
  TempDir copy;
  const fs::path db = d.database();
  fs::copy_file(db, copy.path() / "relance.db");
  if (fs::exists(db.string() + "-wal")) fs::copy_file(db.string() + "-wal", copy.path() / "relance.db-wal");
  CHECK(sqlite(copy.file("relance.db"), "PRAGMA integrity_check") == "ok");
  CHECK(std::stoul(sqlite(copy.file("relance.db"), "SELECT count(*) FROM contacts")) >= total);

  d.start();
  HttpClient c = client_with(d, token);  // the session token was committed too
  CHECK(c.get("/readyz").status == 200);
  std::map<std::int64_t, std::string> present;
  for (const auto& item : list_all(c, "contacts"))
    present[item.at("id").as_int64()] = std::string(item.at("first_name").as_string());
  std::size_t missing = 0;
  for (const auto& a : acked)
    for (const auto& [id, name] : a.created) {
      auto it = present.find(id);
      if (it == present.end() || it->second != name) {
        ++missing;
        UNSCOPED_INFO("contact " << id << " (" << name << ") answered 201 but is "
                                 << (it == present.end() ? "missing" : "now " + it->second));
      }
    }
  CHECK(missing == 0);
  // Spot-check single reads too.
  const auto with_some = std::find_if(acked.begin(), acked.end(), [](const Acked& a) { return !a.created.empty(); });
  const auto& [first_id, first_name] = with_some->created.front();
  auto one = c.get("/api/v1/contacts/" + std::to_string(first_id));
  REQUIRE(one.status == 200);
  CHECK(one.json().at("first_name").as_string() == first_name);
  // And it takes writes again.
  CHECK(c.post("/api/v1/contacts", json::object{{"first_name", "After"}, {"last_name", "Crash"}}).status == 201);
  CHECK(d.stop() == 0);
}

TEST_CASE(
    "the database full: the request fails with 507, nothing half-written, the daemon keeps "
    "serving reads") {
  Daemon d(std::map<std::string, std::string>{{"RELANCE_STORAGE_MAX_DATABASE_BYTES", "3000000"}});
  d.start();
  HttpClient admin = d.admin();  // logging in writes a session token: do it while there is room

  std::vector<std::int64_t> created;
  HttpResponse failed;
  for (int n = 0; n < 1000; ++n) {
    auto r = admin.post("/api/v1/contacts", json::object{{"first_name", "Big" + std::to_string(n)},
                                                         {"last_name", "Notes"},
                                                         {"notes", big_notes(n, 19000)}});
    if (r.status != 201) {
      failed = r;
      break;
    }
    created.push_back(r.json().at("id").as_int64());
  }
  INFO(created.size() << " contacts fitted; then: " << failed.status << " " << failed.body);
  REQUIRE(failed.status >= 500);
  REQUIRE(!created.empty());
  CHECK(failed.status == 507);
  CHECK(failed.header("content-type").rfind("application/problem+json", 0) == 0);
  CHECK(failed.json().at("status").as_int64() == 507);
  CHECK(!failed.json().at("title").as_string().empty());

  // Nothing of the failed create was kept: not the row, not its audit entry.
  CHECK(list_all(admin, "contacts").size() == created.size());
  json::value audit = newest_audit(admin);
  REQUIRE(audit.is_object());
  CHECK(audit.at("entity").as_string() == "contacts");
  CHECK(audit.at("action").as_string() == "create");
  CHECK(audit.at("entity_id").as_int64() == created.back());

  // Again, now that it is known to be full: same answer, still nothing written.
  auto again = admin.post("/api/v1/contacts", json::object{{"first_name", "Again"},
                                                           {"last_name", "Notes"},
                                                           {"notes", big_notes(-1, 19000)}});
  CHECK(again.status == 507);
  CHECK(list_all(admin, "contacts").size() == created.size());
  CHECK(newest_audit(admin) == audit);

  // Reads still answer.
  auto first = admin.get("/api/v1/contacts/" + std::to_string(created.front()));
  CHECK(first.status == 200);
  const bool notes_intact = first.json().at("notes").as_string() == big_notes(0, 19000);
  CHECK(notes_intact);
  CHECK(admin.get("/api/v1/contacts?limit=5").status == 200);
  CHECK(admin.get("/api/v1/me").status == 200);
  CHECK(d.client().get("/healthz").status == 200);
  CHECK(d.client().get("/readyz").status == 200);
  // And it still stops cleanly.
  CHECK(d.stop() == 0);
}

TEST_CASE(
    "Idempotency-Key: a retried create returns the first result and makes exactly one row, "
    "also when the retries race") {
  Daemon d;
  d.start();
  const std::string token = d.admin().token();
  HttpClient a = client_with(d, token), b = client_with(d, token);
  auto rows_named = [&](const std::string& last_name) {
    std::size_t n = 0;
    for (const auto& item : list_all(a, "contacts"))
      if (item.at("last_name").as_string() == last_name) ++n;
    return n;
  };

  SECTION("one after the other") {
    const json::object body{{"first_name", "Ada"}, {"last_name", "Retry"}};
    auto first = a.post("/api/v1/contacts", body, {{"Idempotency-Key", "create-ada-1"}});
    REQUIRE(first.status == 201);
    auto second = a.post("/api/v1/contacts", body, {{"Idempotency-Key", "create-ada-1"}});
    CHECK(second.status == 201);
    CHECK(second.json().at("id") == first.json().at("id"));
    CHECK(second.json() == first.json());
    CHECK(second.header("etag") == first.header("etag"));
    CHECK(second.header("location") == first.header("location"));
    CHECK(rows_named("Retry") == 1);

    // The same key for another request is refused, and changes nothing.
    auto other = a.post("/api/v1/contacts", json::object{{"first_name", "Eve"}, {"last_name", "Retry"}},
                        {{"Idempotency-Key", "create-ada-1"}});
    CHECK(other.status == 422);
    CHECK(other.header("content-type").rfind("application/problem+json", 0) == 0);
    CHECK(rows_named("Retry") == 1);

    // Without a key, the same body is a new contact.
    CHECK(a.post("/api/v1/contacts", body).status == 201);
    CHECK(rows_named("Retry") == 2);
  }

  SECTION("two retries sent at the same time") {
    constexpr int rounds = 20;
    for (int i = 0; i < rounds; ++i) {
      const json::object body{{"first_name", "Racer" + std::to_string(i)}, {"last_name", "Race"}};
      const std::string key = "race-" + std::to_string(i);
      HttpResponse ra, rb;
      std::latch go(2);
      std::thread ta([&] {
        go.arrive_and_wait();
        ra = a.post("/api/v1/contacts", body, {{"Idempotency-Key", key}});
      });
      std::thread tb([&] {
        go.arrive_and_wait();
        rb = b.post("/api/v1/contacts", body, {{"Idempotency-Key", key}});
      });
      ta.join();
      tb.join();
      INFO("round " << i << ": " << ra.status << " " << ra.body << " / " << rb.status << " " << rb.body);
      REQUIRE(ra.status == 201);
      REQUIRE(rb.status == 201);
      CHECK(ra.json().at("id") == rb.json().at("id"));
    }
    CHECK(rows_named("Race") == rounds);
  }
}

TEST_CASE(
    "ETag/If-Match: of two people changing the same lead from the same read, exactly one wins "
    "and the other gets 412, and If-Match * or no If-Match is accepted") {
  Daemon d;
  d.start();
  const std::string token = d.admin().token();
  HttpClient a = client_with(d, token), b = client_with(d, token);
  auto created = a.post("/api/v1/leads", json::object{{"title", "Seed round with a Palo Alto fund"}});
  REQUIRE(created.status == 201);
  const std::int64_t id = created.json().at("id").as_int64();
  const std::string url = "/api/v1/leads/" + std::to_string(id);

  auto read_a = a.get(url), read_b = b.get(url);
  REQUIRE(read_a.status == 200);
  REQUIRE(read_b.status == 200);
  const std::string etag = read_a.header("etag");
  REQUIRE(!etag.empty());
  REQUIRE(read_b.header("etag") == etag);

  HttpResponse ra, rb;
  std::latch go(2);
  std::thread ta([&] {
    go.arrive_and_wait();
    ra = a.patch(url, json::object{{"title", "Title by A"}}, {{"If-Match", etag}});
  });
  std::thread tb([&] {
    go.arrive_and_wait();
    rb = b.patch(url, json::object{{"title", "Title by B"}}, {{"If-Match", etag}});
  });
  ta.join();
  tb.join();
  INFO("A: " << ra.status << " " << ra.body << "; B: " << rb.status << " " << rb.body);
  std::vector<int> statuses{ra.status, rb.status};
  std::sort(statuses.begin(), statuses.end());
  REQUIRE(statuses == std::vector<int>{200, 412});
  const HttpResponse& winner = ra.status == 200 ? ra : rb;
  const HttpResponse& loser = ra.status == 200 ? rb : ra;
  CHECK(loser.header("content-type").rfind("application/problem+json", 0) == 0);

  // The lead holds the winner's change, under the ETag the winner was given.
  auto now = a.get(url);
  REQUIRE(now.status == 200);
  CHECK(now.json().at("title") == winner.json().at("title"));
  CHECK(now.header("etag") == winner.header("etag"));
  CHECK(now.header("etag") != etag);

  // The old ETag stays stale, for changes and deletes alike.
  CHECK(b.patch(url, json::object{{"title", "Stale"}}, {{"If-Match", etag}}).status == 412);
  CHECK(b.del(url, {{"If-Match", etag}}).status == 412);
  CHECK(a.get(url).json().at("title") == winner.json().at("title"));

  // The current ETag, *, or no If-Match at all are accepted.
  auto with_current = b.patch(url, json::object{{"title", "With current ETag"}}, {{"If-Match", now.header("etag")}});
  CHECK(with_current.status == 200);
  auto with_star = a.patch(url, json::object{{"title", "With star"}}, {{"If-Match", "*"}});
  CHECK(with_star.status == 200);
  auto without = b.patch(url, json::object{{"title", "Without If-Match"}});
  CHECK(without.status == 200);
  auto last = a.get(url);
  CHECK(last.json().at("title").as_string() == "Without If-Match");
  CHECK(last.header("etag") == without.header("etag"));
}
