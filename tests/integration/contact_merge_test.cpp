// Merging a duplicate contact into the one that stays, and undoing it, as a founder meets it
// after an import or a trade mission (docs/api.md, "Contact merges"): what the survivor keeps
// and takes, the leads, activities and follow-ups that move, the duplicate gone, the audit
// log and the outbox, an undo that brings everything back exactly and only takes back what
// the merge did, and the refusals: another organisation's contacts and merges, a contact
// merged with itself, bad bodies, an old If-Match, a second undo.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t missing_id = 1'999'999'999;

std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }

std::string path(const char* collection, std::int64_t id) {
  return std::string("/api/v1/") + collection + "/" + std::to_string(id);
}

json::object read(HttpClient& as, const char* collection, std::int64_t id) {
  auto r = as.get(path(collection, id));
  INFO("GET " << path(collection, id) << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

HttpResponse merge(HttpClient& as, std::int64_t survivor, std::int64_t duplicate, const Headers& headers = {}) {
  return as.post(path("contacts", survivor) + "/merge", json::object{{"duplicate_id", duplicate}}, headers);
}

// A merge that must succeed: the merge document.
json::object merged(HttpClient& as, std::int64_t survivor, std::int64_t duplicate) {
  auto r = merge(as, survivor, duplicate);
  INFO("merge " << duplicate << " into " << survivor << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == 201);
  return r.json().as_object();
}

HttpResponse undo(HttpClient& as, std::int64_t merge_id) {
  return as.post(path("contact-merges", merge_id) + "/undo", json::object{});
}

json::object undone(HttpClient& as, std::int64_t merge_id) {
  auto r = undo(as, merge_id);
  INFO("undo merge " << merge_id << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

std::set<std::string> strings(const json::value& v) {
  std::set<std::string> out;
  for (const auto& s : v.as_array()) out.insert(std::string(s.as_string()));
  return out;
}

std::vector<std::int64_t> ids_in(const json::value& page) {
  std::vector<std::int64_t> out;
  for (const auto& item : page.at("items").as_array()) out.push_back(item.at("id").as_int64());
  return out;
}

bool contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The record without the columns every write moves on (a survivor's version goes on: an
// ETag never comes back).
json::object without_write_stamp(json::object o) {
  for (const char* k : {"version", "updated_at", "updated_by"}) o.erase(k);
  return o;
}

// Checks that `r` is a problem document of `status` naming `field` (when given).
void check_problem(const HttpResponse& r, int status, const std::string& field = {}) {
  INFO("the daemon answered " << r.status << " " << r.header("content-type") << ": " << r.body);
  REQUIRE(r.status == status);
  CHECK(r.header("content-type") == "application/problem+json");
  const json::value doc = r.json();
  CHECK(doc.at("status") == status);
  CHECK_FALSE(doc.at("detail").as_string().empty());
  if (!field.empty()) CHECK(doc.at("field") == json::value(field));
}

// The id of the newest entry of the organisation's audit log (read by its org-admin).
std::int64_t newest_audit(HttpClient& org_admin) {
  auto r = org_admin.get("/api/v1/audit?limit=1");
  REQUIRE(r.status == 200);
  const json::value page = r.json();
  return page.at("items").as_array().empty() ? 0 : page.at("items").as_array()[0].at("id").as_int64();
}

// The organisation's audit entries newer than `after`, oldest first.
std::vector<json::object> audit_since(HttpClient& org_admin, std::int64_t after) {
  std::vector<json::object> out;
  for (const json::object& e : list_all(org_admin, "audit"))
    if (e.at("id").as_int64() > after) out.push_back(e);
  std::reverse(out.begin(), out.end());
  return out;
}

// The types of the outbox events after event `after`, in order, and the last event id.
std::vector<std::string> outbox_types_since(const Daemon& d, std::int64_t after) {
  const std::string text =
      sqlite(d.database(), "SELECT group_concat(type, ' ') FROM (SELECT type FROM outbox WHERE id > " +
                               std::to_string(after) + " ORDER BY id)");
  std::vector<std::string> out;
  std::string word;
  for (char c : text + " ") {
    if (c != ' ') word += c;
    else if (!word.empty()) out.push_back(std::exchange(word, {}));
  }
  return out;
}

std::int64_t last_outbox_id(const Daemon& d) {
  return std::stoll(sqlite(d.database(), "SELECT coalesce(max(id), 0) FROM outbox"));
}

// Two records of the same person, the duplicate with a lead, a meeting, a stage change and
// a follow-up of its own, and the survivor with a lead of its own.
struct Duplicates {
  World& w;
  HttpClient& founder;
  std::int64_t company = 0, other_company = 0;
  std::int64_t survivor = 0, duplicate = 0;
  std::int64_t survivor_lead = 0, lead = 0, meeting = 0, stage_change = 0, followup = 0, outcome = 0;

  explicit Duplicates(World& world) : w(world), founder(world.alpha_member) {
    company = id_of(World::create(founder, "companies", {{"name", "Sand Hill Partners"}}));
    other_company = id_of(World::create(founder, "companies", {{"name", "Lima Family Office"}}));
    survivor = id_of(World::create(founder, "contacts",
                                   {{"first_name", "Ana"},
                                    {"last_name", "Lima"},
                                    {"emails", json::array{"ana@sandhill.vc"}},
                                    {"phones", json::array{"+16505550101"}},
                                    {"title", "Partner"},
                                    {"tags", json::array{"vc"}}}));
    duplicate = id_of(World::create(founder, "contacts",
                                    {{"first_name", "Anna"},
                                     {"last_name", "Lima"},
                                     {"emails", json::array{"ANA@sandhill.vc", "ana.lima@gmail.com"}},
                                     {"phones", json::array{"+33 6 12 34 56 78"}},
                                     {"title", "General Partner"},
                                     {"city", "Palo Alto"},
                                     {"company_id", company},
                                     {"tags", json::array{"VC", "ces2026"}},
                                     {"notes", "met at the booth, wants the deck"},
                                     {"met_at", "2026-01-08T17:30:00-08:00"}}));
    survivor_lead = id_of(World::create(founder, "leads", {{"title", "Intro to the fund"}, {"contact_id", survivor}}));
    lead = id_of(World::create(founder, "leads", {{"title", "Seed round"}, {"contact_id", duplicate}}));
    meeting = id_of(World::create(founder, "activities",
                                  {{"kind", "meeting"}, {"lead_id", lead}, {"contact_id", duplicate}, {"subject", "Demo"}}));
    followup = id_of(World::create(founder, "followups",
                                   {{"title", "Send the deck"},
                                    {"due_at", "2031-01-05T17:00:00Z"},
                                    {"lead_id", lead},
                                    {"contact_id", duplicate}}));
    outcome = id_of(World::create(founder, "outcomes", {{"kind", "investment"}, {"lead_id", lead}}));
    // The stage change is logged by the daemon as an activity of the lead's contact.
    REQUIRE(founder.patch(path("leads", lead), json::object{{"stage", "meeting"}}).status == 200);
    auto acts = founder.get("/api/v1/activities?lead_id=" + std::to_string(lead) + "&kind=stage-change");
    REQUIRE(acts.status == 200);
    const json::value page = acts.json();
    REQUIRE(page.at("items").as_array().size() == 1);
    stage_change = page.at("items").as_array()[0].at("id").as_int64();
  }

  std::int64_t contact_of(const char* collection, std::int64_t id) {
    return read(founder, collection, id).at("contact_id").as_int64();
  }
};

}  // namespace

TEST_CASE("a merge keeps the survivor's values, fills in those it lacks and joins emails, phones and tags") {
  World w;
  Duplicates d(w);
  auto r = merge(d.founder, d.survivor, d.duplicate);
  INFO(r.body);
  REQUIRE(r.status == 201);
  const json::object m = r.json().as_object();
  CHECK(r.header("location") == path("contact-merges", id_of(m)));
  CHECK(m.at("survivor_id") == d.survivor);
  CHECK(m.at("duplicate_id") == d.duplicate);
  CHECK(m.at("undone_at").is_null());
  CHECK(m.at("links").at("undo") == json::value(path("contact-merges", id_of(m)) + "/undo"));

  const json::object c = read(d.founder, "contacts", d.survivor);
  CHECK(c.at("first_name") == "Ana");  // the survivor's values stay
  CHECK(c.at("title") == "Partner");
  CHECK(c.at("city") == "Palo Alto");  // and it takes those it lacked
  CHECK(c.at("company_id") == d.company);
  CHECK(c.at("notes") == "met at the booth, wants the deck");
  CHECK(c.at("met_at") == "2026-01-09T01:30:00.000Z");
  CHECK(c.at("emails") == json::array{"ana@sandhill.vc", "ana.lima@gmail.com"});
  CHECK(c.at("phones") == json::array{"+16505550101", "+33612345678"});
  CHECK(c.at("tags") == json::array{"vc", "ces2026"});
  CHECK(strings(m.at("fields")) ==
        std::set<std::string>{"emails", "phones", "company_id", "city", "tags", "notes", "met_at"});
  CHECK(m.at("survivor_after") == c);
  CHECK(m.at("survivor_before").at("city").is_null());
  CHECK(m.at("duplicate").at("first_name") == "Anna");
}

TEST_CASE(
    "a merge moves the duplicate's leads, activities and follow-ups to the survivor, and the duplicate then "
    "answers 404 and is gone from lists and search") {
  World w;
  Duplicates d(w);
  const auto missing = d.founder.get(path("contacts", missing_id));
  REQUIRE(missing.status == 404);
  const json::object m = merged(d.founder, d.survivor, d.duplicate);

  CHECK(d.contact_of("leads", d.lead) == d.survivor);
  CHECK(d.contact_of("activities", d.meeting) == d.survivor);
  CHECK(d.contact_of("activities", d.stage_change) == d.survivor);
  CHECK(d.contact_of("followups", d.followup) == d.survivor);
  CHECK(d.contact_of("leads", d.survivor_lead) == d.survivor);
  CHECK(read(d.founder, "outcomes", d.outcome).at("lead_id") == d.lead);  // outcomes follow their lead
  CHECK(read(d.founder, "activities", d.meeting).at("lead_id") == d.lead);
  const json::array expected_moved{
      json::object{{"entity", "leads"}, {"field", "contact_id"}, {"ids", json::array{d.lead}}},
      json::object{{"entity", "activities"}, {"field", "contact_id"}, {"ids", json::array{d.meeting, d.stage_change}}},
      json::object{{"entity", "followups"}, {"field", "contact_id"}, {"ids", json::array{d.followup}}}};
  CHECK(m.at("moved") == expected_moved);

  const auto gone = d.founder.get(path("contacts", d.duplicate));
  CHECK(gone.status == 404);
  CHECK(gone.body == missing.body);
  CHECK_FALSE(contains(ids_in(d.founder.get("/api/v1/contacts?limit=200").json()), d.duplicate));
  for (const char* q : {"lima", "anna", "booth"}) {
    INFO("?q=" << q);
    const auto found = ids_in(d.founder.get(std::string("/api/v1/contacts?q=") + q).json());
    CHECK_FALSE(contains(found, d.duplicate));
  }
  CHECK(contains(ids_in(d.founder.get("/api/v1/contacts?q=booth").json()), d.survivor));
  CHECK_FALSE(contains(ids_in(d.founder.get("/api/v1/contacts?tag=ces2026").json()), d.duplicate));
  CHECK(ids_in(d.founder.get("/api/v1/leads?contact_id=" + std::to_string(d.duplicate)).json()).empty());
  CHECK(d.founder.patch(path("contacts", d.duplicate), json::object{{"city", "Lyon"}}).status == 404);
}

TEST_CASE(
    "the merge and its undo are in the audit log with who, which two contacts and what moved, and in the "
    "outbox with the events of every row they changed") {
  World w;
  Duplicates d(w);
  const std::int64_t founder_id = d.founder.get("/api/v1/me").json().at("id").as_int64();
  const std::int64_t audit_before = newest_audit(w.alpha_admin);
  const std::int64_t outbox_before = last_outbox_id(w.daemon);
  const json::object m = merged(d.founder, d.survivor, d.duplicate);

  std::vector<json::object> entries = audit_since(w.alpha_admin, audit_before);
  std::vector<std::string> actions;
  for (const auto& e : entries) {
    CHECK(e.at("user_id") == founder_id);
    actions.push_back(std::string(e.at("action").as_string()) + " " + std::string(e.at("entity").as_string()));
  }
  CHECK(actions == std::vector<std::string>{"update contacts", "update leads", "update activities",
                                            "update activities", "update followups", "delete contacts",
                                            "merge contact_merges"});
  const json::object& entry = entries.back();
  CHECK(entry.at("entity_id") == id_of(m));
  CHECK(entry.at("changes").at("survivor_id") == d.survivor);
  CHECK(entry.at("changes").at("duplicate_id") == d.duplicate);
  CHECK(entry.at("changes").at("moved") == m.at("moved"));
  CHECK(strings(entry.at("changes").at("fields")) == strings(m.at("fields")));
  CHECK(entries[1].at("changes").at("contact_id") == json::array{d.duplicate, d.survivor});
  CHECK(outbox_types_since(w.daemon, outbox_before) ==
        std::vector<std::string>{"contact.updated", "lead.updated", "activity.updated", "activity.updated",
                                 "followup.updated", "contact.deleted", "contact.merged"});
  const json::value event = json::parse(sqlite(
      w.daemon.database(), "SELECT payload FROM outbox WHERE type = 'contact.merged' AND entity_id = " +
                               std::to_string(id_of(m))));
  CHECK(event.at("entity") == "contact_merges");
  CHECK(event.at("actor_id") == founder_id);
  CHECK(event.at("data") == m);

  const std::int64_t audit_merged = newest_audit(w.alpha_admin);
  const std::int64_t outbox_merged = last_outbox_id(w.daemon);
  const json::object u = undone(w.alpha_admin, id_of(m));
  entries = audit_since(w.alpha_admin, audit_merged);
  actions.clear();
  for (const auto& e : entries)
    actions.push_back(std::string(e.at("action").as_string()) + " " + std::string(e.at("entity").as_string()));
  CHECK(actions == std::vector<std::string>{"restore contacts", "update leads", "update activities",
                                            "update activities", "update followups", "update contacts",
                                            "undo-merge contact_merges"});
  CHECK(entries.back().at("changes").at("moved_back") == m.at("moved"));
  CHECK(entries.back().at("changes").at("duplicate_id") == d.duplicate);
  CHECK(entries.front().at("entity_id") == d.duplicate);
  CHECK(outbox_types_since(w.daemon, outbox_merged) ==
        std::vector<std::string>{"contact.created", "lead.updated", "activity.updated", "activity.updated",
                                 "followup.updated", "contact.updated", "contact.merge_undone"});
  CHECK(u.at("undone_by") == w.alpha_admin.get("/api/v1/me").json().at("id"));
}

TEST_CASE("undo brings both contacts back exactly as they were and moves back exactly the rows the merge moved") {
  World w;
  Duplicates d(w);
  const auto survivor_read = d.founder.get(path("contacts", d.survivor));
  const auto duplicate_read = d.founder.get(path("contacts", d.duplicate));
  const json::object survivor_before = survivor_read.json().as_object();
  const json::object duplicate_before = duplicate_read.json().as_object();
  struct Child {
    const char* collection;
    std::int64_t id, contact;
  };
  const std::vector<Child> children{{"leads", d.lead, d.duplicate},
                                    {"leads", d.survivor_lead, d.survivor},
                                    {"activities", d.meeting, d.duplicate},
                                    {"activities", d.stage_change, d.duplicate},
                                    {"followups", d.followup, d.duplicate}};
  const json::object m = merged(d.founder, d.survivor, d.duplicate);
  const json::object u = undone(d.founder, id_of(m));

  CHECK(u.at("id") == m.at("id"));
  CHECK(u.at("undone_at").is_string());
  CHECK_FALSE(u.at("links").as_object().contains("undo"));
  CHECK(strings(u.at("undo_result").at("restored_fields")) == strings(m.at("fields")));
  CHECK(u.at("undo_result").at("kept_fields").as_array().empty());
  CHECK(u.at("undo_result").at("moved_back") == m.at("moved"));
  CHECK(u.at("undo_result").at("left").as_array().empty());

  // The duplicate comes back with its id, values and version: its old ETag holds again.
  const auto duplicate_after = d.founder.get(path("contacts", d.duplicate));
  REQUIRE(duplicate_after.status == 200);
  CHECK(duplicate_after.json().as_object() == duplicate_before);
  CHECK(duplicate_after.header("etag") == duplicate_read.header("etag"));
  // The survivor has its values back, at a new version.
  const json::object survivor_after = read(d.founder, "contacts", d.survivor);
  CHECK(without_write_stamp(survivor_after) == without_write_stamp(survivor_before));
  CHECK(survivor_after.at("version").as_int64() > survivor_before.at("version").as_int64());
  for (const Child& c : children) {
    INFO(c.collection << " " << c.id);
    CHECK(d.contact_of(c.collection, c.id) == c.contact);
  }
  CHECK(contains(ids_in(d.founder.get("/api/v1/contacts?q=booth").json()), d.duplicate));
  CHECK(contains(ids_in(d.founder.get("/api/v1/contacts?tag=ces2026").json()), d.duplicate));
  CHECK(read(d.founder, "contact-merges", id_of(m)) == u);
  // The duplicate is a contact like any other again: it can be changed and merged.
  CHECK(d.founder.patch(path("contacts", d.duplicate), json::object{{"city", "Menlo Park"}},
                        {{"If-Match", duplicate_read.header("etag")}})
            .status == 200);
  merged(d.founder, d.survivor, d.duplicate);
}

TEST_CASE("a second undo answers 409 and changes nothing") {
  World w;
  Duplicates d(w);
  const json::object m = merged(d.founder, d.survivor, d.duplicate);
  undone(d.founder, id_of(m));
  const json::object survivor = read(d.founder, "contacts", d.survivor);
  const json::object duplicate = read(d.founder, "contacts", d.duplicate);
  const std::int64_t audit = newest_audit(w.alpha_admin);
  const auto again = undo(d.founder, id_of(m));
  check_problem(again, 409);
  CHECK(again.json().at("detail").as_string().find("undone already") != std::string::npos);
  CHECK(read(d.founder, "contacts", d.survivor) == survivor);
  CHECK(read(d.founder, "contacts", d.duplicate) == duplicate);
  CHECK(newest_audit(w.alpha_admin) == audit);
}

TEST_CASE(
    "undo keeps a survivor field changed since the merge and leaves a moved row deleted or pointed elsewhere "
    "since, and says so") {
  World w;
  Duplicates d(w);
  const json::object survivor_before = read(d.founder, "contacts", d.survivor);
  const json::object m = merged(d.founder, d.survivor, d.duplicate);
  const auto third = id_of(World::create(d.founder, "contacts", {{"first_name", "Third"}}));
  REQUIRE(d.founder.patch(path("contacts", d.survivor), json::object{{"city", "Lyon"}, {"title", "Managing Partner"}})
              .status == 200);
  REQUIRE(d.founder.del(path("followups", d.followup)).status == 204);
  REQUIRE(d.founder.patch(path("activities", d.meeting), json::object{{"contact_id", third}}).status == 200);

  const json::object u = undone(d.founder, id_of(m));
  const json::value& result = u.at("undo_result");
  CHECK(strings(result.at("kept_fields")) == std::set<std::string>{"city"});  // title: not the merge's
  CHECK(strings(result.at("restored_fields")) ==
        std::set<std::string>{"emails", "phones", "company_id", "tags", "notes", "met_at"});
  CHECK(result.at("moved_back") ==
        json::array{json::object{{"entity", "leads"}, {"field", "contact_id"}, {"ids", json::array{d.lead}}},
                    json::object{{"entity", "activities"}, {"field", "contact_id"}, {"ids", json::array{d.stage_change}}}});
  CHECK(result.at("left") ==
        json::array{json::object{{"entity", "activities"}, {"field", "contact_id"}, {"ids", json::array{d.meeting}}},
                    json::object{{"entity", "followups"}, {"field", "contact_id"}, {"ids", json::array{d.followup}}}});

  const json::object survivor = read(d.founder, "contacts", d.survivor);
  CHECK(survivor.at("city") == "Lyon");
  CHECK(survivor.at("title") == "Managing Partner");
  CHECK(survivor.at("emails") == survivor_before.at("emails"));
  CHECK(survivor.at("notes").is_null());
  CHECK(d.contact_of("activities", d.meeting) == third);
  CHECK(d.contact_of("leads", d.lead) == d.duplicate);
  CHECK(read(d.founder, "contacts", d.duplicate).at("city") == "Palo Alto");
}

TEST_CASE("undo is refused with 409 while the survivor is itself merged into another contact, and works once that merge is undone") {
  World w;
  Duplicates d(w);
  const auto third = id_of(World::create(d.founder, "contacts", {{"first_name", "Ana"}, {"last_name", "Lima-Souza"}}));
  const json::object first = merged(d.founder, d.survivor, d.duplicate);
  const json::object second = merged(d.founder, third, d.survivor);
  const auto refused = undo(d.founder, id_of(first));
  check_problem(refused, 409);
  const std::string detail(refused.json().at("detail").as_string());
  CHECK(detail.find("merged into another contact") != std::string::npos);
  CHECK(detail.find("duplicate_id=" + std::to_string(d.survivor)) != std::string::npos);
  CHECK(d.founder.get(path("contacts", d.duplicate)).status == 404);

  undone(d.founder, id_of(second));
  undone(d.founder, id_of(first));
  CHECK(d.contact_of("leads", d.lead) == d.duplicate);
  CHECK(d.contact_of("leads", d.survivor_lead) == d.survivor);
  CHECK(read(d.founder, "contacts", third).at("emails").is_null());
}

TEST_CASE("undo is refused with 409 when the duplicate's company was deleted since the merge") {
  World w;
  Duplicates d(w);
  REQUIRE(d.founder.patch(path("contacts", d.survivor), json::object{{"company_id", d.other_company}}).status == 200);
  const json::object m = merged(d.founder, d.survivor, d.duplicate);
  REQUIRE(d.founder.del(path("companies", d.company)).status == 204);
  const auto refused = undo(d.founder, id_of(m));
  check_problem(refused, 409, "company_id");
  CHECK(d.founder.get(path("contacts", d.duplicate)).status == 404);
  CHECK(read(d.founder, "contact-merges", id_of(m)).at("undone_at").is_null());
}

TEST_CASE(
    "another organisation's contact, as survivor or as duplicate, answers 404 exactly like a missing one, "
    "and so does another organisation's merge") {
  World w;
  HttpClient& alpha = w.alpha_member;
  const auto own = id_of(World::create(alpha, "contacts", {{"first_name", "Own"}}));
  const auto own_other = id_of(World::create(alpha, "contacts", {{"first_name", "Own too"}}));
  const auto theirs = id_of(World::create(w.beta_member, "contacts", {{"first_name", "Theirs"}}));
  const auto theirs_other = id_of(World::create(w.beta_member, "contacts", {{"first_name", "Theirs too"}}));
  const std::int64_t audit = newest_audit(w.alpha_admin);

  const auto missing_survivor = merge(alpha, missing_id, own);
  check_problem(missing_survivor, 404);
  const auto their_survivor = merge(alpha, theirs, own);
  CHECK(their_survivor.status == 404);
  CHECK(their_survivor.body == missing_survivor.body);

  const auto missing_duplicate = merge(alpha, own, missing_id);
  check_problem(missing_duplicate, 404, "duplicate_id");
  const auto their_duplicate = merge(alpha, own, theirs);
  check_problem(their_duplicate, 404, "duplicate_id");
  std::string expected = missing_duplicate.body;
  expected.replace(expected.find(std::to_string(missing_id)), std::to_string(missing_id).size(), std::to_string(theirs));
  CHECK(their_duplicate.body == expected);
  CHECK(newest_audit(w.alpha_admin) == audit);
  read(w.beta_member, "contacts", theirs);

  const json::object their_merge = merged(w.beta_member, theirs, theirs_other);
  const auto missing_merge = alpha.get(path("contact-merges", missing_id));
  check_problem(missing_merge, 404);
  for (const auto& r : {alpha.get(path("contact-merges", id_of(their_merge))), undo(alpha, id_of(their_merge))}) {
    CHECK(r.status == 404);
    CHECK(r.body == missing_merge.body);
  }
  CHECK(undo(alpha, missing_id).body == missing_merge.body);
  CHECK(ids_in(alpha.get("/api/v1/contact-merges").json()).empty());
  CHECK(w.beta_member.get(path("contacts", theirs_other)).status == 404);  // still merged
  merged(alpha, own, own_other);
}

TEST_CASE("merging a contact with itself is refused with 422 naming duplicate_id and writes nothing") {
  World w;
  const json::object c = World::create(w.alpha_member, "contacts", {{"first_name", "Solo"}});
  const std::int64_t audit = newest_audit(w.alpha_admin);
  const auto r = merge(w.alpha_member, id_of(c), id_of(c));
  check_problem(r, 422, "duplicate_id");
  CHECK(r.json().at("detail").as_string().find("itself") != std::string::npos);
  CHECK(read(w.alpha_member, "contacts", id_of(c)) == c);
  CHECK(newest_audit(w.alpha_admin) == audit);
}

TEST_CASE("a merge body that is malformed, of the wrong type or with unknown fields gets a 4xx problem and writes nothing") {
  World w;
  Duplicates d(w);
  const json::object survivor = read(d.founder, "contacts", d.survivor);
  const json::object duplicate = read(d.founder, "contacts", d.duplicate);
  const std::int64_t audit = newest_audit(w.alpha_admin);
  const std::int64_t outbox = last_outbox_id(w.daemon);
  const std::string target = path("contacts", d.survivor) + "/merge";
  const std::string dup = std::to_string(d.duplicate);
  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases{
      {"{\"duplicate_id\": " + dup, 400, ""},
      {"[" + dup + "]", 400, ""},
      {"", 400, ""},
      {"{}", 422, "duplicate_id"},
      {"{\"duplicate_id\": null}", 422, "duplicate_id"},
      {"{\"duplicate_id\": \"" + dup + "\"}", 422, "duplicate_id"},
      {"{\"duplicate_id\": " + dup + ".5}", 422, "duplicate_id"},
      {"{\"duplicate_id\": -" + dup + "}", 422, "duplicate_id"},
      {"{\"duplicate_id\": [" + dup + "]}", 422, "duplicate_id"},
      {"{\"duplicate_id\": 99999999999999999999}", 422, "duplicate_id"},
      {"{\"duplicate_id\": " + dup + ", \"keep\": \"mine\"}", 400, "keep"},
      {"{\"duplicate\": " + dup + "}", 400, "duplicate"},
  };
  for (const Case& c : cases) {
    INFO("body: " << c.body);
    check_problem(d.founder.request("POST", target, c.body, {{"Content-Type", "application/json"}}), c.status,
                  c.field);
  }
  check_problem(d.founder.request("POST", target, "{\"duplicate_id\": " + dup + "}", {{"Content-Type", "text/plain"}}),
                415);
  CHECK(read(d.founder, "contacts", d.survivor) == survivor);
  CHECK(read(d.founder, "contacts", d.duplicate) == duplicate);
  CHECK(newest_audit(w.alpha_admin) == audit);
  CHECK(last_outbox_id(w.daemon) == outbox);
  CHECK(ids_in(d.founder.get("/api/v1/contact-merges").json()).empty());
}

TEST_CASE("a merge with an If-Match of an old survivor version gets 412 and merges nothing, and one of its version merges") {
  World w;
  Duplicates d(w);
  const auto first_read = d.founder.get(path("contacts", d.survivor));
  REQUIRE(d.founder.patch(path("contacts", d.survivor), json::object{{"city", "Paris"}}).status == 200);
  check_problem(merge(d.founder, d.survivor, d.duplicate, {{"If-Match", first_read.header("etag")}}), 412);
  CHECK(d.founder.get(path("contacts", d.duplicate)).status == 200);
  CHECK(d.contact_of("leads", d.lead) == d.duplicate);
  const auto current = d.founder.get(path("contacts", d.survivor));
  CHECK(merge(d.founder, d.survivor, d.duplicate, {{"If-Match", current.header("etag")}}).status == 201);
}

TEST_CASE("a merge retried with its Idempotency-Key answers the first merge again, and the key with another body 422") {
  World w;
  Duplicates d(w);
  const Headers key{{"Idempotency-Key", "merge-ana-lima-1"}};
  const auto first = merge(d.founder, d.survivor, d.duplicate, key);
  REQUIRE(first.status == 201);
  const auto again = merge(d.founder, d.survivor, d.duplicate, key);
  CHECK(again.status == 201);
  CHECK(again.body == first.body);
  CHECK(again.header("location") == first.header("location"));
  CHECK(ids_in(d.founder.get("/api/v1/contact-merges").json()).size() == 1);
  check_problem(merge(d.founder, d.survivor, missing_id, key), 422, "Idempotency-Key");
  // Without the key, the retry finds the duplicate gone.
  check_problem(merge(d.founder, d.survivor, d.duplicate), 404, "duplicate_id");
}

TEST_CASE("merged emails and phones stop at 20 and tags at 50, the fields' limits") {
  World w;
  json::array emails, tags, more_emails, more_tags;
  for (int i = 0; i < 19; ++i) emails.emplace_back("ana" + std::to_string(i) + "@sandhill.vc");
  for (int i = 0; i < 49; ++i) tags.emplace_back("tag" + std::to_string(i));
  for (int i = 0; i < 3; ++i) more_emails.emplace_back("lima" + std::to_string(i) + "@gmail.com");
  for (int i = 0; i < 3; ++i) more_tags.emplace_back("more" + std::to_string(i));
  const auto survivor = id_of(World::create(w.alpha_member, "contacts", {{"emails", emails}, {"tags", tags}}));
  const auto duplicate =
      id_of(World::create(w.alpha_member, "contacts", {{"emails", more_emails}, {"tags", more_tags}}));
  merged(w.alpha_member, survivor, duplicate);
  const json::object c = read(w.alpha_member, "contacts", survivor);
  CHECK(c.at("emails").as_array().size() == 20);
  CHECK(c.at("emails").as_array().back() == "lima0@gmail.com");
  CHECK(c.at("tags").as_array().size() == 50);
  CHECK(c.at("tags").as_array().back() == "more0");
}

TEST_CASE("merges are listed newest first, by survivor or by duplicate, a page at a time") {
  World w;
  HttpClient& as = w.alpha_member;
  std::vector<std::int64_t> contacts;
  for (int i = 0; i < 4; ++i)
    contacts.push_back(id_of(World::create(as, "contacts", {{"first_name", "Person " + std::to_string(i)}})));
  const auto m1 = id_of(merged(as, contacts[0], contacts[1]));
  const auto m2 = id_of(merged(as, contacts[0], contacts[2]));
  const auto m3 = id_of(merged(as, contacts[3], contacts[0]));
  CHECK(ids_in(as.get("/api/v1/contact-merges").json()) == std::vector<std::int64_t>{m3, m2, m1});
  CHECK(ids_in(as.get("/api/v1/contact-merges?survivor_id=" + std::to_string(contacts[0])).json()) ==
        std::vector<std::int64_t>{m2, m1});
  CHECK(ids_in(as.get("/api/v1/contact-merges?duplicate_id=" + std::to_string(contacts[0])).json()) ==
        std::vector<std::int64_t>{m3});
  const json::value first = as.get("/api/v1/contact-merges?limit=2").json();
  CHECK(ids_in(first) == std::vector<std::int64_t>{m3, m2});
  REQUIRE(first.at("next_cursor").is_string());
  const json::value second =
      as.get("/api/v1/contact-merges?limit=2&cursor=" + std::string(first.at("next_cursor").as_string())).json();
  CHECK(ids_in(second) == std::vector<std::int64_t>{m1});
  CHECK(second.at("next_cursor").is_null());
  const json::value one = as.get("/api/v1/contact-merges").json().at("items").as_array()[2];
  CHECK(one == read(as, "contact-merges", m1));
  for (const char* bad : {"?limit=0", "?cursor=abc", "?survivor_id=x", "?contact=1"}) {
    INFO(bad);
    check_problem(as.get(std::string("/api/v1/contact-merges") + bad), 400);
  }
}

TEST_CASE("the OpenAPI document describes the merge routes: the body, If-Match, Idempotency-Key, the merge and the list's filters") {
  Daemon d;
  d.start();
  HttpClient anonymous = d.client();
  const json::value doc = anonymous.get("/api/v1/openapi.json").json();
  const json::object& paths = doc.at("paths").as_object();
  auto parameters = [&](const char* p, const char* method) {
    std::set<std::string> names;
    if (const auto* ps = paths.at(p).at(method).as_object().if_contains("parameters"))
      for (const auto& param : ps->as_array()) names.insert(std::string(param.at("name").as_string()));
    return names;
  };
  const json::value& merge_op = paths.at("/api/v1/contacts/{id}/merge").at("post");
  const json::value& body = merge_op.at("requestBody").at("content").at("application/json").at("schema");
  CHECK(body.at("required") == json::array{"duplicate_id"});
  CHECK(body.at("properties").at("duplicate_id").at("type") == "integer");
  CHECK(body.at("additionalProperties") == false);
  CHECK(parameters("/api/v1/contacts/{id}/merge", "post") == std::set<std::string>{"id", "If-Match", "Idempotency-Key"});
  const json::value& merge_doc = merge_op.at("responses").at("201").at("content").at("application/json").at("schema");
  for (const char* field : {"survivor_id", "duplicate_id", "moved", "survivor_before", "duplicate", "undo_result"}) {
    INFO(field);
    CHECK(merge_doc.at("properties").as_object().contains(field));
  }
  CHECK(merge_doc.at("properties").at("duplicate").at("$ref") == "#/components/schemas/Contact");
  CHECK(doc.at("components").at("schemas").as_object().contains("Contact"));
  CHECK(parameters("/api/v1/contact-merges", "get") ==
        std::set<std::string>{"survivor_id", "duplicate_id", "limit", "cursor"});
  CHECK(paths.at("/api/v1/contact-merges/{id}").as_object().contains("get"));
  CHECK(paths.at("/api/v1/contact-merges/{id}/undo").as_object().contains("post"));
}
