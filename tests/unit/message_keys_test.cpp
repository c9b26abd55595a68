// The catalogue against the code that uses it: every key written in the sources (say("..."),
// message(locale, "...")) is in core/domain/message_catalogue.cpp, so that a key added to a
// command and forgotten in the catalogue fails here rather than showing "cli.some.key" to a
// user; and the words looked up by family ("cli.import.state." + state) are there too.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "domain/messages.hpp"
#include "relance/model/schema.hpp"

using namespace relance;
namespace fs = std::filesystem;

namespace {

std::set<std::string, std::less<>> catalogue_keys() {
  std::set<std::string, std::less<>> keys;
  for (const domain::CatalogueEntry& e : domain::message_catalogue()) keys.emplace(e.key);
  return keys;
}

// Each string literal of core/ shaped like a key of one of the catalogue's families ("cli.",
// "link.", "password."...), with a file that uses it. A literal ending in "." is a family's
// prefix, completed at run time: the test below checks those words.
std::map<std::string, std::string> keys_in_sources() {
  std::set<std::string, std::less<>> families;
  for (const domain::CatalogueEntry& e : domain::message_catalogue())
    families.emplace(e.key.substr(0, e.key.find('.')));
  static const std::regex key_literal(R"re("([a-z_]+)((?:\.[a-z0-9_]+)+)")re");
  std::map<std::string, std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(RELANCE_SOURCE_DIR) / "core")) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
    if (entry.path().filename() == "message_catalogue.cpp") continue;  // the catalogue itself
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator m(text.begin(), text.end(), key_literal), end; m != end; ++m)
      if (families.count((*m)[1].str()))
        found.emplace((*m)[1].str() + (*m)[2].str(), entry.path().lexically_relative(RELANCE_SOURCE_DIR).string());
  }
  return found;
}

}  // namespace

TEST_CASE("every message key written in the sources is in the catalogue") {
  const auto keys = catalogue_keys();
  const auto used = keys_in_sources();
  REQUIRE(used.count("cli.login.refused") == 1);  // the scan reads the command line's sources
  for (const auto& [key, file] : used) {
    INFO(key << " in " << file);
    CHECK(keys.count(key) == 1);
  }
}

TEST_CASE("the words looked up by family are in the catalogue") {
  const auto keys = catalogue_keys();
  std::vector<std::string> expected;
  for (const char* w : {"today", "overdue", "upcoming"}) expected.push_back(std::string("cli.nothing.") + w);
  for (const char* w : {"queued", "running", "done", "failed"})
    expected.push_back(std::string("cli.import.state.") + w);
  for (const char* w : {"checking", "importing", "reporting"}) expected.push_back(std::string("cli.import.phase.") + w);
  for (const char* w : {"done", "cancelled"}) expected.push_back(std::string("status.") + w);
  for (const char* w : {"new", "contacted", "meeting", "proposal", "won", "lost"})
    expected.push_back(std::string("stage.") + w);
  // What a merge moves to the surviving contact: every row that references a contact.
  for (const storage::Reference& ref : storage::references_to(storage::entities::contacts))
    expected.push_back("cli.rows." + std::string(ref.by->name));
  for (const std::string& key : expected) {
    INFO(key);
    CHECK(keys.count(key) == 1);
  }
}

TEST_CASE("every sentence has the same blanks in English and French, and French typography") {
  for (const domain::CatalogueEntry& e : domain::message_catalogue()) {
    INFO(e.key);
    for (char digit = '0'; digit <= '9'; ++digit) {
      const std::string blank = {'{', digit, '}'};
      CHECK((e.en.find(blank) == std::string_view::npos) == (e.fr.find(blank) == std::string_view::npos));
    }
    // A no-break space, never a plain one or none, before a colon, semicolon or question
    // mark (":" inside a URL or a command example has no space before it).
    for (const char* mark : {" :", " ;", " ?", "« ", " »"}) CHECK(e.fr.find(mark) == std::string_view::npos);
    for (std::size_t at = e.fr.find_first_of(";?"); at != std::string_view::npos; at = e.fr.find_first_of(";?", at + 1))
      CHECK(e.fr.substr(0, at).ends_with("\u00a0"));
  }
}

TEST_CASE("a command-line sentence is the same in English as before, and French in French") {
  using domain::Locale;
  CHECK(domain::message(Locale::en, "cli.import.summary.import", {"linkedin.csv", "done"}) ==
        "Import of linkedin.csv: done");
  CHECK(domain::message(Locale::fr, "cli.import.summary.import", {"linkedin.csv", "terminé"}) ==
        "Import de linkedin.csv\u00a0: terminé");
  CHECK(domain::message(Locale::fr, "cli.login.refused") ==
        "connexion refusée\u00a0: adresse e-mail ou mot de passe incorrect");
  CHECK(domain::word_label(Locale::fr, "cli.import.state.", "done") == "terminé");
  CHECK(domain::word_label(Locale::fr, "cli.import.state.", "paused") == "paused");  // a newer daemon's state
}
