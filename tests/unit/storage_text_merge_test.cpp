// The writer merges the full-text index's segments when it has nothing queued
// (text_index.hpp, merge_text_indexes): after a run of small commits, each of which left
// FTS5 a segment of its own, the segments come down without another write, and search
// still finds every row.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <string>
#include <thread>

#include "storage_test_support.hpp"

using namespace relance::storage_test;

namespace {

// Segments of the contacts' full-text index, read from FTS5's own tables.
int contact_segments(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(DISTINCT segid) FROM contacts_fts_idx").getInt();
}

}  // namespace

TEST_CASE_METHOD(OrgStore,
                 "when the writer is idle it merges the full-text index, and search finds every row after",
                 "[storage][write][fts]") {
  // Writes one after the other, each its own commit: FTS5 writes a segment per commit and,
  // left to itself, merges a level only once it holds 8 of them.
  constexpr int writes = 120;
  for (int i = 0; i < writes; ++i) make_contact(*store, org, "Zoé" + std::to_string(i), "Zorglub");
  // Bounded wait for the writer's idle merging to finish.
  int segments = contact_segments(path);
  for (int i = 0; i < 200 && segments >= 8; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    segments = contact_segments(path);
  }
  INFO(writes << " commits left " << segments << " segment(s)");
  // Left to the commits alone (which merge levels of 8), the 120 writes leave 15 segments
  // here; merged when idle (levels of 4), 3.
  CHECK(segments < 8);

  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.search = "zorglub";
  q.limit = 1000;
  CHECK(store->list(ent::contacts, q).size() == writes);
  q.search = "zoe119";
  CHECK(store->list(ent::contacts, q).size() == 1);
  // Merges are not write commits in the figures the daemon reports.
  CHECK(store->stats().commits == writes + 1);  // the organisation's, and one per contact
}
