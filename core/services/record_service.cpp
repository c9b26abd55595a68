#include "services/record_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "services/record_writes.hpp"

namespace relance::services {
namespace json = boost::json;
using storage::Entity;
using storage::Field;
using storage::FieldKind;
using storage::Row;
using storage::Scope;
namespace ent = storage::entities;

std::string etag_of(std::int64_t id, std::int64_t version) {
  return "\"" + std::to_string(id) + "-" + std::to_string(version) + "\"";
}

namespace {

constexpr std::size_t max_search_length = 200;

// "due_at" -> "due", "starts_on" -> "starts": the stem of range parameters.
std::string range_stem(std::string_view name) {
  if (name.ends_with("_at") || name.ends_with("_on")) name.remove_suffix(3);
  return std::string(name);
}

bool is_time_column(std::string_view name) { return name == "created_at" || name == "updated_at"; }

// The value a filter compares with, read from the query string like the field it filters.
storage::Value filter_value(const Field& f, const std::string& name, const std::string& raw) {
  switch (f.kind) {
    case FieldKind::reference:
    case FieldKind::integer: {
      auto v = domain::parse_int64(raw);
      if (!v) throw Problem::bad_request(name + " must be an integer", name);
      return *v;
    }
    case FieldKind::boolean:
      if (raw == "true") return std::int64_t{1};
      if (raw == "false") return std::int64_t{0};
      throw Problem::bad_request(name + " must be true or false", name);
    case FieldKind::timestamp: {
      auto t = domain::normalise_instant(raw);
      if (!t) throw Problem::bad_request(name + " must be an RFC 3339 instant", name);
      return *t;
    }
    case FieldKind::date:
      if (!domain::valid_date(raw)) throw Problem::bad_request(name + " must be a date", name);
      return raw;
    case FieldKind::country:
    case FieldKind::currency: return domain::fold_ascii_upper(raw);
    default: return raw;
  }
}

struct Cursor {
  std::string sort;
  bool descending = false;
  storage::Value value;
  std::int64_t id = 0;
};

std::string encode_cursor(const Cursor& c) {
  json::array a{json::string(c.sort), c.descending, nullptr, c.id};
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (!std::is_same_v<T, storage::Null>) a[2] = v;
      },
      c.value);
  return domain::base64url_encode(json::serialize(a));
}

Cursor decode_cursor(const std::string& text) {
  auto raw = domain::base64url_decode(text);
  boost::system::error_code ec;
  json::value v = raw ? json::parse(*raw, ec) : json::value();
  if (!raw || ec || !v.is_array() || v.get_array().size() != 4 || !v.get_array()[0].is_string() ||
      !v.get_array()[1].is_bool() || !v.get_array()[3].is_int64())
    throw Problem::bad_request("cursor is not one this server gave", "cursor");
  const json::array& a = v.get_array();
  Cursor c{std::string(a[0].get_string()), a[1].get_bool(), storage::Null{}, a[3].get_int64()};
  if (a[2].is_int64()) c.value = a[2].get_int64();
  else if (a[2].is_double()) c.value = a[2].get_double();
  else if (a[2].is_string()) c.value = std::string(a[2].get_string());
  return c;
}

storage::Value sort_value(const Entity& e, const Row& r, const std::string& sort) {
  if (sort == "id") return r.id;
  if (sort == "created_at") return r.created_at;
  if (sort == "updated_at") return r.updated_at;
  return r.get(e, sort);
}

// Defaults a new row gets from who creates it and the organisation's settings.
void fill_defaults(const Entity& e, Row& row, const auth::Principal& p, const OrgSettings& org) {
  auto unset = [&](std::string_view f) { return storage::is_null(row.get(e, f)); };
  if (&e == &ent::leads) {
    if (unset("stage")) row.set(e, "stage", org.stages.front());
    if (unset("owner_id")) row.set(e, "owner_id", p.user_id);
    if (unset("shared_with_region")) row.set(e, "shared_with_region", std::int64_t{0});
  } else if (&e == &ent::activities) {
    row.set(e, "author_id", p.user_id);
    if (unset("occurred_at")) row.set(e, "occurred_at", domain::now_instant());
  } else if (&e == &ent::followups) {
    if (unset("assignee_id")) row.set(e, "assignee_id", p.user_id);
    if (unset("status")) row.set(e, "status", std::string("open"));
    if (row.get(e, "status") == storage::Value{std::string("done")})
      row.set(e, "done_at", domain::now_instant());
  }
}

