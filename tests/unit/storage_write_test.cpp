// The write path: WriteTxn operations inside Store::write / write_sync, the audit log and the
// outbox written in the same transaction, group commit (one savepoint per job), and the
// look-ups find_unique and count.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <ctime>
#include <future>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::storage::StorageError;
using relance::test::TempDir;

namespace {

std::string utc_now_to_the_second() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

bool is_utc_millis(const std::string& s) {
  static const std::regex form(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  return std::regex_match(s, form);
}

// Blocks the writer thread until open() is called, so that the jobs submitted meanwhile
// queue up and run together in the next batch.
struct WriterGate {
  std::promise<void> opened;
  std::shared_future<void> is_open = opened.get_future().share();

  void hold(st::Store& store) {
    auto f = is_open;
    auto in = std::make_shared<std::promise<void>>();
    auto entered_future = in->get_future();
    store.write([f, in](st::WriteTxn&) { in->set_value(); f.wait(); }, [](std::exception_ptr) {});
    entered_future.wait();  // the writer is now inside the gate job
  }
  void open() { opened.set_value(); }
};

// A store with one organisation, its writer held inside a job until gate.open(): the jobs
// queued meanwhile run in the rounds after it.
struct HeldWriter : OrgStore {
  st::StoreStats before = store->stats();
  WriterGate gate;
  HeldWriter() { gate.hold(*store); }
};

// Returns once every job queued before it has run and had its `done` called (one writer,
// first in first out), so that no callback outlives the test's locals.
void write_barrier(st::Store& store) {
  try {
    store.write_sync([](st::WriteTxn&) {});
  } catch (...) {
  }
}

}  // namespace

TEST_CASE("an inserted row gets an id, version 1 and UTC millisecond timestamps, and reads back "
          "as written",
          "[storage][write]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");

  st::Row row = contact_row(org, "Ada", "Lovelace");
  row.created_by = 7;
  row.set(ent::contacts, "city", str("Lyon"));
  row.set(ent::contacts, "emails", str(R"(["ada@example.com"])"));

  const std::string before = utc_now_to_the_second();
  std::int64_t id = 0;
  store->write_sync([&](st::WriteTxn& tx) { id = tx.insert(ent::contacts, row); });
  const std::string after = utc_now_to_the_second();

  CHECK(id > 0);
  CHECK(row.id == id);
  CHECK(row.version == 1);
  CHECK(is_utc_millis(row.created_at));
  CHECK(row.updated_at == row.created_at);
  CHECK(row.created_at.substr(0, 19) >= before);
  CHECK(row.created_at.substr(0, 19) <= after);

  const auto got = store->get(ent::contacts, st::Scope::org(org), id);
  REQUIRE(got.has_value());
  CHECK(got->id == id);
  CHECK(got->org_id == org);
  CHECK(got->version == 1);
  CHECK(got->created_at == row.created_at);
  CHECK(got->updated_at == row.created_at);
  CHECK(got->created_by == 7);
  CHECK(got->updated_by == 7);
  REQUIRE(got->values.size() == ent::contacts.fields.size());
  CHECK(text(got->get(ent::contacts, "first_name")) == "Ada");
  CHECK(text(got->get(ent::contacts, "last_name")) == "Lovelace");
  CHECK(text(got->get(ent::contacts, "city")) == "Lyon");
  CHECK(text(got->get(ent::contacts, "emails")) == R"(["ada@example.com"])");
  CHECK(st::is_null(got->get(ent::contacts, "country")));
}

