// Contact import, reading side: CSV and vCard files shaped like real exports (fixtures in
// tests/fixtures/imports/) read into contact records.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "domain/json_text.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "imports/import.hpp"

using namespace relance;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path source_root = fs::path(RELANCE_SOURCE_DIR);

std::string fixture(const char* name) {
  return (source_root / "tests" / "fixtures" / "imports" / name).string();
}

imports::ImportOptions options() {
  imports::ImportOptions o;
  o.presets_dir = (source_root / "core" / "imports" / "presets").string();
  return o;
}

std::vector<imports::ImportRow> read_all(imports::RowSource& source) {
  std::vector<imports::ImportRow> rows;
  while (auto row = source.next()) rows.push_back(std::move(*row));
  return rows;
}

std::vector<imports::ImportRow> read_all(const std::string& path,
                                         const imports::ImportOptions& o = options()) {
  auto source = imports::open_file(path, o);
  return read_all(*source);
}

// A row's values as stored (storage::Row of contacts): text, and lists as their items.
std::string text(const imports::ImportRow& row, const char* field) {
  const std::string* t = row.contact.values.empty() ? nullptr : row.contact.text(storage::entities::contacts, field);
  return t ? *t : std::string();
}

std::vector<std::string> list(const imports::ImportRow& row, const char* field) {
  return row.contact.values.empty() ? std::vector<std::string>{} : domain::row_list(row.contact, storage::entities::contacts, field);
}

// The row has a value for the field (a name left out is stored empty, not null).
bool has(const imports::ImportRow& row, const char* field) {
  return !text(row, field).empty();
}

// The kind and detail of the Problem opening or reading the file throws.
std::pair<Problem::Kind, std::string> refusal(const std::string& path,
                                    const imports::ImportOptions& o = options()) {
  try {
    auto source = imports::open_file(path, o);
    read_all(*source);
    return {Problem::Kind::internal, "(read: " + source->description() + ")"};
  } catch (const Problem& p) {
    return {p.kind(), p.detail()};
  }
}

fs::path temp_file(const std::string& name, const std::string& bytes) {
  const char* tmp = std::getenv("RELANCE_TEST_TMP");
  const fs::path dir = fs::path(tmp ? tmp : fs::temp_directory_path().string()) / "imports";
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

bool has_warning(const imports::ImportRow& row, const std::string& part) {
  for (const std::string& w : row.warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a LinkedIn Connections export is read past its notice, with Connected On as met_at") {
  auto source = imports::open_file(fixture("linkedin_connections.csv"), options());
  CHECK(source->info().preset == "linkedin");
  CHECK(source->info().header_line == 4);
  CHECK(source->description() == "linkedin_connections.csv (UTF-8, ',', preset linkedin)");
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].line == 5);
  CHECK(rows[0].error.empty());
  CHECK(text(rows[0], "first_name") == "Priya");
  CHECK(text(rows[0], "last_name") == "Raman");
  CHECK(text(rows[0], "title") == "VP Engineering, Platform");
  CHECK(text(rows[0], "linkedin_url") == "https://www.linkedin.com/in/priya-raman-4b1a2c");
  CHECK(list(rows[0], "emails") == std::vector<std::string>{"priya@lumenlabs.io"});
  CHECK(text(rows[0], "met_at") == "2026-03-09T00:00:00.000Z");
  CHECK(rows[0].company == "Lumen Labs");
  CHECK(rows[1].error.empty());  // no email: LinkedIn often leaves it out
  CHECK_FALSE(has(rows[1], "emails"));
  CHECK(text(rows[2], "first_name") == "Zoé");
  CHECK(text(rows[2], "met_at") == "2026-02-28T00:00:00.000Z");
  CHECK(source->bytes_read() == source->info().size);
}