// Stage changes are logged by the server when a lead moves; a client cannot forge one.
void refuse_server_kinds(const Entity& e, const Row& row) {
  if (&e == &ent::activities && row.get(e, "kind") == storage::Value{std::string("stage-change")})
    throw Problem::invalid("kind", "kind stage-change is logged by the server when a lead's stage changes");
}

}  // namespace

Scope RecordService::read_scope(const auth::Principal& p, const Entity& e) const {
  if (e.sharing == storage::Sharing::public_read) return Scope::everything();
  if (p.is_staff()) return Scope::org_and_shared(p.org_id);
  return Scope::org(p.org_id);
}

bool RecordService::redacts(const auth::Principal& p, const Entity& e, const Row& row) const {
  if (row.org_id == p.org_id || e.sharing != storage::Sharing::always) return false;
  if (&e == &ent::leads)
    return row.get(e, "shared_with_region") != storage::Value{std::int64_t{1}};
  return true;
}

ReadResult RecordService::get(const auth::Principal& p, const Entity& e, std::int64_t id) {
  // One row per thread, read into again and again: a read by id, the API's most frequent
  // request, then allocates for its answer only.
  thread_local Row row;
  if (!store_.get_into(e, read_scope(p, e), id, row)) throw Problem::not_found();
  return ReadResult{domain::row_json(e, row, redacts(p, e, row)), etag_of(row.id, row.version)};
}

std::vector<std::string> RecordService::list_parameters(const Entity& e) {
  std::vector<std::string> out{"limit", "cursor", "sort", "updated_from", "updated_to",
                               "created_from", "created_to"};
  if (e.has_search()) out.emplace_back("q");
  for (const Field& f : e.fields) {
    if (f.kind == FieldKind::tag_list && f.has(storage::filterable)) out.emplace_back("tag");
    else if (f.has(storage::filterable)) out.emplace_back(f.name);
    if (f.has(storage::ranged)) {
      out.push_back(range_stem(f.name) + "_from");
      out.push_back(range_stem(f.name) + "_to");
    }
  }
  return out;
}

Page RecordService::list(const auth::Principal& p, const Entity& e, const QueryParams& query) {
  return list_page(store_, e, read_scope(p, e), query,
                   [&](const Row& r) { return redacts(p, e, r); });
}

std::size_t parse_limit(const std::string& key, const std::string& value, std::size_t max) {
  const auto n = domain::parse_int64(value);
  if (!n || *n < 1 || *n > static_cast<std::int64_t>(max))
    throw Problem::bad_request(key + " must be an integer from 1 to " + std::to_string(max), key);
  return static_cast<std::size_t>(*n);
}

bool IdPaging::read(const std::string& key, const std::string& value) {
  if (key == "cursor") {
    const auto n = domain::parse_int64(value);
    if (!n || *n < 1) throw Problem::bad_request("cursor is not one this server gave", "cursor");
    before_id = *n;
    return true;
  }
  if (key == "limit") {
    limit = parse_limit(key, value);
    return true;
  }
  return false;
}