TEST_CASE_METHOD(OrgStore,
                 "get_into reads each row into the same Row, leaving nothing of the one before",
                 "[storage][write]") {
  const std::int64_t full = make_contact(*store, org, "Ada", "Lovelace", [](st::Row& r) {
    r.set(ent::contacts, "city", str("Lyon"));
    r.set(ent::contacts, "notes", str("met at the Lyon booth, wants the deck"));
  });
  const std::int64_t bare = make_contact(*store, org, "Bo", "Li");
  const std::int64_t company = make_company(*store, org, "Acme Robotics");

  st::Row row;
  REQUIRE(store->get_into(ent::contacts, st::Scope::org(org), full, row));
  CHECK(row.id == full);
  CHECK(text(row.get(ent::contacts, "notes")) == "met at the Lyon booth, wants the deck");
  REQUIRE(store->get_into(ent::contacts, st::Scope::org(org), bare, row));
  CHECK(row.id == bare);
  CHECK(text(row.get(ent::contacts, "first_name")) == "Bo");
  CHECK(st::is_null(row.get(ent::contacts, "city")));
  CHECK(st::is_null(row.get(ent::contacts, "notes")));
  REQUIRE(store->get_into(ent::companies, st::Scope::org(org), company, row));
  CHECK(row.values.size() == ent::companies.fields.size());
  CHECK(text(row.get(ent::companies, "name")) == "Acme Robotics");
  CHECK_FALSE(store->get_into(ent::contacts, st::Scope::org(org + 1), full, row));
}

TEST_CASE("an organisation owns itself: its org_id is its own id", "[storage][write]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t a = make_org(*store, "Acme");
  const std::int64_t b = make_org(*store, "Beta");
  CHECK(a != b);
  const auto got = store->get(ent::organisations, st::Scope::everything(), b);
  REQUIRE(got.has_value());
  CHECK(got->org_id == b);
}

TEST_CASE("update stores the new values and bumps the version each time, and created_at stays",
          "[storage][write]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  const std::int64_t id = make_contact(*store, org, "Ada", "Lovelace");
  const auto original = store->get(ent::contacts, st::Scope::org(org), id);
  REQUIRE(original.has_value());

  std::this_thread::sleep_for(std::chrono::milliseconds(3));  // a later updated_at
  store->write_sync([&](st::WriteTxn& tx) {
    auto r = tx.get(ent::contacts, st::Scope::org(org), id);
    REQUIRE(r.has_value());
    r->set(ent::contacts, "city", str("Paris"));
    r->updated_by = 9;
    tx.update(ent::contacts, *r);
    CHECK(r->version == 2);
  });
  auto v2 = store->get(ent::contacts, st::Scope::org(org), id);
  REQUIRE(v2.has_value());
  CHECK(v2->version == 2);
  CHECK(text(v2->get(ent::contacts, "city")) == "Paris");
  CHECK(text(v2->get(ent::contacts, "first_name")) == "Ada");
  CHECK(v2->created_at == original->created_at);
  CHECK(is_utc_millis(v2->updated_at));
  CHECK(v2->updated_at > original->updated_at);
  CHECK(v2->updated_by == 9);

  store->write_sync([&](st::WriteTxn& tx) {
    v2->set(ent::contacts, "city", st::Value{});
    tx.update(ent::contacts, *v2);
  });
  const auto v3 = store->get(ent::contacts, st::Scope::org(org), id);
  REQUIRE(v3.has_value());
  CHECK(v3->version == 3);
  CHECK(st::is_null(v3->get(ent::contacts, "city")));
  CHECK(v3->created_at == original->created_at);
}

TEST_CASE("update of a row of another organisation fails and changes nothing", "[storage][write]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t a = make_org(*store, "Acme");
  const std::int64_t b = make_org(*store, "Beta");
  const std::int64_t id = make_contact(*store, a, "Ada", "Lovelace");

  auto row = store->get(ent::contacts, st::Scope::org(a), id);
  REQUIRE(row.has_value());
  row->org_id = b;
  row->set(ent::contacts, "city", str("Hijacked"));
  CHECK_THROWS_AS(store->write_sync([&](st::WriteTxn& tx) { tx.update(ent::contacts, *row); }),
                  StorageError);
  const auto after = store->get(ent::contacts, st::Scope::org(a), id);
  REQUIRE(after.has_value());
  CHECK(after->version == 1);
  CHECK(st::is_null(after->get(ent::contacts, "city")));
}

