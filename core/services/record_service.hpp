// RecordService: the use cases on the organisation's records (contacts, companies, leads,
// activities, follow-ups, outcomes, events): read with tenancy and privacy applied, and
// write with validation, the audit entry and the outbox event in the same transaction.
//
// Tenancy: a caller reads and writes its own organisation's rows; region staff also read
// other organisations' rows that the entity's Sharing rule shows them, with personal
// fields hidden unless the lead is shared. Another organisation's row answers 404, exactly
// like a missing one.
//
// Requests are typed (ListRequest, CreateRecord, UpdateRecord, DeleteRecord) and writes end
// in a WriteOutcome: no query string, status code or ETag here (the API reads and makes
// those, in api/list_query.cpp and api/outcome_response.cpp).
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
#include "domain/list_vocabulary.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"
#include "services/write_outcome.hpp"

namespace relance::services {

// The days of a cadence rule: the scheduler acts on 1 to 365 (followups/cadence.cpp), so a
// rule with any other is refused (422) rather than kept and never applied.
inline constexpr std::int64_t cadence_days_min = 1;
inline constexpr std::int64_t cadence_days_max = 365;

// Where a page of a list ends: the last row's sort value and id. The next page starts after it.
struct ListPosition {
  storage::Value sort_value;  // null for lists paged by id alone
  std::int64_t id = 0;
};

// A list request: the conditions and search its filters set (domain/list_vocabulary.hpp),
// its order, where it starts and how many rows a page holds.
struct ListRequest {
  std::vector<domain::ListCondition> conditions;
  std::string search;            // full-text words; empty: none
  std::string_view sort = "id";  // a name domain::list_sort gave
  bool descending = false;
  std::optional<ListPosition> after;  // the end of the page before; none: from the start
  std::size_t limit = domain::default_page_size;
};

// The storage query of `request`'s conditions, search and order over the rows `scope` shows.
storage::ListQuery storage_query(const ListRequest& request, const storage::Scope& scope);

// A page of a list: its items as JSON text, written once and sent as they are.
struct Page {
  std::string items = "[";  // a JSON array: add() items, then close()
  std::optional<ListPosition> next;  // where the next page starts; none on the last page

  std::string& add() {
    if (items.size() > 1) items += ',';
    return items;
  }
  void close() { items += ']'; }
};

// A list paged by id, newest first (the audit log, contact merges): the page starts below
// `before_id`.
struct IdPaging {
  std::int64_t before_id = 0;  // 0: from the newest
  std::size_t limit = domain::default_page_size;
};

// A record (or an account) as read: its JSON text, id and version.
struct RecordRead {
  std::string json;
  std::int64_t id = 0;
  std::int64_t version = 0;
};

// For a caller who may get rows of `e` with their personal fields hidden (region staff, the
// admin): Problem 400 when `request` filters or sorts by a personal field, since which rows
// come, in which order, and the next page's cursor (it holds the last row's sort value)
// would tell what is hidden.
void refuse_personal_conditions(const storage::Entity& e, const ListRequest& request);
// The same, of the fields a read filters or sorts by (an export's filters).
void refuse_personal_conditions(const storage::Entity& e, const std::vector<std::string_view>& fields);

// One page of a list of `e` as `request` asks, rows limited to `scope`, personal fields
// hidden where `redact` says so, each row with its organisation's name where `org_name`
// gives one. Every list of records goes through here.
Page list_page(storage::Store& store, const storage::Entity& e, const storage::Scope& scope,
               const ListRequest& request, const std::function<bool(const storage::Row&)>& redact,
               const std::function<std::string(const storage::Row&)>& org_name = {});

// The writes of a record. `fields` is the record's fields as JSON (the domain's codec reads
// and validates them: domain/fields.hpp).
struct CreateRecord {
  const storage::Entity& entity;
  boost::json::object fields;
  Idempotency idempotency;
};
struct UpdateRecord {
  const storage::Entity& entity;
  std::int64_t id = 0;
  boost::json::object fields;
  std::optional<std::int64_t> expected_version;  // none: whatever the current one
};
struct DeleteRecord {
  const storage::Entity& entity;
  std::int64_t id = 0;
  std::optional<std::int64_t> expected_version;
};

// The steps of RecordService::create and update, for a front that writes many records in
// write jobs of its own (`relance demo`): the same field rules, defaults, reference checks,
// audit entries and events as the API's writes.
//
// A new row of `e` for `p` from `fields`, checked by the field rules, with the defaults a
// create gives it. Throws Problem invalid (or 400 for an unknown or read-only field).
storage::Row new_record(const auth::Principal& p, const OrgSettings& org, const storage::Entity& e,
                        const boost::json::object& fields);
// Inside a write job: writes `row` (from new_record) with its references checked, its money
// settled, its audit entry and its event (and, for a currency's first exchange rate, the
// outcomes that waited for it converted); returns its JSON text. Throws Problem invalid for
// a reference to no row of the organisation.
std::string insert_record(storage::WriteTxn& tx, const auth::Principal& p, const storage::Entity& e,
                          storage::Row& row);
// Inside a write job: the update RecordService::update runs (a lead's stage change logged as
// its activity, a follow-up's done_at), over the rows `visible` shows the caller; the
// answer's row carries `org_name` when one is given (staff's).
WriteOutcome update_record(storage::WriteTxn& tx, const auth::Principal& p, const OrgSettings& org,
                           const UpdateRecord& request, const storage::Scope& visible,
                           const std::string& org_name = {});

class RecordService {
 public:
  RecordService(storage::Store& store, OrgDirectory& orgs) : store_(store), orgs_(orgs) {}

  // Problem 404 for a row the caller may not read, exactly like a missing one.
  RecordRead get(const auth::Principal& p, const storage::Entity& e, std::int64_t id);
  Page list(const auth::Principal& p, const storage::Entity& e, const ListRequest& request);

  // Outcomes: created; updated; deleted; conflict (expected_version is not the row's);
  // not_found. Refusals come as errors: Problem 403 (read-only token, region staff), 422
  // (invalid field, reference to no row of the organisation), 409 (a unique value taken, a
  // row others point to), 400 (unknown or read-only field). A create with an Idempotency key
  // seen before answers the first create's outcome again (Problem 422 when the key came with
  // another request).
  void create(const auth::Principal& p, CreateRecord request, OutcomeCallback done);
  void update(const auth::Principal& p, UpdateRecord request, OutcomeCallback done);
  void remove(const auth::Principal& p, DeleteRecord request, OutcomeCallback done);

  // The rows of `e` the caller may read, and whether a row's personal fields are hidden
  // from them: every read of records (API, exports) applies these two.
  storage::Scope read_scope(const auth::Principal& p, const storage::Entity& e) const;
  bool redacts(const auth::Principal& p, const storage::Entity& e, const storage::Row& row) const;
  // The name of the row's organisation (the start-up) as region staff read it beside
  // org_id; empty for everyone else, whose rows are their own organisation's.
  std::string org_name(const auth::Principal& p, const storage::Entity& e, const storage::Row& row) const;

 private:
  std::string org_name_of(const auth::Principal& p, const storage::Entity& e, std::int64_t org_id) const;

  storage::Store& store_;
  OrgDirectory& orgs_;
};

}  // namespace relance::services
