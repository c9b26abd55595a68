// The rule a contact merge and the import's deduplication share to complete a contact with
// what a duplicate of it knows (domain/completing_patch.hpp).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

#include "domain/completing_patch.hpp"
#include "imports/dedup.hpp"

using namespace relance;
namespace json = boost::json;
namespace ent = storage::entities;

namespace {

json::array numbered(const char* stem, int count) {
  json::array out;
  for (int i = 0; i < count; ++i) out.emplace_back(std::string(stem) + std::to_string(i));
  return out;
}

}  // namespace

TEST_CASE("the completing patch fills only empty fields, joins lists without duplicates and changes nothing else") {
  const json::object existing{{"first_name", "Ana"},      {"last_name", ""},
                              {"title", nullptr},         {"city", "  "},
                              {"emails", json::array{"ana@fund.vc"}},
                              {"phones", json::array{}},  {"tags", json::array{"Café"}},
                              {"company_id", 3}};
  const json::object incoming{{"first_name", "Anna"},     {"last_name", "Lima"},
                              {"title", "Partner"},       {"city", "Lyon"},
                              {"emails", json::array{"ana@fund.vc", "ana@gmail.com"}},
                              {"phones", json::array{"+33612345678"}},
                              {"tags", json::array{"cafe", "vc"}},
                              {"company_id", 4},          {"notes", ""},
                              {"lawful_basis", "consent"}, {"id", 99}, {"version", 7}};
  const json::object patch = domain::completing_patch(ent::contacts, existing, incoming);
  const json::object expected{{"last_name", "Lima"},
                              {"emails", json::array{"ana@fund.vc", "ana@gmail.com"}},
                              {"phones", json::array{"+33612345678"}},
                              {"title", "Partner"},
                              {"city", "Lyon"},
                              {"tags", json::array{"Café", "vc"}},
                              {"lawful_basis", "consent"}};
  CHECK(patch == expected);
  CHECK(domain::completing_patch(ent::contacts, incoming, incoming).empty());
}

TEST_CASE("the completing patch stops each list at the field's limit, keeping the record's own items first") {
  const json::object existing{{"emails", numbered("own", 19)}, {"phones", json::array{}}, {"tags", numbered("t", 49)}};
  json::array phones;
  for (int i = 0; i < 25; ++i) phones.emplace_back("+3361234560" + std::to_string(i));
  const json::object incoming{{"emails", numbered("other", 5)}, {"phones", phones}, {"tags", numbered("u", 5)}};
  const json::object patch = domain::completing_patch(ent::contacts, existing, incoming);
  CHECK(patch.at("emails").as_array().size() == 20);
  CHECK(patch.at("emails").as_array().back() == "other0");
  CHECK(patch.at("phones").as_array().size() == 20);
  CHECK(patch.at("tags").as_array().size() == 50);
  // Full lists take nothing more.
  const json::object full{{"emails", patch.at("emails")}, {"phones", patch.at("phones")}, {"tags", patch.at("tags")}};
  CHECK(domain::completing_patch(ent::contacts, full, incoming).empty());
}

TEST_CASE("an import's update follows the same rule, linking the company the file names when the contact has none") {
  const json::object existing{{"first_name", "Ana"}, {"company_id", nullptr}, {"tags", json::array{"vc"}}};
  const json::object row{{"first_name", "Anna"}, {"city", "Lyon"}, {"tags", json::array{"VC", "ces"}}};
  const json::object patch = imports::update_patch(existing, row, 12);
  CHECK(patch == json::object{{"company_id", 12}, {"city", "Lyon"}, {"tags", json::array{"vc", "ces"}}});
  CHECK(imports::update_patch(existing, json::object{{"first_name", "Ana"}}, 0).empty());
}