TEST_CASE("remove deletes the row of its organisation only", "[storage][write]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t a = make_org(*store, "Acme");
  const std::int64_t b = make_org(*store, "Beta");
  const std::int64_t keep = make_contact(*store, a, "Ada", "Lovelace");
  const std::int64_t gone = make_contact(*store, a, "Alan", "Turing");

  // The wrong organisation removes nothing.
  store->write_sync([&](st::WriteTxn& tx) { tx.remove(ent::contacts, b, gone); });
  CHECK(store->get(ent::contacts, st::Scope::org(a), gone).has_value());

  store->write_sync([&](st::WriteTxn& tx) {
    tx.remove(ent::contacts, a, gone);
    CHECK_FALSE(tx.get(ent::contacts, st::Scope::org(a), gone).has_value());
  });
  CHECK_FALSE(store->get(ent::contacts, st::Scope::org(a), gone).has_value());
  CHECK(store->get(ent::contacts, st::Scope::org(a), keep).has_value());
  CHECK(store->count(ent::contacts, st::Scope::org(a)) == 1);
}

TEST_CASE("a job sees its own uncommitted writes through WriteTxn", "[storage][write]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  store->write_sync([&](st::WriteTxn& tx) {
    st::Row company;
    company.org_id = org;
    company.set(ent::companies, "name", str("Initech"));
    const std::int64_t cid = tx.insert(ent::companies, company);
    CHECK_FALSE(tx.referenced(ent::contacts, "company_id", cid));

    st::Row c = contact_row(org, "Peter", "Gibbons");
    c.set(ent::contacts, "company_id", num(cid));
    const std::int64_t id = tx.insert(ent::contacts, c);
    const auto seen = tx.get(ent::contacts, st::Scope::org(org), id);
    REQUIRE(seen.has_value());
    CHECK(text(seen->get(ent::contacts, "last_name")) == "Gibbons");
    CHECK(tx.referenced(ent::contacts, "company_id", cid));
    const auto by_name = tx.find_unique(ent::companies, "name", str("Initech"));
    REQUIRE(by_name.has_value());
    CHECK(by_name->id == cid);
  });
}

TEST_CASE("audit entries and outbox events commit in the same transaction as the row",
          "[storage][write][audit]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  auto store = open_store(path);
  const std::int64_t org = make_org(*store, "Acme");

  std::int64_t id = 0;
  store->write_sync([&](st::WriteTxn& tx) {
    st::Row r = contact_row(org, "Ada", "Lovelace");
    id = tx.insert(ent::contacts, r);
    tx.audit(st::AuditEntry{org, 5, "create", "contacts", id, R"({"last_name":[null,"Lovelace"]})"});
    tx.events().append(st::OutboxEvent{org, "contact.created", "contacts", id, R"({"id":1})", {}});
  });

  // Another connection on the file sees all three once write_sync has returned.
  CHECK(sql_count(path, "SELECT count(*) FROM contacts WHERE id = " + std::to_string(id)) == 1);
  CHECK(sql_count(path, "SELECT count(*) FROM audit_log WHERE entity = 'contacts' AND "
                        "action = 'create' AND user_id = 5 AND entity_id = " +
                            std::to_string(id)) == 1);
  CHECK(sql_count(path, "SELECT count(*) FROM outbox WHERE type = 'contact.created' AND "
                        "entity_id = " + std::to_string(id)) == 1);

  const auto log = store->audit_log(org, 0, 10);
  REQUIRE(log.size() == 1);
  CHECK(log[0].entry.action == "create");
  CHECK(log[0].entry.entity == "contacts");
  CHECK(log[0].entry.entity_id == id);
  CHECK(log[0].entry.user_id == 5);
  CHECK(log[0].entry.changes == R"({"last_name":[null,"Lovelace"]})");
  CHECK(is_utc_millis(log[0].at));
}