ListRequest parse_list_request(const Entity& e, const Scope& scope, const QueryParams& query) {
  ListRequest r;
  storage::ListQuery& q = r.query;
  q.scope = scope;
  q.limit = RecordService::default_page_size;
  std::string& sort = r.sort;
  bool descending = false;
  std::optional<Cursor> cursor;
  for (const auto& [key, raw] : query) {
    if (key == "q") {
      if (!e.has_search())
        throw Problem::bad_request("the " + std::string(e.name) + " list has no full-text search", key);
      if (!domain::valid_utf8(raw)) throw Problem::bad_request("q is not valid UTF-8", key);
      // FTS5 reads a query's text up to a NUL and then fails on the open phrase (a 500).
      if (raw.find('\0') != std::string::npos)
        throw Problem::bad_request("q must not contain NUL characters", key);
      if (domain::utf8_length(raw) > max_search_length)
        throw Problem::bad_request("q is longer than 200 characters", key);
      q.search = raw;
    } else if (key == "limit") {
      q.limit = parse_limit(key, raw);
    } else if (key == "sort") {
      descending = !raw.empty() && raw[0] == '-';
      sort = descending ? raw.substr(1) : raw;
      const Field* f = e.field(sort);
      if (sort != "id" && !is_time_column(sort) && !(f && f->has(storage::sortable)))
        throw Problem::bad_request("cannot sort " + std::string(e.name) + " by " + sort, key);
    } else if (key == "cursor") {
      cursor = decode_cursor(raw);
    } else if (key == "tag" && e.field("tags")) {
      q.filters.push_back({"tags", storage::Filter::Op::has_tag, raw});
    } else if (key.ends_with("_from") || key.ends_with("_to")) {
      const bool from = key.ends_with("_from");
      const std::string stem = key.substr(0, key.size() - (from ? 5 : 3));
      const auto op = from ? storage::Filter::Op::ge : storage::Filter::Op::lt;
      const Field* target = nullptr;
      for (const Field& f : e.fields)
        if (f.has(storage::ranged) && range_stem(f.name) == stem) target = &f;
      if (target) {
        q.filters.push_back({target->name, op, filter_value(*target, key, raw)});
      } else if (stem == "updated" || stem == "created") {
        auto t = domain::normalise_instant(raw);
        if (!t) throw Problem::bad_request(key + " must be an RFC 3339 instant", key);
        q.filters.push_back({stem == "updated" ? "updated_at" : "created_at", op, *t});
      } else {
        throw Problem::bad_request("unknown query parameter " + key, key);
      }
    } else if (const Field* f = e.field(key); f && f->has(storage::filterable) &&
                                               f->kind != FieldKind::tag_list) {
      q.filters.push_back({f->name, storage::Filter::Op::eq, filter_value(*f, key, raw)});
    } else {
      throw Problem::bad_request("unknown query parameter " + key, key);
    }
  }
  if (cursor) {
    if (cursor->sort != sort || cursor->descending != descending)
      throw Problem::bad_request("cursor belongs to another sort order", "cursor");
    q.after_sort = cursor->value;
    q.after_id = cursor->id;
  }
  q.descending = descending;
  return r;
}

Page list_page(storage::Store& store, const Entity& e, const Scope& scope,
               const QueryParams& query, const std::function<bool(const Row&)>& redact) {
  ListRequest request = parse_list_request(e, scope, query);
  storage::ListQuery& q = request.query;
  const std::string& sort = request.sort;
  const bool descending = q.descending;
  q.sort = sort;
  const std::size_t page_size = q.limit;
  q.limit = page_size + 1;  // one more tells whether there is a next page
  std::vector<Row> rows = store.list(e, q);
  Page page;
  const bool more = rows.size() > page_size;
  if (more) rows.pop_back();
  page.items.reserve(rows.size() * 600 + 2);
  for (const Row& r : rows) domain::append_row_json(page.add(), e, r, redact(r));
  page.close();
  if (more)
    page.next_cursor = encode_cursor(Cursor{sort, descending, sort_value(e, rows.back(), sort),
                                            rows.back().id});
  return page;
}

void RecordService::create(const auth::Principal& p, const Entity& e, json::object body,
                           std::string idempotency_key, std::string request_digest,
                           WriteCallback done) {
  require_write(p);
  auto org = orgs_.get(p.org_id);
  auto row = std::make_shared<Row>();
  row->org_id = p.org_id;
  auto changed = domain::apply_body(e, body, *row, true, context_of(*org));
  refuse_server_kinds(e, *row);
  fill_defaults(e, *row, p, *org);
  changed = set_fields(e, *row);
  submit_write(
      store_,
      [&e, p, row, changed, key = std::move(idempotency_key),
       digest = std::move(request_digest)](storage::WriteTxn& tx) {
        if (auto first = replayed(tx, p, key, digest)) return *first;
        check_references(tx, e, *row, changed, p.org_id);
        write_record(tx, p, e, WriteKind::create, *row, nullptr, changed,
                     event_type(e, WriteKind::create));
        WriteResult r = row_result(e, *row, 201);
        remember(tx, p, key, digest, r);
        return r;
      },
      std::move(done));
}

