// The bundled export formats through the API, read back by software no one here wrote:
// Python's csv and json modules, vobject (vCard), icalendar (ICS) and openpyxl (XLSX), with
// the readers of tests/exports (read_*.py, whose JSON output is documented at their top).
// Each value read back is compared, field by field, with what the API's lists return for
// the same caller: names with accents byte for byte, a note with a comma, a quote and a
// newline, 1 234 567,89 EUR, lists and instants. The caller's tenancy and privacy rules
// apply: region staff never get the personal columns of a lead its organisation did not
// share, and another organisation's member never gets a row of Alpha's.
//
// The daemon loads the bundled plugins from the build tree (RELANCE_BUNDLED_PLUGINS); the
// readers run with RELANCE_TEST_PYTHON, the python3 that imports vobject, icalendar and
// openpyxl (tests/CMakeLists.txt).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path readers = fs::path(RELANCE_SOURCE_DIR) / "tests" / "exports";

// API keys that no export carries: the server's bookkeeping.
const std::set<std::string> server_only{"org_id", "version", "created_by", "updated_by", "redacted"};
// Columns the exports join beside the ids, not fields of the API's records (their values:
// exports_readable_test.cpp).
const std::set<std::string> joined_names{"organisation_name", "company_name", "contact_name", "owner_name",
                                         "assignee_name", "author_name", "lead_title", "source_event_name",
                                         "event_name", "partner_company_name"};

bool is_money(const std::string& column) { return column == "value" || column == "amount" || column == "amount_eur"; }

std::string str(const json::value& v) { return std::string(v.as_string()); }

std::int64_t id_of(const json::value& v) {
  if (v.is_string()) return std::stoll(str(v));
  return v.to_number<std::int64_t>();
}

// Numbers compare by value (openpyxl gives 1000 for 1000.0); anything else exactly.
bool same(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  return a == b;
}

std::string join(const json::array& items, const std::string& by) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : by) + str(i);
  return out;
}

// The rule of the csv exporter's formulas=neutralise (the default): a text cell starting
// with = + - @ tab or CR gets a leading quote, but for phone numbers (a list of them
// joined by ", " included).
std::string neutralised(const std::string& text) {
  bool phones = text.size() > 1;
  for (std::size_t at = 0; phones && at < text.size();) {
    const std::size_t end = std::min(text.find(", ", at), text.size());
    const std::string item = text.substr(at, end - at);
    phones = item.size() > 1 && item.front() == '+' && item.find_first_not_of("0123456789 .-", 1) == std::string::npos;
    at = end + 2;
  }
  if (!text.empty() && !phones && std::string("=+-@\t\r").find(text.front()) != std::string::npos) return "'" + text;
  return text;
}

// "2026-03-29T07:00:00.000Z" -> "2026-03-29T07:00:00Z" (ICS and vCard carry seconds).
std::string seconds_utc(const json::value& api_instant) { return str(api_instant).substr(0, 19) + "Z"; }

// What a format makes of the API's value of a column (nullptr: the API left the column out,
// as it does for a redacted record's personal fields).
using Mapping = std::function<json::value(const std::string& column, const json::value* api)>;

Mapping csv_mapping(bool decimal_comma) {
  return [decimal_comma](const std::string& column, const json::value* a) -> json::value {
    if (!a || a->is_null()) return "";
    if (a->is_bool()) return a->get_bool() ? "true" : "false";
    if (a->is_int64()) return json::string(std::to_string(a->get_int64()));
    if (a->is_array()) return json::string(neutralised(join(a->get_array(), ", ")));  // on one line
    std::string s = str(*a);
    if (is_money(column)) {
      if (decimal_comma) std::replace(s.begin(), s.end(), '.', ',');
      return json::string(s);
    }
    return json::string(neutralised(s));
  };
}

json::value jsonl_mapping(const std::string&, const json::value* a) { return a ? *a : json::value(nullptr); }

json::value xlsx_mapping(const std::string& column, const json::value* a) {
  if (!a || a->is_null()) return nullptr;
  if (a->is_array()) return a->get_array().empty() ? json::value(nullptr) : json::value(join(a->get_array(), ", "));
  if (!a->is_string()) return *a;
  if (is_money(column)) return std::strtod(a->as_string().c_str(), nullptr);
  if (a->as_string().empty()) return nullptr;  // xlsx has no empty-string cell
  return *a;  // texts, and instants and dates as read_xlsx.py writes them: the API's form
}