TEST_CASE("a job that throws after insert, audit and publish leaves no row, no audit entry and "
          "no event",
          "[storage][write][audit]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  auto store = open_store(path);
  const std::int64_t org = make_org(*store, "Acme");

  std::int64_t id = 0;
  CHECK_THROWS_WITH(store->write_sync([&](st::WriteTxn& tx) {
    st::Row r = contact_row(org, "Ada", "Lovelace");
    r.set(ent::contacts, "tags", str(R"(["vc"])"));
    r.set(ent::contacts, "city", str("Zanzibar"));
    id = tx.insert(ent::contacts, r);
    tx.audit(st::AuditEntry{org, 5, "create", "contacts", id, "{}"});
    tx.events().append(st::OutboxEvent{org, "contact.created", "contacts", id, "{}", {}});
    throw std::runtime_error("validation failed after the fact");
  }),
                    "validation failed after the fact");
  REQUIRE(id > 0);

  CHECK(sql_count(path, "SELECT count(*) FROM contacts") == 0);
  CHECK(sql_count(path, "SELECT count(*) FROM audit_log") == 0);
  CHECK(sql_count(path, "SELECT count(*) FROM outbox") == 0);
  CHECK(sql_count(path, "SELECT count(*) FROM tags") == 0);
  CHECK_FALSE(store->get(ent::contacts, st::Scope::org(org), id).has_value());
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.search = "zanzibar";
  CHECK(store->list(ent::contacts, q).empty());
  CHECK(store->audit_log(org, 0, 10).empty());

  // The store goes on writing afterwards.
  const std::int64_t next = make_contact(*store, org, "Alan", "Turing");
  CHECK(store->get(ent::contacts, st::Scope::org(org), next).has_value());
}

TEST_CASE_METHOD(HeldWriter,
                 "a job that throws rolls back alone, and the other jobs of its batch commit",
                 "[storage][write][group-commit]") {
  constexpr int jobs = 40;
  constexpr int throwing = 17;    // throws after writing
  constexpr int violating = 23;   // breaks a NOT NULL constraint (a lead without a title)
  std::vector<std::exception_ptr> errors(jobs);
  std::vector<std::atomic<int>> calls(jobs);
  std::vector<std::int64_t> ids(jobs, 0);
  Countdown all_done(jobs);
  for (int i = 0; i < jobs; ++i) {
    const auto k = static_cast<std::size_t>(i);
    store->write(
        [&, i, k](st::WriteTxn& tx) {
          if (i == violating) {
            st::Row lead;
            lead.org_id = org;
            lead.set(ent::leads, "stage", str("new"));
            tx.insert(ent::leads, lead);
            return;
          }
          st::Row r = contact_row(org, "Job", "N" + std::to_string(i));
          ids[k] = tx.insert(ent::contacts, r);
          tx.audit(st::AuditEntry{org, 1, "create", "contacts", ids[k], "{}"});
          if (i == throwing) throw std::runtime_error("job 17 fails");
        },
        [&, k](std::exception_ptr e) {
          errors[k] = e;
          calls[k].fetch_add(1);
          all_done.count_down();
        });
  }
  gate.open();
  REQUIRE(all_done.wait());
  const auto after = store->stats();  // final: counted before any done is called
  write_barrier(*store);

  for (int i = 0; i < jobs; ++i) {
    const auto k = static_cast<std::size_t>(i);
    INFO("job " << i);
    CHECK(calls[k].load() == 1);
    if (i == throwing) {
      REQUIRE(errors[k]);
      CHECK_THROWS_WITH(std::rethrow_exception(errors[k]), "job 17 fails");
    } else if (i == violating) {
      const auto err = storage_error_in(errors[k]);
      REQUIRE(err.has_value());
      CHECK(err->kind == StorageError::Kind::constraint);
    } else {
      CHECK_FALSE(errors[k]);
      CHECK(store->get(ent::contacts, st::Scope::org(org), ids[k]).has_value());
    }
  }
  // (Its id may be reused by the next job, since it was rolled back: look it up by name.)
  st::ListQuery by_name;
  by_name.scope = st::Scope::org(org);
  by_name.filters.push_back(
      st::Filter{"last_name", st::Filter::Op::eq, st::Value{"N" + std::to_string(throwing)}});
  CHECK(store->list(ent::contacts, by_name).empty());
  CHECK(store->count(ent::contacts, st::Scope::org(org)) == jobs - 2);
  CHECK(sql_count(path, "SELECT count(*) FROM audit_log") == jobs - 2);
  CHECK(sql_count(path, "SELECT count(*) FROM leads") == 0);

  CHECK(after.write_jobs - before.write_jobs == jobs + 1);
  CHECK(after.write_failures - before.write_failures == 2);
  // The gate job committed alone; every job queued behind it shared the next commit.
  CHECK(after.commits - before.commits == 2);
}