TEST_CASE("a Google Contacts export joins its numbered columns and splits multi-value cells") {
  const auto rows = read_all(fixture("google_contacts.csv"));
  REQUIRE(rows.size() == 2);
  const auto& sarah = rows[0];
  CHECK(sarah.error.empty());
  CHECK(list(sarah, "emails") ==
        std::vector<std::string>{"sarah@northwind.ai", "s.chen@gmail.com", "sarah.chen@icloud.com"});
  CHECK(list(sarah, "phones") == std::vector<std::string>{"+16502530000", "+14155550132"});
  CHECK(list(sarah, "tags") == std::vector<std::string>{"Trade mission SV 2026"});
  CHECK(sarah.company == "Northwind Robotics");
  CHECK(text(sarah, "title") == "CTO");
  CHECK(text(sarah, "city") == "San Francisco");
  CHECK(text(sarah, "country") == "US");
  CHECK(text(sarah, "linkedin_url") == "https://www.linkedin.com/in/sarahchen");
  CHECK(text(sarah, "notes") == "Met at the Stanford demo day, wants a pilot in Q3");
  const auto& marc = rows[1];
  CHECK(marc.line == 4);  // Sarah's record spans lines 2 and 3 (a quoted address)
  CHECK(list(marc, "phones") == std::vector<std::string>{"+33612345678"});
  CHECK(text(marc, "country") == "FR");
  CHECK_FALSE(has(marc, "tags"));  // "* myContacts" is not a tag
}

TEST_CASE("an Outlook export takes its several e-mail and phone columns and its categories") {
  auto source = imports::open_file(fixture("outlook_contacts.csv"), options());
  CHECK(source->info().preset == "outlook");
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].error.empty());
  CHECK(text(rows[0], "last_name") == "O'Brien");
  CHECK(list(rows[0], "emails") ==
        std::vector<std::string>{"kevin.obrien@contoso.com", "kobrien@outlook.com"});
  CHECK(list(rows[0], "phones") == std::vector<std::string>{"+14085550100", "+14085550199"});
  CHECK(text(rows[0], "title") == "Director of Business Development");
  CHECK(rows[0].company == "Contoso Ltd");
  CHECK(list(rows[0], "tags") == std::vector<std::string>{"VIP", "Trade mission"});
  CHECK(text(rows[1], "first_name") == "Amélie");
  CHECK(rows[1].company == "Roux & Fils");
}

TEST_CASE("a HubSpot contacts export is recognised by its columns") {
  auto source = imports::open_file(fixture("hubspot_export.csv"), options());
  CHECK(source->info().preset == "hubspot");
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 2);
  CHECK(text(rows[1], "first_name") == "Hannah");
  CHECK(list(rows[1], "emails") == std::vector<std::string>{"hannah.schmidt@berlin-ai.de"});
  CHECK(list(rows[1], "phones") == std::vector<std::string>{"+49301234567"});
  CHECK(rows[1].company == "Berlin AI GmbH");
  CHECK(text(rows[1], "country") == "DE");
  CHECK(text(rows[1], "city") == "Berlin");
  const auto& ignored = source->info().ignored;
  CHECK(std::find(ignored.begin(), ignored.end(), "Lifecycle Stage") != ignored.end());
}

TEST_CASE("a Windows-1252 file separated by semicolons is decoded, French letters intact") {
  auto source = imports::open_file(fixture("excel_fr_windows1252.csv"), options());
  CHECK(source->info().encoding == "Windows-1252");
  CHECK(source->info().delimiter == ';');
  CHECK(source->info().preset == "generic");
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].error.empty());
  CHECK(text(rows[0], "first_name") == "François");
  CHECK(text(rows[0], "last_name") == "Lefèvre");
  CHECK(rows[0].company == "Cœur de Pépite");
  CHECK(text(rows[0], "city") == "Besançon");
  CHECK(text(rows[0], "notes") == "Budget 10 000 € validé");
  CHECK(list(rows[0], "phones") == std::vector<std::string>{"+33144556677"});
  CHECK(text(rows[1], "last_name") == "Bœuf");
  CHECK(rows[1].company == "Garçon & Cie");
  CHECK(text(rows[1], "notes") == "L’équipe rappelle en avril");
  CHECK(text(rows[1], "city") == "Orléans");
}

TEST_CASE("a UTF-8 byte order mark is dropped before the header") {
  auto source = imports::open_file(fixture("utf8_bom.csv"), options());
  CHECK(source->info().encoding == "UTF-8 with BOM");
  CHECK(source->info().columns.front() == "first_name");
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 1);
  CHECK(text(rows[0], "first_name") == "Inès");
  CHECK(text(rows[0], "country") == "FR");
  CHECK(rows[0].company == "Garnier SAS");
}