using Extras = std::map<std::string, std::function<json::value(const json::object& api_row)>>;

// Every row of an export equals the API's record of the same id, column by column, under
// `mapping`; rows in id order, one per record; every field the API gives is a column.
void compare(const std::string& what, std::vector<json::object> api, const json::value& exported,
             const Mapping& mapping, const Extras& extras = {}) {
  INFO(what);
  std::sort(api.begin(), api.end(),
            [](const json::object& a, const json::object& b) { return a.at("id").as_int64() < b.at("id").as_int64(); });
  REQUIRE(exported.is_array());
  const json::array& rows = exported.as_array();
  REQUIRE(rows.size() == api.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json::object& row = rows[i].as_object();
    const json::object& record = api[i];
    INFO("row " << i + 1 << ", the API's record " << json::serialize(record));
    CHECK(id_of(row.at("id")) == record.at("id").as_int64());
    const bool redacted = record.contains("redacted");
    for (const auto& [key, value] : row) {
      const std::string column(key);
      json::value want;
      if (const json::value* a = record.if_contains(column)) {
        want = mapping(column, a);
      } else if (auto e = extras.find(column); e != extras.end()) {
        const json::value joined = e->second(record);
        want = mapping(column, &joined);
      } else if (joined_names.count(column)) {
        continue;
      } else if (redacted) {
        want = mapping(column, nullptr);  // a personal field the caller may not read: empty
      } else {
        FAIL_CHECK("column " << column << " of the export is not a field of the API");
        continue;
      }
      INFO("column " << column << ": exported " << json::serialize(value) << ", the API's "
                     << json::serialize(want));
      CHECK(same(value, want));
    }
    for (const auto& [key, value] : record) {
      INFO("the API's field " << std::string(key));
      if (!server_only.count(std::string(key))) CHECK(row.contains(key));
    }
  }
}

std::vector<json::object> list(HttpClient& c, const std::string& collection) { return list_all(c, collection); }

std::set<std::int64_t> ids_of(const std::vector<json::object>& records) {
  std::set<std::int64_t> out;
  for (const auto& r : records) out.insert(r.at("id").as_int64());
  return out;
}

// Exports through the API and the readers, with their files in one temporary folder.
class Reader {
 public:
  // The body of GET /api/v1/exports/<target>; REQUIREs a 200.
  static std::string fetch(HttpClient& c, const std::string& target) {
    auto r = c.get("/api/v1/exports/" + target);
    INFO("GET /api/v1/exports/" << target << " -> " << r.status << " " << r.body.substr(0, 1000));
    REQUIRE(r.status == 200);
    return r.body;
  }

