// Full-text search (ListQuery.search): accent- and case-folded prefix matching of every word,
// scoped to the organisation, safe against FTS syntax, kept in step with the rows.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::test::TempDir;

namespace {

using Ids = std::vector<std::int64_t>;

struct Fixture {
  TempDir dir;
  std::unique_ptr<st::Store> store = open_store(dir.file("relance.db"));
  std::int64_t acme = make_org(*store, "Acme");
  std::int64_t beta = make_org(*store, "Beta");
  std::int64_t region = make_org(*store, "Region");
  std::int64_t geneva = make_contact(*store, acme, "Élodie", "Müller", [](st::Row& r) {
    r.set(ent::contacts, "city", str("Genève"));
    r.set(ent::contacts, "title", str("Directrice R&D"));
    r.set(ent::contacts, "emails", str(R"(["elodie@lac.example"])"));
  });
  std::int64_t lyon = make_contact(*store, acme, "Jean", "Dupont",
                                   [](st::Row& r) { r.set(ent::contacts, "city", str("Lyon")); });
  // The same person, entered by another organisation.
  std::int64_t beta_geneva = make_contact(*store, beta, "Élodie", "Müller",
                                          [](st::Row& r) { r.set(ent::contacts, "city", str("Genève")); });

  Ids search(const st::Scope& scope, const std::string& words,
             const st::Entity& e = ent::contacts) {
    st::ListQuery q;
    q.scope = scope;
    q.search = words;
    q.limit = 100;
    return ids_of(store->list(e, q));
  }
  Ids search_acme(const std::string& words) { return search(st::Scope::org(acme), words); }

  void set_city(std::int64_t id, const char* city) {
    store->write_sync([&](st::WriteTxn& tx) {
      auto r = tx.get(ent::contacts, st::Scope::everything(), id);
      REQUIRE(r.has_value());
      r->set(ent::contacts, "city", str(city));
      tx.update(ent::contacts, *r);
    });
  }
};

}  // namespace

TEST_CASE("search ignores accents and case", "[storage][search]") {
  Fixture f;
  CHECK(f.search_acme("geneve") == Ids{f.geneva});
  CHECK(f.search_acme("GENEVE") == Ids{f.geneva});
  CHECK(f.search_acme("Genève") == Ids{f.geneva});
  CHECK(f.search_acme("elodie muller") == Ids{f.geneva});
  CHECK(f.search_acme("lyon") == Ids{f.lyon});
  CHECK(f.search_acme("marseille").empty());
}

TEST_CASE("search matches words by prefix, and every word must match", "[storage][search]") {
  Fixture f;
  CHECK(f.search_acme("gen") == Ids{f.geneva});
  CHECK(f.search_acme("Gen") == Ids{f.geneva});
  CHECK(f.search_acme("jean dup") == Ids{f.lyon});
  CHECK(f.search_acme("dup jean") == Ids{f.lyon});
  CHECK(f.search_acme("jean geneve").empty());
  CHECK(f.search_acme("directrice") == Ids{f.geneva});  // title is indexed
  CHECK(f.search_acme("elodie@lac") == Ids{f.geneva});   // so are emails
  CHECK(f.search_acme("enev").empty());                  // prefixes, not substrings
}

TEST_CASE("search stays inside the organisation of an org scope", "[storage][search]") {
  Fixture f;
  CHECK(f.search(st::Scope::org(f.acme), "geneve") == Ids{f.geneva});
  CHECK(f.search(st::Scope::org(f.beta), "geneve") == Ids{f.beta_geneva});
  CHECK(f.search(st::Scope::org(f.region), "geneve").empty());
  CHECK(f.search(st::Scope::everything(), "geneve") == Ids{f.geneva, f.beta_geneva});
}

TEST_CASE("search with a staff scope finds another organisation's contact only through a "
          "shared lead",
          "[storage][search][scope]") {
  Fixture f;
  CHECK(f.search(st::Scope::org_and_shared(f.region), "geneve").empty());
  make_lead(*f.store, f.beta, "Swiss deal", f.beta_geneva, true);
  CHECK(f.search(st::Scope::org_and_shared(f.region), "geneve") == Ids{f.beta_geneva});
  CHECK(f.search(st::Scope::org_and_shared(f.acme), "geneve") == Ids{f.geneva, f.beta_geneva});
  // Leads are shared with staff anyway; their own index answers for them.
  CHECK(f.search(st::Scope::org_and_shared(f.region), "swiss", ent::leads).size() == 1);
  CHECK(f.search(st::Scope::org(f.region), "swiss", ent::leads).empty());
}

TEST_CASE("search text with FTS syntax in it is taken literally and never throws",
          "[storage][search]") {
  Fixture f;
  const std::vector<std::string> hostile{
      "\"",      "\"\"",          "*",          "gen*",     "AND",        "OR",
      "NOT",     "NEAR",          "(",          ")",        "(geneve",    "geneve)",
      ":",       "city:geneve",   "body:x",     "org_key:o1", "^geneve",  "-",
      "a AND (", "\" OR 1=1 --",  "NEAR(a b)",  "{city}",   "'",          "\\",
      "+",       "geneve\"",      "\"geneve\"", "%",        "_",          "x\ty\nz"};
  for (const auto& words : hostile) {
    INFO("search: [" << words << "]");
    for (const auto& scope : {st::Scope::org(f.acme), st::Scope::org_and_shared(f.acme),
                              st::Scope::everything()}) {
      CHECK_NOTHROW(f.search(scope, words));
      CHECK_NOTHROW(f.search(scope, words, ent::companies));
    }
  }
  // Quotes around a word do not change what it finds; an operator is just a word.
  CHECK(f.search_acme("\"geneve\"") == Ids{f.geneva});
  CHECK(f.search_acme("AND").empty());
  CHECK(f.search_acme("org_key:o" + std::to_string(f.beta)).empty());
  CHECK(f.search_acme("city:geneve").empty());
}