TEST_CASE("quoted fields keep their commas, doubled quotes and line ends") {
  const auto rows = read_all(fixture("quoted_newlines.csv"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].line == 2);
  CHECK(text(rows[0], "first_name") == "Anna");  // "Lee, Anna": family name first
  CHECK(text(rows[0], "last_name") == "Lee");
  CHECK(text(rows[0], "notes") ==
        "Met at the booth.\nAsked for a demo, \"next week\".\nFollow up Tuesday");
  CHECK(rows[1].line == 5);
  CHECK(text(rows[1], "first_name") == "Bob");
  CHECK(text(rows[1], "last_name") == "Stone");
  CHECK(text(rows[1], "notes") == "one line, with a comma");
}

TEST_CASE("tabs are detected as the delimiter from the header line") {
  const auto path = temp_file("tabs.tsv", "Prénom\tNom\tCourriel\nJeanne\tDurand\tjeanne@durand.fr\n");
  auto source = imports::open_file(path.string(), options());
  CHECK(source->info().delimiter == '\t');
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 1);
  CHECK(list(rows[0], "emails") == std::vector<std::string>{"jeanne@durand.fr"});
}

TEST_CASE("a file with duplicates inside it gives every row, normalised for comparison") {
  const auto rows = read_all(fixture("duplicates.csv"));
  REQUIRE(rows.size() == 5);
  for (const auto& row : rows) CHECK(row.error.empty());
  CHECK(list(rows[0], "emails") == list(rows[1], "emails"));  // lower-cased
  CHECK(list(rows[0], "phones") == list(rows[2], "phones"));  // E.164
  CHECK(rows[3].contact.values == rows[4].contact.values);
}

TEST_CASE("broken rows carry an error or warnings and the rest of the file is read") {
  const auto rows = read_all(fixture("broken_rows.csv"));
  REQUIRE(rows.size() == 6);
  CHECK(rows[0].error.empty());
  CHECK(has_warning(rows[0], "column Notes starts with '=': kept as text"));
  CHECK(text(rows[0], "notes") == "=HYPERLINK(\"http://evil.example\",\"click\")");
  CHECK(rows[1].line == 3);
  CHECK(rows[1].error == "neither a name nor an email nor a phone");
  CHECK(rows[2].line == 4);
  CHECK(rows[2].error == "line 4 has 7 cells but the header has 5 columns");
  CHECK(rows[3].error.empty());
  CHECK(has_warning(rows[3], "column Email: 'not-an-email' is not an email address"));
  CHECK(has_warning(rows[3], "column Notes starts with '@'"));
  CHECK(rows[4].line == 6);  // the row of empty cells holds no contact: skipped, not invalid
  CHECK(rows[4].not_a_contact == "blank row: skipped");
  CHECK(rows[4].error.empty());
  CHECK(rows[5].line == 7);
  CHECK(has_warning(rows[5], "column Notes starts with '-'"));
  CHECK_FALSE(has_warning(rows[5], "column Phone"));  // '+' starts phone numbers
}

TEST_CASE("unbalanced quotes refuse the file, naming the line where the field opens") {
  const auto [status, detail] = refusal(fixture("unbalanced_quotes.csv"));
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail == "unbalanced quotes: the quoted field that opens at line 3 is never closed");
}

TEST_CASE("binary garbage, an empty file and a file too large are refused before reading") {
  auto [status, detail] = refusal(fixture("garbage.csv"));
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail.find("not a CSV or vCard file") != std::string::npos);

  std::tie(status, detail) = refusal(fixture("empty.csv"));
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail == "empty.csv: the file is empty");

  auto small = options();
  small.max_bytes = 100;
  std::tie(status, detail) = refusal(fixture("google_contacts.csv"), small);
  CHECK(status == Problem::Kind::too_large);
  CHECK(detail.find("larger than the limit of 100 bytes") != std::string::npos);

  std::tie(status, detail) = refusal(fixture("no_such_file.csv"));
  CHECK(status == Problem::Kind::malformed);
}

