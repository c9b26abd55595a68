// Exporter instances as sdk/include/relance/exporter.h and docs/sdk.md (4.12) describe them:
// made per export for the caller's organisation, named "export", with the defaults of the
// settings the plugin documents as their settings (typed as declared), and the request's
// options alone, without defaults; an exporter that requires a setting without a default
// offers no format, and the log says why. Fixtures: tests/plugins/exporter_settings.cpp.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

struct ExporterWorld {
  TempDir plugins;
  World w;
  ExporterWorld() : w(env(plugins)) {}
  static std::map<std::string, std::string> env(const TempDir& dir) {
    for (const char* name : {"exporter_stamp", "exporter_needs"})
      fs::copy_file(fs::path(RELANCE_FIXTURE_PLUGINS) / (std::string("fixture_") + name + ".so"),
                    dir.path() / (std::string(name) + ".so"));
    return {{"RELANCE_PLUGINS_DIRECTORIES", dir.path().string()}};
  }
};

// The file's "key value" lines.
std::map<std::string, std::string> lines_of(const std::string& body) {
  std::map<std::string, std::string> out;
  std::size_t at = 0;
  while (at < body.size()) {
    const std::size_t end = body.find('\n', at);
    const std::string line = body.substr(at, end == std::string::npos ? std::string::npos : end - at);
    const std::size_t space = line.find(' ');
    if (space != std::string::npos) out[line.substr(0, space)] = line.substr(space + 1);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("an exporter's instance is the caller's organisation's and gets the defaults of its documented settings, and options without defaults") {
  ExporterWorld s;
  World::create(s.w.alpha_member, "contacts", {{"first_name", "Zoé"}, {"last_name", "Lefèvre"}});

  auto r = s.w.alpha_member.get("/api/v1/exports/stamp?dataset=contacts&note=D%C3%A9j%C3%A0%20vu%20%F0%9F%93%8E");
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto file = lines_of(r.body);
  CHECK(file["org"] == std::to_string(s.w.alpha_id));
  CHECK(file["name"] == "export");
  const json::object settings = json::parse(file["settings"]).as_object();
  CHECK(settings.size() == 4);  // "title" documents no default: absent
  CHECK(settings.at("separator") == "|");
  CHECK(settings.at("width") == 80);
  CHECK(settings.at("ratio").as_double() == 0.5);
  CHECK(settings.at("upper") == false);
  CHECK(json::parse(file["options"]).as_object() == json::object{{"note", "Déjà vu 📎"}});

  // Another organisation's export is made by an instance of its own.
  auto beta = s.w.beta_member.get("/api/v1/exports/stamp?dataset=contacts");
  REQUIRE(beta.status == 200);
  CHECK(lines_of(beta.body)["org"] == std::to_string(s.w.beta_id));
  CHECK(json::parse(lines_of(beta.body)["options"]).as_object().empty());  // no default filled in
}

TEST_CASE("an exporter that requires a setting without a default offers no format, and the log says which setting") {
  ExporterWorld s;
  auto formats = s.w.alpha_member.get("/api/v1/exports");
  INFO(formats.body);
  REQUIRE(formats.status == 200);
  bool stamp = false, needs = false;
  const json::value listed = formats.json();
  for (const auto& f : listed.at("items").as_array()) {
    stamp = stamp || f.at("format") == "stamp";
    needs = needs || f.at("format") == "needs";
  }
  CHECK(stamp);
  CHECK_FALSE(needs);
  CHECK(s.w.alpha_member.get("/api/v1/exports/needs?dataset=contacts").status == 404);
  CHECK(s.w.daemon.log().find("org.relance.fixture.exporter-needs: its exporter is not offered: it requires setting "
                              "api_url") != std::string::npos);
}