TEST_CASE("a search of only blanks lists like no search at all", "[storage][search]") {
  Fixture f;
  for (const auto& scope :
       {st::Scope::org(f.acme), st::Scope::org_and_shared(f.acme), st::Scope::everything()}) {
    const Ids all = f.search(scope, "");
    CHECK_FALSE(all.empty());
    CHECK(f.search(scope, "   ") == all);
    CHECK(f.search(scope, " \t\n ") == all);
  }
}

TEST_CASE("a word made only of punctuation does not hide the matches of the other words",
          "[storage][search]") {
  Fixture f;
  const std::int64_t firm = make_company(*f.store, f.acme, "Dupont & Fils");
  CHECK(f.search(st::Scope::org(f.acme), "Dupont & Fils", ent::companies) == Ids{firm});
  CHECK(f.search_acme("geneve (") == Ids{f.geneva});
  CHECK(f.search_acme("- geneve -") == Ids{f.geneva});
  CHECK(f.search_acme("R&D") == Ids{f.geneva});
}

TEST_CASE("updating a row re-indexes it: the old words stop matching, the new ones match",
          "[storage][search]") {
  Fixture f;
  f.set_city(f.geneva, "Lausanne");
  CHECK(f.search_acme("geneve").empty());
  CHECK(f.search_acme("lausanne") == Ids{f.geneva});
  CHECK(f.search_acme("elodie") == Ids{f.geneva});  // the unchanged words still match
  // The other organisation's copy keeps its own entry.
  CHECK(f.search(st::Scope::org(f.beta), "geneve") == Ids{f.beta_geneva});
}

TEST_CASE("deleting a row removes it from the index", "[storage][search]") {
  Fixture f;
  f.store->write_sync([&](st::WriteTxn& tx) { tx.remove(ent::contacts, f.acme, f.geneva); });
  CHECK(f.search_acme("geneve").empty());
  CHECK(f.search_acme("elodie").empty());
  CHECK(f.search(st::Scope::org(f.beta), "geneve") == Ids{f.beta_geneva});
  // A new row with the same words is found again.
  const std::int64_t again = make_contact(*f.store, f.acme, "Élodie", "Müller");
  CHECK(f.search_acme("elodie") == Ids{again});
}

TEST_CASE("search combines with filters and the keyset cursor", "[storage][search][list]") {
  Fixture f;
  Ids lyonnais;
  for (int i = 0; i < 5; ++i)
    lyonnais.push_back(make_contact(*f.store, f.acme, "Paul", "L" + std::to_string(i), [](st::Row& r) {
      r.set(ent::contacts, "city", str("Lyon"));
    }));
  st::ListQuery q;
  q.scope = st::Scope::org(f.acme);
  q.search = "lyon";
  q.filters.push_back(st::Filter{"first_name", st::Filter::Op::eq, str("Paul")});
  q.limit = 3;
  const auto first = f.store->list(ent::contacts, q);
  REQUIRE(first.size() == 3);
  q.after_id = first.back().id;
  const auto second = f.store->list(ent::contacts, q);
  Ids seen = ids_of(first);
  for (const auto& r : second) seen.push_back(r.id);
  CHECK(seen == lyonnais);
}

TEST_CASE("rows created, changed and deleted in one transaction are indexed with their last "
          "words only",
          "[storage][search]") {
  Fixture f;
  std::int64_t kept = 0;
  f.store->write_sync([&](st::WriteTxn& tx) {
    st::Row moved = contact_row(f.acme, "Anaïs", "Morel");
    moved.set(ent::contacts, "city", str("Lyon"));
    kept = tx.insert(ent::contacts, moved);
    moved.set(ent::contacts, "city", str("Annecy"));
    tx.update(ent::contacts, moved);
    st::Row dropped = contact_row(f.acme, "Bastien", "Morel");
    tx.remove(ent::contacts, f.acme, tx.insert(ent::contacts, dropped));
  });
  CHECK(f.search_acme("morel") == Ids{kept});
  CHECK(f.search_acme("annecy") == Ids{kept});
  CHECK(f.search_acme("lyon") == Ids{f.lyon});
  CHECK(f.search_acme("bastien").empty());
  // Indexed now: a later change replaces its entry.
  f.set_city(kept, "Chambéry");
  CHECK(f.search_acme("annecy").empty());
  CHECK(f.search_acme("chambery") == Ids{kept});
}

TEST_CASE("a write that fails leaves no entry in the index", "[storage][search]") {
  Fixture f;
  CHECK_THROWS(f.store->write_sync([&](st::WriteTxn& tx) {
    st::Row r = contact_row(f.acme, "Ghislain", "Vidal");
    tx.insert(ent::contacts, r);
    throw std::runtime_error("refused after the insert");
  }));
  const std::int64_t herve = make_contact(*f.store, f.acme, "Hervé", "Vidal");
  CHECK(f.search_acme("vidal") == Ids{herve});
}

TEST_CASE("a row another program wrote with sqlite3 is indexed when the store opens",
          "[storage][search]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  std::int64_t org = 0;
  {
    auto store = open_store(path);
    org = make_org(*store, "Acme");
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO contacts (org_id, created_at, updated_at, first_name, last_name) VALUES (" +
            std::to_string(org) + ", '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', "
            "'Yannick', 'Noah')");
  }
  auto store = open_store(path);
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.search = "noah";
  CHECK(store->list(ent::contacts, q).size() == 1);
}