TEST_CASE("jobs written concurrently from several threads each complete exactly once, with "
          "their own error",
          "[storage][write][group-commit]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  auto store = open_store(path);
  const std::int64_t org = make_org(*store, "Acme");

  constexpr int threads = 4;
  constexpr int per_thread = 50;
  constexpr int total = threads * per_thread;
  constexpr int failing = 123;
  std::vector<std::atomic<int>> calls(total);
  std::vector<std::exception_ptr> errors(total);
  std::mutex errors_mu;
  Countdown all_done(total);

  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int j = 0; j < per_thread; ++j) {
        const int n = t * per_thread + j;
        const auto k = static_cast<std::size_t>(n);
        store->write(
            [&, n](st::WriteTxn& tx) {
              st::Row r = contact_row(org, "T" + std::to_string(n / per_thread),
                                      "J" + std::to_string(n));
              tx.insert(ent::contacts, r);
              if (n == failing) throw std::runtime_error("job 123 fails");
            },
            [&, k](std::exception_ptr e) {
              {
                std::lock_guard lock(errors_mu);
                errors[k] = e;
              }
              calls[k].fetch_add(1);
              all_done.count_down();
            });
      }
    });
  }
  for (auto& w : writers) w.join();
  REQUIRE(all_done.wait());
  const auto s = store->stats();
  write_barrier(*store);

  int ok = 0;
  for (int n = 0; n < total; ++n) {
    const auto k = static_cast<std::size_t>(n);
    INFO("job " << n);
    CHECK(calls[k].load() == 1);
    if (n == failing)
      CHECK(errors[k]);
    else if (!errors[k])
      ++ok;
  }
  CHECK(ok == total - 1);
  CHECK(store->count(ent::contacts, st::Scope::org(org)) == total - 1);
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.filters.push_back(st::Filter{"last_name", st::Filter::Op::eq, str("J123")});
  CHECK(store->list(ent::contacts, q).empty());

  CHECK(s.write_jobs == total + 1);
  CHECK(s.write_failures == 1);
  CHECK(s.commits >= 1);
  CHECK(s.commits <= s.write_jobs);
  CHECK(s.write_queue_depth == 0);
}

TEST_CASE("with max_batch 1 every job commits on its own", "[storage][write][group-commit]") {
  TempDir dir;
  st::SqliteOptions o = options_for(dir.file("relance.db"));
  o.max_batch = 1;
  o.synchronous = "NORMAL";
  auto store = st::open_sqlite_store(o);
  const std::int64_t org = make_org(*store, "Acme");
  WriterGate gate;
  gate.hold(*store);
  Countdown done(10);
  for (int i = 0; i < 10; ++i)
    store->write([&, i](st::WriteTxn& tx) {
      st::Row r = contact_row(org, "A", std::to_string(i));
      tx.insert(ent::contacts, r);
    },
                 [&](std::exception_ptr) { done.count_down(); });
  gate.open();
  REQUIRE(done.wait());
  const auto s = store->stats();
  write_barrier(*store);
  CHECK(s.write_jobs == 12);
  CHECK(s.commits == 12);
}

TEST_CASE("a write's done runs after its commit is visible to readers", "[storage][write]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  auto id = std::make_shared<std::int64_t>(0);
  std::promise<bool> seen;
  store->write(
      [&, id](st::WriteTxn& tx) {
        st::Row r = contact_row(org, "Ada", "Lovelace");
        *id = tx.insert(ent::contacts, r);
      },
      [&, id](std::exception_ptr e) {
        seen.set_value(!e && store->get(ent::contacts, st::Scope::org(org), *id).has_value());
      });
  CHECK(seen.get_future().get());
}

TEST_CASE("close runs the writes already queued, and later writes fail", "[storage][write]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  auto store = open_store(path);
  const std::int64_t org = make_org(*store, "Acme");

  WriterGate gate;
  gate.hold(*store);
  std::atomic<int> committed{0};
  for (int i = 0; i < 10; ++i)
    store->write([&, i](st::WriteTxn& tx) {
      st::Row r = contact_row(org, "Q", std::to_string(i));
      tx.insert(ent::contacts, r);
    },
                 [&](std::exception_ptr e) {
                   if (!e) committed.fetch_add(1);
                 });
  std::thread closer([&] { store->close(); });
  gate.open();
  closer.join();
  CHECK(committed.load() == 10);
  CHECK(sql_count(path, "SELECT count(*) FROM contacts") == 10);

  CHECK_FALSE(store->ready());
  const auto err = storage_error_of([&] { make_contact(*store, org, "Too", "Late"); });
  CHECK(err.has_value());
  CHECK(sql_count(path, "SELECT count(*) FROM contacts") == 10);
}