TEST_CASE("a preset asked for by name must fit the header, and a custom mapping is honoured") {
  auto linkedin = options();
  linkedin.preset = "linkedin";
  auto [status, detail] = refusal(fixture("hubspot_export.csv"), linkedin);
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail.find("does not look like LinkedIn Connections") != std::string::npos);
  CHECK(detail.find("lacks URL, Company, Position, Connected On") != std::string::npos);

  auto unknown = options();
  unknown.preset = "salesforce";
  CHECK(refusal(fixture("hubspot_export.csv"), unknown).first == Problem::Kind::malformed);

  auto custom = options();
  custom.preset = "custom";
  custom.mapping = {{"Record ID", "ignore"}, {"First Name", "last_name"}, {"Email", "emails"},
                    {"Create Date", "met_at"}, {"Company Name", "company"}};
  auto source = imports::open_file(fixture("hubspot_export.csv"), custom);
  CHECK(source->info().preset == "custom");
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 2);
  CHECK(text(rows[0], "last_name") == "Diego");
  CHECK_FALSE(has(rows[0], "first_name"));
  CHECK(text(rows[0], "met_at") == "2026-03-02T10:14:00.000Z");
  CHECK(rows[0].company == "Rocketfuel Ventures");

  custom.mapping = {{"First Name", "shoe_size"}};
  std::tie(status, detail) = refusal(fixture("hubspot_export.csv"), custom);
  CHECK(status == Problem::Kind::malformed);
  CHECK(detail.find("shoe_size") != std::string::npos);
}

TEST_CASE("a header the import does not know is refused with its columns named") {
  const auto path = temp_file("unknown.csv", "Foo,Bar\n1,2\n");
  const auto [status, detail] = refusal(path.string());
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail.find("Foo, Bar") != std::string::npos);
}

TEST_CASE("a field longer than the API allows is a row error naming the column") {
  const auto path = temp_file("long.csv", "first name,email\n" + std::string(201, 'x') + ",a@b.fr\n");
  const auto rows = read_all(path.string());
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].error == "column first name: first_name is longer than 200 characters");
}

TEST_CASE("a warning quoting a long value cuts it between characters and never inside one") {
  // 79 ASCII bytes then "é" (2 bytes): a cut at 80 bytes would split it.
  const std::string phone = std::string(79, '0') + "\xC3\xA9" + std::string(10, '1');
  const auto path = temp_file("long-phone.csv", "first name,phone\nZoé," + phone + "\n");
  const auto rows = read_all(path.string());
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].warnings.size() == 1);
  CHECK(domain::valid_utf8(rows[0].warnings[0]));
  CHECK(rows[0].warnings[0].find("'" + std::string(79, '0') + "...'") != std::string::npos);
}

TEST_CASE("an Apple Contacts vCard 3.0 is unfolded, unescaped and its photo skipped") {
  auto source = imports::open_file(fixture("apple_contacts.vcf"), options());
  CHECK(source->info().format == "vcard");
  CHECK(source->info().version == "3.0");
  CHECK(source->description() == "apple_contacts.vcf (vCard 3.0, UTF-8)");
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 2);
  const auto& ken = rows[0];
  CHECK(ken.line == 1);
  CHECK(ken.error.empty());
  CHECK(text(ken, "first_name") == "Ken");
  CHECK(text(ken, "last_name") == "Nakamura");
  CHECK(ken.company == "Kaizen Capital");
  CHECK(text(ken, "title") == "Managing Partner");
  CHECK(list(ken, "emails") == std::vector<std::string>{"ken@kaizen.vc", "ken.nakamura@gmail.com"});
  CHECK(list(ken, "phones") == std::vector<std::string>{"+16505550143", "+14155550100"});
  CHECK(text(ken, "city") == "Menlo Park");
  CHECK(text(ken, "country") == "US");  // "United Sta" + "tes", folded
  CHECK(text(ken, "notes") ==
        "Met at the French Tech Night, SF. Interested in our seed round; send the deck.\nSecond line.");
  CHECK(text(ken, "linkedin_url") == "https://www.linkedin.com/in/kennakamura");
  CHECK(list(ken, "tags") == std::vector<std::string>{"Investors", "Trade mission SV 2026"});
  for (const auto& value : ken.contact.values)  // the photo is in no field
    if (const auto* s = std::get_if<std::string>(&value)) CHECK(s->size() < 200);
  const auto& elodie = rows[1];
  CHECK(elodie.line > ken.line + 20);  // the folded photo's lines lie between
  CHECK(text(elodie, "first_name") == "Élodie");
  CHECK(text(elodie, "last_name") == "Bérard");
  CHECK(text(elodie, "notes") == "Conseillère export — accompagne la délégation");
  CHECK(text(elodie, "linkedin_url") == "http://www.linkedin.com/in/eberard");
}

