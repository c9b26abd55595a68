// RecordService: the use cases on the organisation's records (contacts, companies, leads,
// activities, follow-ups, outcomes, events): read with tenancy and privacy applied, and
// write with validation, the audit entry and the outbox event in the same transaction.
//
// Tenancy: a caller reads and writes its own organisation's rows; region staff also read
// other organisations' rows that the entity's Sharing rule shows them, with personal
// fields hidden unless the lead is shared. Another organisation's row answers 404, exactly
// like a missing one.
//
// Thread safety: all members may be called concurrently. Writes complete asynchronously.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"
#include "services/write_result.hpp"

namespace relance::services {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// A page of a list: its items as JSON text, written once and sent as they are.
struct Page {
  std::string items = "[";  // a JSON array: add() items, then close()
  std::string next_cursor;  // empty on the last page

  std::string& add() {
    if (items.size() > 1) items += ',';
    return items;
  }
  void close() { items += ']'; }
};

struct ReadResult {
  std::string body;  // JSON text
  std::string etag;
};

// A list request read from the query string: filters, search, sort, cursor and limit.
// `query.sort` points into `sort`, set by the caller once the request stays put.
struct ListRequest {
  storage::ListQuery query;
  std::string sort = "id";
};
// Throws Problem 400 naming the bad parameter.
ListRequest parse_list_request(const storage::Entity& e, const storage::Scope& scope,
                               const QueryParams& query);

// One page of a list: filters, search, sort and cursor read from `query` for entity `e`,
// rows limited to `scope`, personal fields hidden where `redact` says so. Every list of the
// API goes through here.
Page list_page(storage::Store& store, const storage::Entity& e, const storage::Scope& scope,
               const QueryParams& query, const std::function<bool(const storage::Row&)>& redact);

class RecordService {
 public:
  static constexpr std::size_t default_page_size = 50;
  static constexpr std::size_t max_page_size = 200;

  RecordService(storage::Store& store, OrgDirectory& orgs) : store_(store), orgs_(orgs) {}

  ReadResult get(const auth::Principal& p, const storage::Entity& e, std::int64_t id);
  // Filters, search (?q=), ?sort=[-]field, ?limit=, ?cursor= from the query string.
  Page list(const auth::Principal& p, const storage::Entity& e, const QueryParams& query);

  // idempotency_key may be empty. request_digest identifies the request for the key.
  void create(const auth::Principal& p, const storage::Entity& e, boost::json::object body,
              std::string idempotency_key, std::string request_digest, WriteCallback done);
  void update(const auth::Principal& p, const storage::Entity& e, std::int64_t id,
              boost::json::object body, std::optional<std::int64_t> expected_version,
              WriteCallback done);
  void remove(const auth::Principal& p, const storage::Entity& e, std::int64_t id,
              std::optional<std::int64_t> expected_version, WriteCallback done);

  // The query parameters list() understands for the entity (for the OpenAPI document).
  static std::vector<std::string> list_parameters(const storage::Entity& e);

  // The rows of `e` the caller may read, and whether a row's personal fields are hidden
  // from them: every read of records (API, exports) applies these two.
  storage::Scope read_scope(const auth::Principal& p, const storage::Entity& e) const;
  bool redacts(const auth::Principal& p, const storage::Entity& e, const storage::Row& row) const;

 private:

  storage::Store& store_;
  OrgDirectory& orgs_;
};

// The value of a ?limit= parameter named `key`: an integer from 1 to `max`, else Problem 400
// saying so.
std::size_t parse_limit(const std::string& key, const std::string& value,
                        std::size_t max = RecordService::max_page_size);

// ?limit= and ?cursor= of a list paged by id, newest first (the audit log, contact merges):
// a cursor is the id of the last item of the page before.
struct IdPaging {
  std::int64_t before_id = 0;  // 0: from the newest
  std::size_t limit = RecordService::default_page_size;

  // Reads `key` when it is limit or cursor (Problem 400 for a bad value); false for any
  // other parameter.
  bool read(const std::string& key, const std::string& value);
};

}  // namespace relance::services