TEST_CASE("find_unique finds the one row with that value, across organisations",
          "[storage][lookup]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t a = make_org(*store, "Acme");
  const std::int64_t b = make_org(*store, "Beta");
  for (auto [org, email] : {std::pair{a, "ada@acme.test"}, std::pair{b, "bob@beta.test"}}) {
    st::Row u;
    u.org_id = org;
    u.set(ent::users, "email", str(email));
    u.set(ent::users, "display_name", str("someone"));
    u.set(ent::users, "role", str("member"));
    u.set(ent::users, "disabled", num(0));
    insert(*store, ent::users, u);
  }
  const auto bob = store->find_unique(ent::users, "email", str("bob@beta.test"));
  REQUIRE(bob.has_value());
  CHECK(bob->org_id == b);
  CHECK(text(bob->get(ent::users, "email")) == "bob@beta.test");
  CHECK_FALSE(store->find_unique(ent::users, "email", str("carol@acme.test")).has_value());
  CHECK_THROWS_AS(store->find_unique(ent::users, "no_such_field", str("x")),
                  std::invalid_argument);

  // The unique constraint holds: a second user with the same email is refused.
  st::Row dup;
  dup.org_id = a;
  dup.set(ent::users, "email", str("bob@beta.test"));
  dup.set(ent::users, "display_name", str("impostor"));
  dup.set(ent::users, "role", str("member"));
  dup.set(ent::users, "disabled", num(0));
  const auto err = storage_error_of([&] { insert(*store, ent::users, dup); });
  REQUIRE(err.has_value());
  CHECK(err->kind == StorageError::Kind::constraint);
}

TEST_CASE("count counts the rows a scope sees", "[storage][lookup]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t a = make_org(*store, "Acme");
  const std::int64_t b = make_org(*store, "Beta");
  for (int i = 0; i < 3; ++i) make_contact(*store, a, "A", std::to_string(i));
  for (int i = 0; i < 5; ++i) make_contact(*store, b, "B", std::to_string(i));
  CHECK(store->count(ent::contacts, st::Scope::org(a)) == 3);
  CHECK(store->count(ent::contacts, st::Scope::org(b)) == 5);
  CHECK(store->count(ent::contacts, st::Scope::everything()) == 8);
  CHECK(store->count(ent::contacts, st::Scope::org(b + 100)) == 0);
  CHECK(store->count(ent::leads, st::Scope::everything()) == 0);
}

TEST_CASE("an idempotent response remembered in one write is found by a later one",
          "[storage][write]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  store->write_sync([](st::WriteTxn& tx) {
    CHECK_FALSE(tx.idempotent(3, "key-1").has_value());
    tx.remember(3, "key-1", st::IdempotentResponse{"hash", 201, R"({"id":1})", "\"1\""});
  });
  store->write_sync([](st::WriteTxn& tx) {
    const auto r = tx.idempotent(3, "key-1");
    REQUIRE(r.has_value());
    CHECK(r->request_hash == "hash");
    CHECK(r->status == 201);
    CHECK(r->body == R"({"id":1})");
    CHECK(r->etag == "\"1\"");
    CHECK_FALSE(tx.idempotent(4, "key-1").has_value());
  });
}

TEST_CASE("audit_log pages backwards within one organisation", "[storage][audit]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  store->write_sync([](st::WriteTxn& tx) {
    for (std::int64_t i = 1; i <= 5; ++i) {
      tx.audit(st::AuditEntry{1, 0, "update", "contacts", i, "{}"});
      tx.audit(st::AuditEntry{2, 0, "update", "contacts", i, "{}"});
    }
  });
  const auto newest = store->audit_log(1, 0, 2);
  REQUIRE(newest.size() == 2);
  CHECK(newest[0].entry.entity_id == 5);
  CHECK(newest[1].entry.entity_id == 4);
  const auto older = store->audit_log(1, newest[1].id, 10);
  REQUIRE(older.size() == 3);
  CHECK(older[0].entry.entity_id == 3);
  CHECK(older[2].entry.entity_id == 1);
  for (const auto& r : older) CHECK(r.entry.org_id == 1);
}

