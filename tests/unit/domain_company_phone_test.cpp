// The rule for "the same company" (domain/company_name.hpp) and how phone numbers are read:
// in which region, with which error, and their extensions (domain/phone.hpp, fields.hpp).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <functional>

#include "domain/company_name.hpp"
#include "domain/fields.hpp"
#include "domain/phone.hpp"
#include "domain/problem.hpp"
#include "domain/record_json.hpp"

using namespace relance;
namespace json = boost::json;
namespace ent = storage::entities;
using domain::company_domain_key;
using domain::company_name_key;

namespace {

// The detail of the refusal `f` throws ("(accepted)" when it throws none).
std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const Problem& p) {
    return p.detail();
  }
  return "(accepted)";
}

std::string stored_phones(const storage::Row& row) {
  return std::get<std::string>(row.get(ent::contacts, "phones"));
}

}  // namespace

TEST_CASE("company names fold case, accents, punctuation and legal forms into one key") {
  CHECK(company_name_key("Intel Corporation") == "intel");
  CHECK(company_name_key("Intel") == "intel");
  CHECK(company_name_key("INTEL, Inc.") == "intel");
  CHECK(company_name_key("intel corp") == "intel");
  CHECK(company_name_key("  Société Générale S.A. ") == "societe generale");
  CHECK(company_name_key("Lumen-Labs SAS") == company_name_key("Lumen Labs"));
  CHECK(company_name_key("Bosch GmbH") == "bosch");
  CHECK(company_name_key("Acme GmbH & Co. KG") == "acme");
  CHECK(company_name_key("Dupont S.A.R.L.") == "dupont");
  CHECK(company_name_key("Hôtel Dieu LLC") == "hotel dieu");
  CHECK(company_name_key("Widgets Ltd.") == "widgets");
  CHECK(company_name_key("Café ☕ Corp") == "cafe ☕");
}

TEST_CASE("a company name key keeps what makes companies different") {
  CHECK(company_name_key("Station F") == "station f");
  CHECK(company_name_key("Station F") != company_name_key("Station"));
  CHECK(company_name_key("Apple") != company_name_key("Applied Materials"));
  // A name that is only a legal form keeps it, and a name with no letter has no key.
  CHECK(company_name_key("SA") == "sa");
  CHECK(company_name_key(" ... ") == "");
}

TEST_CASE("the key of a company name key is itself") {
  for (const char* name : {"Intel Corporation", "Société Générale S.A.", "A B Testing Inc", "Acme GmbH & Co. KG",
                           "Café ☕ Corp", "U.S. Robotics"}) {
    INFO(name);
    const std::string key = company_name_key(name);
    CHECK(company_name_key(key) == key);
  }
}

TEST_CASE("company domains are read from a domain or a web site address") {
  CHECK(company_domain_key("intel.com") == "intel.com");
  CHECK(company_domain_key("https://www.Intel.com/fr/") == "intel.com");
  CHECK(company_domain_key("http://intel.com:8080?x=1") == "intel.com");
  CHECK(company_domain_key("WWW.INTEL.COM.") == "intel.com");
  CHECK(company_domain_key("intel") == "");
  CHECK(company_domain_key("") == "");
}

TEST_CASE("a phone without + is read in the given region") {
  CHECK(domain::to_e164("04 72 00 00 00", "FR") == "+33472000000");
  CHECK(domain::to_e164("650-555-0123", "US") == "+16505550123");
  CHECK_FALSE(domain::to_e164("650-555-0123", "FR"));
  CHECK(domain::to_e164("+1 650-555-0123", "FR") == "+16505550123");
}

TEST_CASE("phone extensions are kept after the number as the RFC 3966 ext parameter") {
  CHECK(domain::to_e164("+1 650 555 0123 x12", "FR") == "+16505550123;ext=12");
  CHECK(domain::to_e164("650-555-0123 ext. 12", "US") == "+16505550123;ext=12");
  CHECK(domain::to_e164("04 72 00 00 00 poste 12", "FR") == "+33472000000;ext=12");
  CHECK(domain::to_e164("04 72 00 00 00 Poste 7", "FR") == "+33472000000;ext=7");
  // The stored form reads back as itself.
  CHECK(domain::to_e164("+16505550123;ext=12", "FR") == "+16505550123;ext=12");
  CHECK(domain::to_e164("+16505550123", "FR") == "+16505550123");
}

TEST_CASE("a contact's phones are read in its country whatever the order of the keys") {
  domain::FieldContext org;
  org.default_region = "FR";
  for (const json::object& body :
       {json::object{{"country", "US"}, {"phones", json::array{"650-555-0123"}}},
        json::object{{"phones", json::array{"650-555-0123"}}, {"country", "us"}}}) {
    storage::Row row;
    domain::apply_body(ent::contacts, body, row, true, org);
    CHECK(stored_phones(row) == R"(["+16505550123"])");
  }
  // An update reads them in the country stored.
  storage::Row row;
  domain::apply_body(ent::contacts, json::object{{"country", "US"}}, row, true, org);
  domain::apply_body(ent::contacts, json::object{{"phones", json::array{"(650) 555-0123 x9"}}}, row, false, org);
  CHECK(stored_phones(row) == R"(["+16505550123;ext=9"])");
}

TEST_CASE("a refused phone says which region it was read in") {
  domain::FieldContext org;
  org.default_region = "FR";
  storage::Row row;
  const std::string why = refusal([&] {
    domain::apply_body(ent::contacts, json::object{{"phones", json::array{"650-555-0123"}}}, row, true, org);
  });
  CHECK(why.find("650-555-0123") != std::string::npos);
  CHECK(why.find("read as a number of FR, the organisation's region") != std::string::npos);
  storage::Row de;
  const std::string in_country = refusal([&] {
    domain::apply_body(ent::contacts, json::object{{"country", "GB"}, {"phones", json::array{"650-555-0123"}}}, de,
                       true, org);
  });
  CHECK(in_country.find("read as a number of GB, the contact's country") != std::string::npos);
}
