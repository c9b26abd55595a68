// Fuzz target: the query string of a list (?q=, ?cursor=, ?sort=, ?limit=, filters and
// ranges), read as the server reads a request target (Boost.URL, percent-decoding) and
// run as every list of the API runs it (api::parse_list_request with the cursor's decoding,
// then services::list_page: the full-text query, the SQL, and the next page's cursor) for
// each entity, on a small database. Also the id-paged lists' ?cursor= and ?limit=
// (api::read_id_paging). A query is answered with a page, or refused with a Problem (400):
// anything else is a 500.
#include <boost/url/parse.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "api/list_query.hpp"
#include "domain/problem.hpp"
#include "fuzz_check.hpp"
#include "relance/storage/sqlite_store.hpp"

namespace {
using namespace relance;
namespace ent = storage::entities;

// One organisation with two contacts (a page of one has a next cursor), for the whole run.
storage::Store& store() {
  static const std::unique_ptr<storage::Store> s = [] {
    storage::SqliteOptions o;
    o.path = fuzz::scratch().file("relance.db");
    o.synchronous = "NORMAL";
    o.readers = 1;
    auto opened = storage::open_sqlite_store(o);
    opened->write_sync([](storage::WriteTxn& tx) {
      storage::Row org;
      org.set(ent::organisations, "name", std::string("Acme"));
      org.set(ent::organisations, "kind", std::string("startup"));
      const std::int64_t org_id = tx.insert(ent::organisations, org);
      for (const char* name : {"Ada", "Zoé"}) {
        storage::Row c;
        c.org_id = org_id;
        c.set(ent::contacts, "first_name", std::string(name));
        c.set(ent::contacts, "last_name", std::string("Lovelace"));
        c.set(ent::contacts, "tags", std::string("[\"lyon\"]"));
        tx.insert(ent::contacts, c);
      }
    });
    return opened;
  }();
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string target = "/api/v1/list?" + std::string(reinterpret_cast<const char*>(data), size);
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return 0;  // the server answers 400 before any route
  api::QueryParams query;
  for (auto p : url->params()) query.emplace_back(p.key, p.has_value ? p.value : "");

  // Each scope a reader can have, in turn over the inputs.
  static const storage::Scope scopes[] = {storage::Scope::org(1), storage::Scope::org_and_shared(1),
                                          storage::Scope::everything()};
  const storage::Scope& scope = scopes[size % 3];
  for (const storage::Entity* e : storage::all_entities()) {
    try {
      const services::ListRequest request = api::parse_list_request(*e, query);
      const services::Page page =
          services::list_page(store(), *e, scope, request, [](const storage::Row&) { return false; });
      fuzz::expect_utf8("page", page.items);
      if (page.next) fuzz::expect_utf8("next cursor", api::next_cursor(request, *page.next));
    } catch (const Problem&) {
      // A 400. Its detail may quote the parameter's bytes as they came (not always UTF-8).
    }
  }
  try {
    services::IdPaging paging;
    for (const auto& [key, value] : query) api::read_id_paging(paging, key, value);
  } catch (const Problem&) {
  }
  return 0;
}