TEST_CASE_METHOD(OrgStore,
                 "insert_many gives 1,500 rows consecutive ids in their order, each stored as given and "
                 "found by full-text search",
                 "[storage][write]") {
  make_contact(*store, org, "Before", "Them");

  // 1,500 = 1024 + 256 + 3 * 64 + 16 + 3 * 4: every statement size of insert_many.
  std::vector<st::Row> rows;
  for (int i = 0; i < 1500; ++i) {
    st::Row r = contact_row(org, "Ada" + std::to_string(i), "Lovelace" + std::to_string(i));
    r.created_by = 3;
    if (i % 7 == 0) r.set(ent::contacts, "city", str("Genève"));
    rows.push_back(std::move(r));
  }
  store->write_sync([&](st::WriteTxn& tx) { tx.insert_many(ent::contacts, rows); });

  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    REQUIRE(rows[i].version == 1);
    if (i > 0) REQUIRE(rows[i].id == rows[i - 1].id + 1);
    const auto got = store->get(ent::contacts, st::Scope::org(org), rows[i].id);
    REQUIRE(got.has_value());
    REQUIRE(text(got->get(ent::contacts, "first_name")) == "Ada" + std::to_string(i));
    REQUIRE(text(got->get(ent::contacts, "last_name")) == "Lovelace" + std::to_string(i));
    REQUIRE(text(got->get(ent::contacts, "city")) == (i % 7 == 0 ? "Genève" : "<null>"));
    REQUIRE(got->created_by == 3);
  }
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.search = "lovelace1499";
  const auto found = store->list(ent::contacts, q);
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == rows.back().id);
  q.search = "geneve";
  q.limit = 1000;
  CHECK(store->list(ent::contacts, q).size() == 215);  // i = 0, 7, ..., 1498
  CHECK(store->count(ent::contacts, st::Scope::org(org)) == 1501);
}

TEST_CASE_METHOD(HeldWriter,
                 "a job written alone commits in a transaction of its own, and when it fails it alone "
                 "is rolled back",
                 "[storage][write][group-commit]") {
  std::vector<std::exception_ptr> errors(5);
  Countdown all_done(5);
  auto done = [&](std::size_t k) {
    return [&, k](std::exception_ptr e) {
      errors[k] = e;
      all_done.count_down();
    };
  };
  auto add = [org = org](const std::string& name) {
    return [org, name](st::WriteTxn& tx) {
      st::Row r = contact_row(org, "Job", name);
      tx.insert(ent::contacts, r);
    };
  };
  store->write(add("grouped-1"), done(0));
  store->write(add("grouped-2"), done(1));
  store->write_alone(
      [org = org](st::WriteTxn& tx) {
        std::vector<st::Row> rows{contact_row(org, "Alone", "A"), contact_row(org, "Alone", "B")};
        tx.insert_many(ent::contacts, rows);
        throw std::runtime_error("the batch fails");
      },
      done(2));
  store->write_alone(add("alone-ok"), done(3));
  store->write(add("grouped-3"), done(4));
  gate.open();
  REQUIRE(all_done.wait());
  const auto after = store->stats();
  write_barrier(*store);

  CHECK_FALSE(errors[0]);
  CHECK_FALSE(errors[1]);
  REQUIRE(errors[2]);
  CHECK_THROWS_WITH(std::rethrow_exception(errors[2]), "the batch fails");
  CHECK_FALSE(errors[3]);
  CHECK_FALSE(errors[4]);
  CHECK(sql_count(path, "SELECT count(*) FROM contacts WHERE first_name = 'Alone'") == 0);
  CHECK(sql_count(path, "SELECT count(*) FROM contacts WHERE first_name = 'Job'") == 4);
  // The gate, the two grouped jobs together, the failed job (rolled back: no commit), the
  // job alone, then the last grouped job.
  CHECK(after.commits - before.commits == 4);
}