  // read_<reader>.py run on `body`: its JSON document.
  json::object read(const std::string& reader, const std::string& body, const std::string& args = "") {
    const std::string in = dir_.file("export-" + std::to_string(++count_) + "." + reader);
    const std::string out = in + ".json";
    {
      std::ofstream f(in, std::ios::binary);
      f.write(body.data(), static_cast<std::streamsize>(body.size()));
    }
    const std::string cmd = quoted(RELANCE_TEST_PYTHON) + " " + quoted((readers / ("read_" + reader + ".py")).string()) +
                            " " + quoted(in) + " " + args + " >" + quoted(out);
    auto [code, text] = shell(cmd);
    INFO(cmd << ": " << text);
    REQUIRE(code == 0);
    std::ifstream f(out, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return json::parse(s.str()).as_object();
  }

  // GET then read.
  json::object get(HttpClient& c, const std::string& target, const std::string& reader, const std::string& args = "") {
    return read(reader, fetch(c, target), args);
  }

 private:
  TempDir dir_;
  int count_ = 0;
};

// Alpha's records with the hard values, created through the API by its member.
struct Data {
  World w{{{"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS}}};
  json::object company, zoe, aegir, lead_eur, lead_jpy, outcome, summer, winter, utc;

  static constexpr const char* zoe_notes = "Met at CES, said \"call me\"\nafter the fair";

  Data() {
    auto& m = w.alpha_member;
    company = World::create(m, "companies",
                            {{"name", "Müller & Fils, SARL"}, {"domain", "muller.example"}, {"country", "FR"},
                             {"kind", "customer"}, {"tags", json::array{"b2b"}},
                             {"notes", "Café meeting; \"big\" deal"}});
    zoe = World::create(
        m, "contacts",
        {{"first_name", "Zoé"}, {"last_name", "Châteauneuf-Müller"},
         {"emails", json::array{"zoe@chateauneuf-muller.fr", "Zoe.CM@Robotique.Example.com"}},
         {"phones", json::array{"+33 6 12 34 56 78", "+1 415 555 0100"}}, {"company_id", company.at("id")},
         {"title", "Directrice R&D, robotique"}, {"city", "Lyon"}, {"country", "FR"},
         {"linkedin_url", "https://www.linkedin.com/in/zoe-chateauneuf-muller"},
         {"tags", json::array{"ces", "deep tech", "robots, drones; more"}}, {"notes", zoe_notes},
         {"met_at", "2026-01-07T10:15:00-08:00"}, {"met_where", "CES, Las Vegas"},
         {"lawful_basis", "legitimate-interest"}, {"time_zone", "America/Los_Angeles"}});
    aegir = World::create(m, "contacts",
                          {{"first_name", "Ægir"}, {"last_name", "Œdipe"}, {"title", "=1+1 founder"}});
    lead_eur = World::create(m, "leads",
                             {{"title", "Série A – robots"}, {"contact_id", zoe.at("id")}, {"company_id", company.at("id")},
                              {"value", "1234567.89"}, {"currency", "EUR"}, {"expected_close", "2026-06-30"},
                              {"tags", json::array{"series-a"}}, {"notes", "Budget confirmed, \"soft\" commit\nnext: term sheet"}});
    lead_jpy = World::create(m, "leads", {{"title", "Tokyo pilot"}, {"contact_id", aegir.at("id")}, {"value", "1000"},
                                          {"currency", "JPY"}, {"shared_with_region", true}});
    outcome = World::create(m, "outcomes",
                            {{"lead_id", lead_eur.at("id")}, {"partner_company_id", company.at("id")}, {"kind", "investment"},
                             {"amount", "1234567.89"}, {"currency", "EUR"}, {"jobs", 12}, {"occurred_on", "2026-03-02"},
                             {"evidence", "Press release, 2 March"}, {"notes", "Signed at last"}});
    // 07:00Z on the day Paris moves to summer time: 09:00 in Paris, midnight in Los Angeles.
    summer = World::create(m, "followups",
                           {{"title", "Call Zoé back, as promised"}, {"due_at", "2026-03-29T07:00:00Z"},
                            {"time_zone", "Europe/Paris"}, {"contact_id", zoe.at("id")}, {"lead_id", lead_eur.at("id")},
                            {"notes", "Ask about the \"deck\"; bring numbers"}});
    winter = World::create(m, "followups",
                           {{"title", "Send the winter report"}, {"due_at", "2026-01-15T16:30:00Z"},
                            {"time_zone", "Europe/Paris"}, {"contact_id", zoe.at("id")}});
    utc = World::create(m, "followups", {{"title", "Ping Ægir"}, {"due_at", "2026-02-01T12:00:00Z"},
                                         {"contact_id", aegir.at("id")}});
  }
};

// contact_time_zone, the column follow-up exports join from the contact.
Extras contact_zone(const std::vector<json::object>& contacts) {
  std::map<std::int64_t, json::value> zones;
  for (const auto& c : contacts) zones[c.at("id").as_int64()] = c.at("time_zone");
  return {{"contact_time_zone", [zones](const json::object& f) -> json::value {
             if (!f.at("contact_id").is_int64()) return nullptr;
             auto it = zones.find(f.at("contact_id").as_int64());
             return it == zones.end() ? json::value(nullptr) : it->second;
           }}};
}

const json::object& by_id(const json::array& rows, std::int64_t id) {
  for (const auto& r : rows)
    if (id_of(r.at("id")) == id) return r.as_object();
  FAIL("no row " << id);
  static json::object none;
  return none;
}

}  // namespace

TEST_CASE("csv exports read back by Python's csv module equal the API's records field by field in both locales") {
  Data d;
  Reader x;
  auto& m = d.w.alpha_member;
  for (const std::string dataset : {"contacts", "leads", "companies", "outcomes"}) {
    const auto api = list(m, dataset);
    const auto en = x.get(m, "csv?dataset=" + dataset + "&headers=fields", "csv", "--datasets " + dataset);
    CHECK(en.at("bom") == false);
    CHECK(en.at("delimiter") == ",");
    compare("csv " + dataset, api, en.at("datasets").at(dataset), csv_mapping(false));
    const auto fr = x.get(m, "csv?dataset=" + dataset + "&locale=fr&headers=fields&dates=iso", "csv", "--datasets " + dataset);
    CHECK(fr.at("bom") == true);
    CHECK(fr.at("delimiter") == ";");
    compare("csv fr " + dataset, api, fr.at("datasets").at(dataset), csv_mapping(true));
  }
  // The hard values, as a spreadsheet user sees them.
  const auto fr = x.get(m, "csv?dataset=contacts,leads&locale=fr&headers=fields&dates=iso", "csv", "--datasets contacts,leads");
  const auto& zoe = by_id(fr.at("datasets").at("contacts").as_array(), d.zoe.at("id").as_int64());
  CHECK(zoe.at("first_name") == "Zoé");
  CHECK(zoe.at("last_name") == "Châteauneuf-Müller");
  CHECK(zoe.at("notes") == Data::zoe_notes);
  CHECK(zoe.at("phones") == "+33612345678, +14155550100");  // a phone number, not a formula
  CHECK(zoe.at("tags") == "ces, deep tech, robots, drones; more");
  CHECK(zoe.at("time_zone") == "America/Los_Angeles");
  CHECK(by_id(fr.at("datasets").at("contacts").as_array(), d.aegir.at("id").as_int64()).at("title") == "'=1+1 founder");
  const auto& leads = fr.at("datasets").at("leads").as_array();
  CHECK(by_id(leads, d.lead_eur.at("id").as_int64()).at("value") == "1234567,89");
  CHECK(by_id(leads, d.lead_eur.at("id").as_int64()).at("currency") == "EUR");
  CHECK(by_id(leads, d.lead_jpy.at("id").as_int64()).at("value") == "1000");
  const auto en = x.get(m, "csv?dataset=leads&headers=fields", "csv", "--datasets leads");
  CHECK(by_id(en.at("datasets").at("leads").as_array(), d.lead_eur.at("id").as_int64()).at("value") == "1234567.89");
}

TEST_CASE("jsonl exports read back by Python's json module equal the API's records field by field") {
  Data d;
  Reader x;
  auto& m = d.w.alpha_member;
  const auto contacts = list(m, "contacts");
  for (const std::string dataset : {"contacts", "leads", "companies", "outcomes", "followups"}) {
    const auto doc = x.get(m, "jsonl?dataset=" + dataset, "jsonl", "--dataset " + dataset);
    CHECK(doc.at("tagged") == false);
    compare("jsonl " + dataset, list(m, dataset), doc.at("datasets").at(dataset), jsonl_mapping,
            dataset == "followups" ? contact_zone(contacts) : Extras{});
  }
  // Several datasets in one file: each object tagged with its own.
  const auto both = x.get(m, "jsonl?dataset=contacts,leads", "jsonl");
  CHECK(both.at("tagged") == true);
  compare("jsonl contacts of two", contacts, both.at("datasets").at("contacts"), jsonl_mapping);
  compare("jsonl leads of two", list(m, "leads"), both.at("datasets").at("leads"), jsonl_mapping);
  const auto& zoe = by_id(both.at("datasets").at("contacts").as_array(), d.zoe.at("id").as_int64());
  CHECK(zoe.at("first_name") == "Zoé");
  CHECK(zoe.at("notes") == Data::zoe_notes);
  CHECK(zoe.at("phones") == json::array{"+33612345678", "+14155550100"});
  CHECK(by_id(both.at("datasets").at("leads").as_array(), d.lead_eur.at("id").as_int64()).at("value") == "1234567.89");
}

TEST_CASE("vcard 4.0 and 3.0 exports read back by vobject carry each contact's names emails phones note tags and URL") {
  Data d;
  Reader x;
  auto& m = d.w.alpha_member;
  auto contacts = list(m, "contacts");
  std::sort(contacts.begin(), contacts.end(),
            [](const json::object& a, const json::object& b) { return a.at("id").as_int64() < b.at("id").as_int64(); });
  for (const std::string version : {"4.0", "3.0"}) {
    INFO("vCard " << version);
    const bool v4 = version == "4.0";
    const auto doc = x.get(m, "vcard?dataset=contacts&version=" + version, "vcard");
    const auto& cards = doc.at("datasets").at("contacts").as_array();
    REQUIRE(cards.size() == contacts.size());
    for (std::size_t i = 0; i < cards.size(); ++i) {
      const auto& card = cards[i].as_object();
      const auto& c = contacts[i];
      INFO("card " << json::serialize(card) << " of " << json::serialize(c));
      CHECK(str(card.at("version")) == version);
      CHECK(str(card.at("uid")) == "urn:relance:contact:" + std::to_string(c.at("id").as_int64()));
      CHECK(str(card.at("fn")) == str(c.at("first_name")) + " " + str(c.at("last_name")));
      CHECK(card.at("n").at("family") == c.at("last_name"));
      CHECK(card.at("n").at("given") == c.at("first_name"));
      const auto& emails = card.at("emails").as_array();
      const json::array no_list;
      const auto& api_emails = c.at("emails").is_array() ? c.at("emails").as_array() : no_list;
      REQUIRE(emails.size() == api_emails.size());
      for (std::size_t k = 0; k < emails.size(); ++k) {
        CHECK(emails[k].at("value") == api_emails[k]);
        CHECK(emails[k].at("pref") == (k == 0));
        CHECK(emails[k].at("types") == (v4 ? json::array{"work"} : json::array{"internet", "work"}));
      }
      const auto& phones = card.at("phones").as_array();
      const auto& api_phones = c.at("phones").is_array() ? c.at("phones").as_array() : no_list;
      REQUIRE(phones.size() == api_phones.size());
      for (std::size_t k = 0; k < phones.size(); ++k) {
        CHECK(phones[k].at("number") == api_phones[k]);
        CHECK(str(phones[k].at("value")) == (v4 ? "tel:" : "") + str(api_phones[k]));
        CHECK(phones[k].at("pref") == (k == 0));
      }
      const auto& api_tags = c.at("tags").is_array() ? c.at("tags").as_array() : no_list;
      CHECK(card.at("categories") == api_tags);
      auto text = [&](const char* property, const char* field) {
        INFO(property << " and " << field);
        if (c.at(field).is_null()) CHECK_FALSE(card.contains(property));
        else CHECK((card.if_contains(property) && *card.if_contains(property) == c.at(field)));
      };
      text("note", "notes");
      text("url", "linkedin_url");
      text("title", "title");
      if (c.at("city").is_null() && c.at("country").is_null()) {
        CHECK_FALSE(card.contains("adr"));
      } else {
        CHECK(card.at("adr").at("locality") == c.at("city"));
        CHECK(card.at("adr").at("country") == c.at("country"));
      }
      // REV: the last update, to the second.
      std::string rev = seconds_utc(c.at("updated_at"));
      if (v4) std::erase_if(rev, [](char ch) { return ch == '-' || ch == ':'; });
      CHECK(str(card.at("rev")) == rev);
    }
    const auto& zoe = cards[0].as_object();  // the first contact created
    CHECK(zoe.at("fn") == "Zoé Châteauneuf-Müller");
    CHECK(zoe.at("note") == Data::zoe_notes);
    CHECK(zoe.at("categories") == json::array{"ces", "deep tech", "robots, drones; more"});
    CHECK(zoe.at("title") == "Directrice R&D, robotique");
    CHECK(cards[1].at("fn") == "Ægir Œdipe");
  }
}

TEST_CASE(
    "ics exports read back by icalendar as to-dos or events fall at the follow-ups' instants with the contact's "
    "local time") {
  Data d;
  Reader x;
  auto& m = d.w.alpha_member;
  const auto followups = list(m, "followups");
  REQUIRE(followups.size() == 3);
  const std::map<std::string, std::string> end_45{{"2026-03-29T07:00:00Z", "2026-03-29T07:45:00Z"},
                                                  {"2026-01-15T16:30:00Z", "2026-01-15T17:15:00Z"},
                                                  {"2026-02-01T12:00:00Z", "2026-02-01T12:45:00Z"}};
  // In the assignee's zone (Paris), or UTC for the follow-up without one.
  const std::map<std::string, std::pair<std::string, std::string>> local{
      {"2026-03-29T07:00:00Z", {"2026-03-29T09:00:00", "Europe/Paris"}},
      {"2026-01-15T16:30:00Z", {"2026-01-15T17:30:00", "Europe/Paris"}},
      {"2026-02-01T12:00:00Z", {"2026-02-01T12:00:00", "UTC"}}};
  // The contact's local time: midnight in Los Angeles on the day Paris changes its clocks,
  // 08:30 in winter; nothing for a contact without a time zone.
  const std::map<std::string, std::string> contact_line{
      {"2026-03-29T07:00:00Z", "Contact's local time: 00:00 America/Los_Angeles"},
      {"2026-01-15T16:30:00Z", "Contact's local time: 08:30 America/Los_Angeles"}};

  for (const std::string component : {"VTODO", "VEVENT"}) {
    INFO(component);
    const bool event = component == "VEVENT";
    const auto doc = x.get(m, "ics?dataset=followups&component=" + component +
                                  (event ? "&duration_minutes=45&alarm_minutes=10" : ""),
                           "ics");
    CHECK(doc.at("calendar").at("timezones") == json::array{"Europe/Paris"});
    std::map<std::string, json::object> items;
    for (const auto& i : doc.at("datasets").at("followups").as_array()) items[str(i.at("uid"))] = i.as_object();
    REQUIRE(items.size() == followups.size());
    for (const auto& f : followups) {
      const std::string uid = "followup-" + std::to_string(f.at("id").as_int64()) + "@relance";
      REQUIRE(items.count(uid));
      const auto& item = items.at(uid);
      INFO(json::serialize(item) << " of " << json::serialize(f));
      const std::string due = seconds_utc(f.at("due_at"));
      const std::string p = event ? "dtstart" : "due";
      CHECK(str(item.at("component")) == component);
      CHECK(item.at("summary") == f.at("title"));
      CHECK(str(item.at(p + "_utc")) == due);  // icalendar, the TZID as an IANA name
      CHECK(str(item.at(p + "_utc_vtimezone")) == due);  // through the file's VTIMEZONE
      CHECK(str(item.at(p)) == local.at(due).first);
      CHECK(str(item.at(p + "_tzid")) == local.at(due).second);
      if (event) {
        CHECK(str(item.at("dtend_utc")) == end_45.at(due));
        CHECK(str(item.at("dtend_utc_vtimezone")) == end_45.at(due));
        CHECK_FALSE(item.contains("due"));
        CHECK(item.at("status") == "CONFIRMED");
      } else {
        CHECK_FALSE(item.contains("dtstart"));
        CHECK(item.at("status") == "NEEDS-ACTION");
      }
      std::string description = f.at("notes").is_string() ? str(f.at("notes")) : "";
      if (contact_line.count(due)) description += (description.empty() ? "" : "\n\n") + contact_line.at(due);
      if (description.empty()) CHECK_FALSE(item.contains("description"));
      else CHECK(str(item.at("description")) == description);
      CHECK(str(item.at("last_modified")) == seconds_utc(f.at("updated_at")));
      CHECK(str(item.at("created")) == seconds_utc(f.at("created_at")));
      const auto& alarms = item.at("alarms").as_array();
      REQUIRE(alarms.size() == 1);
      CHECK(alarms[0].at("trigger_minutes") == (event ? -10 : -30));
      CHECK(alarms[0].at("related") == (event ? "START" : "END"));
      CHECK(alarms[0].at("description") == f.at("title"));
    }
    CHECK(str(items.at("followup-" + std::to_string(d.summer.at("id").as_int64()) + "@relance").at("description"))
              .ends_with("\n\nContact's local time: 00:00 America/Los_Angeles"));
  }
}

TEST_CASE("an xlsx export of contacts and leads read back by openpyxl equals the API's records cell by cell") {
  Data d;
  Reader x;
  auto& m = d.w.alpha_member;
  const auto doc = x.get(m, "xlsx?dataset=contacts,leads&headers=fields", "xlsx");
  const auto& sheets = doc.at("datasets").as_object();
  REQUIRE(sheets.size() == 2);
  compare("xlsx contacts", list(m, "contacts"), sheets.at("contacts"), xlsx_mapping);
  compare("xlsx leads", list(m, "leads"), sheets.at("leads"), xlsx_mapping);
  const auto& zoe = by_id(sheets.at("contacts").as_array(), d.zoe.at("id").as_int64());
  CHECK(zoe.at("first_name") == "Zoé");
  CHECK(zoe.at("last_name") == "Châteauneuf-Müller");
  CHECK(zoe.at("notes") == Data::zoe_notes);
  CHECK(zoe.at("phones") == "+33612345678, +14155550100");
  CHECK(zoe.at("met_at") == "2026-01-07T18:15:00.000Z");
  const auto& lead = by_id(sheets.at("leads").as_array(), d.lead_eur.at("id").as_int64());
  CHECK(lead.at("value").is_double());
  CHECK(lead.at("value") == 1234567.89);
  CHECK(lead.at("expected_close") == "2026-06-30");
  CHECK(by_id(sheets.at("leads").as_array(), d.lead_jpy.at("id").as_int64()).at("value").to_number<double>() == 1000);
  CHECK(by_id(sheets.at("leads").as_array(), d.lead_jpy.at("id").as_int64()).at("shared_with_region") == true);
}

TEST_CASE("region staff exports leave out the personal columns of leads their organisation did not share") {
  Data d;
  Reader x;
  auto& alpha = d.w.alpha_member;
  World::create(d.w.beta_member, "leads", {{"title", "Beta's own"}, {"notes", "beta secret, never for the region"}});
  World::create(d.w.beta_member, "companies", {{"name", "Beta Supplier"}, {"notes", "beta supplier secret"}});
  auto& staff = d.w.staff;
  const auto leads = list(staff, "leads");
  const auto companies = list(staff, "companies");
  // The staff's API lists: every organisation's, the unshared ones redacted.
  REQUIRE(leads.size() == 3);
  REQUIRE(companies.size() == 2);
  for (const auto& l : leads) {
    INFO(json::serialize(l));
    const bool shared = l.at("id") == d.lead_jpy.at("id");
    CHECK(l.contains("redacted") == !shared);
    CHECK(l.contains("notes") == shared);
  }
  {
    // The shared lead gets a note: the region may read it.
    auto r = alpha.patch("/api/v1/leads/" + std::to_string(d.lead_jpy.at("id").as_int64()),
                         {{"notes", "Shared, with a comma, a \"quote\"\nand a line"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
  }
  const auto leads_now = list(staff, "leads");
  for (const std::string dataset : {"leads", "companies"}) {
    const auto api = dataset == "leads" ? leads_now : companies;
    const std::string csv = Reader::fetch(staff, "csv?dataset=" + dataset + "&headers=fields");
    const std::string jsonl = Reader::fetch(staff, "jsonl?dataset=" + dataset);
    for (const char* secret : {"soft", "Café meeting", "beta secret", "beta supplier secret"}) {
      CHECK(csv.find(secret) == std::string::npos);
      CHECK(jsonl.find(secret) == std::string::npos);
    }
    compare("staff csv " + dataset, api, x.read("csv", csv, "--datasets " + dataset).at("datasets").at(dataset),
            csv_mapping(false));
    compare("staff jsonl " + dataset, api, x.read("jsonl", jsonl, "--dataset " + dataset).at("datasets").at(dataset),
            jsonl_mapping);
  }
  const auto xlsx = x.get(staff, "xlsx?dataset=leads,companies&headers=fields", "xlsx");
  compare("staff xlsx leads", leads_now, xlsx.at("datasets").at("leads"), xlsx_mapping);
  compare("staff xlsx companies", companies, xlsx.at("datasets").at("companies"), xlsx_mapping);

  // The unshared lead: no notes. The shared one: its notes, as Alpha wrote them.
  const auto rows = x.get(staff, "jsonl?dataset=leads", "jsonl", "--dataset leads").at("datasets").at("leads");
  CHECK(by_id(rows.as_array(), d.lead_eur.at("id").as_int64()).at("notes").is_null());
  CHECK(by_id(rows.as_array(), d.lead_jpy.at("id").as_int64()).at("notes") == "Shared, with a comma, a \"quote\"\nand a line");
  const auto cells = x.get(staff, "csv?dataset=leads&locale=fr&headers=fields", "csv", "--datasets leads").at("datasets").at("leads");
  CHECK(by_id(cells.as_array(), d.lead_eur.at("id").as_int64()).at("notes") == "");
  CHECK(by_id(cells.as_array(), d.lead_eur.at("id").as_int64()).at("value") == "1234567,89");  // not personal
  CHECK(by_id(cells.as_array(), d.lead_jpy.at("id").as_int64()).at("notes") == "Shared, with a comma, a \"quote\"\nand a line");

  // Contacts and follow-ups reach the region only through a shared lead: Ægir, not Zoé.
  const auto contacts = list(staff, "contacts");
  REQUIRE(contacts.size() == 1);
  CHECK(contacts[0].at("id") == d.aegir.at("id"));
  const auto jc = x.get(staff, "jsonl?dataset=contacts", "jsonl", "--dataset contacts");
  compare("staff jsonl contacts", contacts, jc.at("datasets").at("contacts"), jsonl_mapping);
  const auto cards = x.get(staff, "vcard?dataset=contacts", "vcard").at("datasets").at("contacts").as_array();
  REQUIRE(cards.size() == 1);
  CHECK(cards[0].at("fn") == "Ægir Œdipe");
  const auto staff_followups = list(staff, "followups");
  CHECK(staff_followups.empty());  // none hangs on the shared lead
  const auto ics = x.get(staff, "ics?dataset=followups", "ics");
  CHECK(ics.at("datasets").at("followups").as_array().empty());
}

TEST_CASE("members of another organisation never get a row of Alpha's in any export") {
  Data d;
  Reader x;
  auto& beta = d.w.beta_member;
  const auto contact = World::create(beta, "contacts", {{"first_name", "Bêta"}, {"last_name", "Böhm"},
                                                        {"time_zone", "Europe/Berlin"}, {"notes", "Beta's note"}});
  const auto company = World::create(beta, "companies", {{"name", "Beta Supplier"}});
  const auto lead = World::create(beta, "leads", {{"title", "Beta's own"}, {"contact_id", contact.at("id")},
                                                  {"value", "99.5"}, {"currency", "EUR"}});
  World::create(beta, "activities", {{"kind", "call"}, {"lead_id", lead.at("id")}, {"subject", "Called"}});
  World::create(beta, "followups", {{"title", "Beta's follow-up"}, {"due_at", "2026-03-29T07:00:00Z"},
                                    {"time_zone", "Europe/Berlin"}, {"contact_id", contact.at("id")}});
  World::create(beta, "outcomes", {{"kind", "pilot"}, {"lead_id", lead.at("id")}, {"partner_company_id", company.at("id")}});

  std::map<std::string, std::set<std::int64_t>> alpha_ids;
  const std::vector<std::string> datasets{"contacts", "companies", "leads", "activities", "followups", "outcomes"};
  std::map<std::string, std::vector<json::object>> api;
  for (const auto& dataset : datasets) {
    alpha_ids[dataset] = ids_of(list(d.w.alpha_member, dataset));
    api[dataset] = list(beta, dataset);
    REQUIRE_FALSE(api[dataset].empty());
  }
  auto none_of_alpha = [&](const std::string& dataset, const std::set<std::int64_t>& exported) {
    INFO(dataset);
    for (auto id : exported) CHECK_FALSE(alpha_ids[dataset].count(id));
    CHECK(exported == ids_of(api[dataset]));
  };
  auto ids = [](const json::value& rows) {
    std::set<std::int64_t> out;
    for (const auto& r : rows.as_array()) out.insert(id_of(r.at("id")));
    return out;
  };
  for (const auto& dataset : datasets) {
    const Extras extras = dataset == "followups" ? contact_zone(api["contacts"]) : Extras{};
    const auto csv = x.get(beta, "csv?dataset=" + dataset + "&headers=fields", "csv", "--datasets " + dataset).at("datasets").at(dataset);
    none_of_alpha(dataset, ids(csv));
    compare("beta csv " + dataset, api[dataset], csv, csv_mapping(false), extras);
    const auto jsonl = x.get(beta, "jsonl?dataset=" + dataset, "jsonl", "--dataset " + dataset).at("datasets").at(dataset);
    none_of_alpha(dataset, ids(jsonl));
    compare("beta jsonl " + dataset, api[dataset], jsonl, jsonl_mapping, extras);
  }
  std::string all;
  for (const auto& dataset : datasets) all += (all.empty() ? "" : ",") + dataset;
  const auto book = x.get(beta, "xlsx?dataset=" + all + "&headers=fields", "xlsx");
  for (const auto& dataset : datasets) {
    none_of_alpha(dataset, ids(book.at("datasets").at(dataset)));
    compare("beta xlsx " + dataset, api[dataset], book.at("datasets").at(dataset), xlsx_mapping,
            dataset == "followups" ? contact_zone(api["contacts"]) : Extras{});
  }
  const auto cards = x.get(beta, "vcard?dataset=contacts", "vcard").at("datasets").at("contacts").as_array();
  REQUIRE(cards.size() == 1);
  CHECK(str(cards[0].at("uid")) == "urn:relance:contact:" + std::to_string(contact.at("id").as_int64()));
  CHECK(cards[0].at("fn") == "Bêta Böhm");
  const auto todos = x.get(beta, "ics?dataset=followups", "ics").at("datasets").at("followups").as_array();
  REQUIRE(todos.size() == 1);
  CHECK(todos[0].at("summary") == "Beta's follow-up");
  CHECK(todos[0].at("description") == "Contact's local time: 09:00 Europe/Berlin");
}