TEST_CASE("a vCard 4.0 file gives one row per card, tel URIs and quoted parameters read") {
  auto source = imports::open_file(fixture("contacts_v4.vcf"), options());
  CHECK(source->info().version == "4.0");
  const auto rows = read_all(*source);
  REQUIRE(rows.size() == 3);
  CHECK(text(rows[0], "first_name") == "Maria");
  CHECK(list(rows[0], "emails") == std::vector<std::string>{"maria@andes.tech", "mgonzalez@proton.me"});
  CHECK(list(rows[0], "phones") == std::vector<std::string>{"+16505550166", "+33144556677"});
  CHECK(rows[0].company == "Andes Tech");
  CHECK(text(rows[0], "city") == "Mountain View");
  CHECK(text(rows[0], "country") == "US");
  CHECK(list(rows[0], "tags") == std::vector<std::string>{"founders", "climate"});
  CHECK(text(rows[1], "first_name") == "Olu");  // from FN alone
  CHECK(text(rows[1], "last_name") == "Adeyemi");
  CHECK(rows[2].line == 19);
  CHECK(rows[2].error == "neither a name nor an email nor a phone");
}

TEST_CASE("a vCard nested too deep or never ended refuses the file") {
  auto [status, detail] = refusal(fixture("deep.vcf"));
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail == "the vCard at line 9 is nested too deep: a card may hold at most 1 nested card");
  std::tie(status, detail) = refusal(fixture("unterminated.vcf"));
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail == "the vCard that begins at line 6 has no END:VCARD");
}

TEST_CASE("a vCard line longer than the limit once unfolded refuses the file") {
  std::string card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long Note\r\nNOTE:x";
  for (int i = 0; i < 16000; ++i) card += "\r\n " + std::string(72, 'y');
  card += "\r\nEND:VCARD\r\n";
  const auto [status, detail] = refusal(temp_file("long_note.vcf", card).string());
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail.find("line 4 is longer than 1048576 bytes once unfolded") != std::string::npos);
}

TEST_CASE("a large photo is skipped line by line however big it is") {
  std::string card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:";
  for (int i = 0; i < 40000; ++i) card += std::string(72, 'A') + "\r\n ";
  card += "AAAA\r\nEMAIL:big@photo.io\r\nEND:VCARD\r\n";
  const auto rows = read_all(temp_file("big_photo.vcf", card).string());
  REQUIRE(rows.size() == 1);
  CHECK(list(rows[0], "emails") == std::vector<std::string>{"big@photo.io"});
}

TEST_CASE("the presets folder holds the five presets as data files") {
  const auto names = imports::preset_names(options().presets_dir);
  CHECK(names == std::vector<std::string>{"generic", "google", "hubspot", "linkedin", "outlook"});
}

TEST_CASE("a vCard 3.0 AGENT holding cards inline is refused past one level of nesting") {
  const std::string one =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Boss\r\n"
      "AGENT:BEGIN:VCARD\\nFN:Sam Assistant\\nEND:VCARD\r\nEND:VCARD\r\n";
  const auto rows = read_all(temp_file("agent_one.vcf", one).string());
  REQUIRE(rows.size() == 1);
  CHECK(text(rows[0], "first_name") == "Ada");
  const std::string two =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Boss\r\nAGENT:BEGIN:VCARD\\nFN:Sam\\n"
      "AGENT:BEGIN:VCARD\\\\nFN:Deeper\\\\nEND:VCARD\\nEND:VCARD\r\nEND:VCARD\r\n";
  const auto [status, detail] = refusal(temp_file("agent_two.vcf", two).string());
  CHECK(status == Problem::Kind::invalid);
  CHECK(detail.find("nested too deep") != std::string::npos);
}