void RecordService::update(const auth::Principal& p, const Entity& e, std::int64_t id,
                           json::object body, std::optional<std::int64_t> expected_version,
                           WriteCallback done) {
  require_write(p);
  auto org = orgs_.get(p.org_id);
  const Scope visible = read_scope(p, e);
  submit_write(
      store_,
      [&e, p, id, body = std::move(body), expected_version, org, visible](storage::WriteTxn& tx) {
        Row row = owned_row(tx, e, p, id, visible, expected_version);
        const Row before = row;
        auto changed = domain::apply_body(e, body, row, false, context_of(*org));
        if (changed.empty()) return row_result(e, row, 200);
        if (body.contains("kind")) refuse_server_kinds(e, row);
        if (&e == &ent::followups && row.get(e, "status") == storage::Value{std::string("done")} &&
            before.get(e, "status") != storage::Value{std::string("done")}) {
          row.set(e, "done_at", domain::now_instant());
          changed.push_back(*e.index_of("done_at"));
        }
        check_references(tx, e, row, changed, p.org_id);
        std::string type = event_type(e, WriteKind::update);
        const bool stage_moved = &e == &ent::leads && row.get(e, "stage") != before.get(e, "stage");
        if (stage_moved) type = "lead.stage_changed";
        if (&e == &ent::followups && row.get(e, "status") == storage::Value{std::string("done")} &&
            before.get(e, "status") != storage::Value{std::string("done")})
          type = "followup.done";
        write_record(tx, p, e, WriteKind::update, row, &before, changed, type);
        if (stage_moved) {
          // Every stage change is kept as an activity of the lead.
          const Entity& a = ent::activities;
          Row act;
          act.org_id = row.org_id;
          act.values.resize(a.fields.size());
          act.set(a, "lead_id", row.id);
          act.set(a, "contact_id", row.get(e, "contact_id"));
          act.set(a, "kind", std::string("stage-change"));
          act.set(a, "occurred_at", domain::now_instant());
          act.set(a, "from_stage", before.get(e, "stage"));
          act.set(a, "to_stage", row.get(e, "stage"));
          act.set(a, "subject", "Stage: " + std::get<std::string>(before.get(e, "stage")) + " → " +
                                    std::get<std::string>(row.get(e, "stage")));
          act.set(a, "author_id", p.user_id);
          write_record(tx, p, a, WriteKind::create, act, nullptr, set_fields(a, act),
                       event_type(a, WriteKind::create));
        }
        return row_result(e, row, 200);
      },
      std::move(done));
}

void RecordService::remove(const auth::Principal& p, const Entity& e, std::int64_t id,
                           std::optional<std::int64_t> expected_version, WriteCallback done) {
  require_write(p);
  const Scope visible = read_scope(p, e);
  submit_write(
      store_,
      [&e, p, id, expected_version, visible](storage::WriteTxn& tx) {
        Row row = owned_row(tx, e, p, id, visible, expected_version);
        // Nothing is lost silently: a record others point to stays until they are moved.
        for (const storage::Reference& ref : storage::references_to(e))
          if (tx.referenced(*ref.by, ref.field->name, id))
            throw Problem::conflict("this " + std::string(e.singular) + " is referenced by " +
                                    std::string(ref.by->name) + " (" + std::string(ref.field->name) +
                                    "); delete or re-assign them first");
        const Row before = row;
        write_record(tx, p, e, WriteKind::remove, row, &before, set_fields(e, row),
                     event_type(e, WriteKind::remove));
        return WriteResult{204, {}, {}, id};
      },
      std::move(done));
}

}  // namespace relance::services
