// POST /api/v1/import-columns: how an import would map a CSV file's columns, asked with its
// first lines before the file is sent, so that a client shows the server's own guess and
// lets its user change it (the web app's mapping editor). The guess is the import's: the
// preset that recognises the header (LinkedIn's after its notes preamble), "ignore" for a
// column none takes, and a header no preset knows answered, not refused; a mapping
// changed from LinkedIn's reading still finds its header after the notes preamble.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

json::object guess(HttpClient& c, const std::string& head) {
  auto r = c.request("POST", "/api/v1/import-columns", head, {{"Content-Type", "text/csv"}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

std::map<std::string, std::string> fields_of(const json::object& o) {
  std::map<std::string, std::string> out;
  for (const auto& c : o.at("columns").as_array())
    out[std::string(c.at("name").as_string())] = std::string(c.at("field").as_string());
  return out;
}

// A query parameter's value, percent-encoded.
std::string url_encode(const std::string& v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

TEST_CASE("A spreadsheet's columns come back with the fields the import would give them, an unknown column as ignore") {
  World w;
  const auto o = guess(w.alpha_member, "\xEF\xBB\xBFPr\xC3\xA9nom;Nom;Courriel;Salon;Ville\r\n"
                                       "\xC3\x89lo\xC3\xAF" "se;Dupr\xC3\xA9;eloise@example.org;VivaTech;Besan\xC3\xA7on\r\n");
  INFO(json::serialize(o));
  CHECK(o.at("preset") == "generic");
  CHECK(o.at("delimiter") == ";");
  CHECK(o.at("encoding") == "UTF-8 with BOM");
  CHECK(fields_of(o) == std::map<std::string, std::string>{{"Prénom", "first_name"}, {"Nom", "last_name"},
                                                           {"Courriel", "emails"}, {"Salon", "ignore"},
                                                           {"Ville", "city"}});
  // The columns in the file's order, and the fields a mapping may name.
  CHECK(o.at("columns").as_array().at(3).at("name") == "Salon");
  const auto& fields = o.at("fields").as_array();
  for (const char* f : {"first_name", "last_name", "emails", "phones", "met_where", "company", "full_name", "ignore"})
    CHECK(std::find(fields.begin(), fields.end(), json::value(f)) != fields.end());
  CHECK(std::find(fields.begin(), fields.end(), json::value("company_id")) == fields.end());
}

const std::string linkedin_head =
    "Notes:\n\"When exporting your connection data, you may notice that some of the email "
                       "addresses are missing.\"\n\n"
                       "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                       "Priya,Raman,https://www.linkedin.com/in/priya-raman,priya@lumenlabs.io,Lumen Labs,VP,09 Mar 2026\n";

TEST_CASE("LinkedIn's export is recognised after its notes preamble, as the import reads it") {
  World w;
  const auto o = guess(w.alpha_admin, linkedin_head);
  INFO(json::serialize(o));
  CHECK(o.at("preset") == "linkedin");
  CHECK(o.at("header_line").to_number<int>() == 4);
  CHECK(fields_of(o).at("URL") == "linkedin_url");
}

TEST_CASE("A mapping changed from LinkedIn's reading imports its file after the notes preamble") {
  World w;
  const std::string mapping = R"({"First Name":"first_name","Last Name":"last_name","URL":"linkedin_url",)"
                              R"("Email Address":"emails","Company":"company","Position":"met_where","Connected On":"ignore"})";
  auto r = w.alpha_admin.request("POST", "/api/v1/imports?dry_run=true&mapping=" + url_encode(mapping), linkedin_head,
                                 {{"Content-Type", "text/csv"}});
  INFO(r.body);
  REQUIRE(r.status == 202);
  json::object job;
  for (int i = 0; i < 200; ++i) {
    job = w.alpha_admin.get(r.header("location")).json().as_object();
    if (job.at("state") == "done" || job.at("state") == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO(json::serialize(job));
  CHECK(job.at("state") == "done");
  CHECK(job.at("preset") == "custom");
  CHECK(job.at("created").to_number<int>() == 1);
}

TEST_CASE("The columns of a file too large to import are still read, the import refusing it when it is sent") {
  World w(std::map<std::string, std::string>{{"RELANCE_IMPORTS_MAX_BYTES", "4000"}});
  std::string file = "Pr\xC3\xA9nom;Nom;Salon\r\n";
  for (int i = 0; file.size() < 6000; ++i) file += "Ana\xC3\xAFs;Roux-" + std::to_string(i) + ";VivaTech\r\n";
  const auto o = guess(w.alpha_member, file);
  CHECK(fields_of(o) == std::map<std::string, std::string>{{"Prénom", "first_name"}, {"Nom", "last_name"}, {"Salon", "ignore"}});
  CHECK(w.alpha_member.request("POST", "/api/v1/imports", file, {{"Content-Type", "text/csv"}}).status == 413);
}

TEST_CASE("A header no preset knows is answered with every column to map, and a file that is not text is refused") {
  World w;
  const auto o = guess(w.alpha_admin, "Kunde,Stadt\nJana,Köln\n");
  CHECK(o.at("preset").is_null());
  CHECK(fields_of(o) == std::map<std::string, std::string>{{"Kunde", "ignore"}, {"Stadt", "ignore"}});

  auto binary = w.alpha_admin.request("POST", "/api/v1/import-columns", std::string("\x00\x01\x02PK\x03\x04", 8),
                                      {{"Content-Type", "text/csv"}});
  CHECK(binary.status == 422);
  auto vcard = w.alpha_admin.request("POST", "/api/v1/import-columns", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jana\r\nEND:VCARD\r\n",
                                     {{"Content-Type", "text/csv"}});
  CHECK(vcard.status == 422);
  CHECK(vcard.body.find("no columns to map") != std::string::npos);
  auto empty = w.alpha_admin.request("POST", "/api/v1/import-columns", "", {{"Content-Type", "text/csv"}});
  CHECK(empty.status == 400);
}
