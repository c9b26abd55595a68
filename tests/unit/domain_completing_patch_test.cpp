// The rule a contact merge and the import's deduplication share to complete a contact with
// what a duplicate of it knows (domain/completing_patch.hpp).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

#include "domain/completing_patch.hpp"
#include "domain/record_json.hpp"
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

TEST_CASE("an import's update follows the same rule on stored rows, linking the company the file names when the contact has none") {
  const storage::Entity& e = ent::contacts;
  auto row = [&](std::initializer_list<std::pair<const char*, storage::Value>> values) {
    storage::Row r;
    r.values.resize(e.fields.size());
    for (const auto& [field, value] : values) r.set(e, field, value);
    return r;
  };
  storage::Row existing = row({{"first_name", std::string("Ana")}, {"tags", std::string(R"(["vc"])")}});
  const storage::Row file = row({{"first_name", std::string("Anna")}, {"city", std::string("Lyon")},
                                 {"tags", std::string(R"(["VC","ces"])")}});
  const auto changed = imports::complete_contact(existing, file, 12);
  CHECK(changed == std::vector<std::size_t>{*e.index_of("company_id"), *e.index_of("city"), *e.index_of("tags")});
  CHECK(existing.get(e, "company_id") == storage::Value(std::int64_t{12}));
  CHECK(existing.get(e, "city") == storage::Value(std::string("Lyon")));
  CHECK(existing.get(e, "tags") == storage::Value(std::string(R"(["vc","ces"])")));
  CHECK(existing.get(e, "first_name") == storage::Value(std::string("Ana")));
  CHECK(imports::complete_contact(existing, row({{"first_name", std::string("Ana")}}), 0).empty());
}

TEST_CASE("the completing rule gives the same outcome on stored rows as on the records the API shows") {
  const storage::Entity& e = ent::contacts;
  storage::Row existing, incoming;
  existing.values.resize(e.fields.size());
  incoming.values.resize(e.fields.size());
  existing.set(e, "first_name", std::string("Ana"));
  existing.set(e, "last_name", std::string(""));
  existing.set(e, "emails", std::string(R"(["ana@fund.vc"])"));
  existing.set(e, "phones", std::string("[]"));
  existing.set(e, "tags", std::string(R"(["Café"])"));
  existing.set(e, "company_id", std::int64_t{3});
  incoming.set(e, "first_name", std::string("Anna"));
  incoming.set(e, "last_name", std::string("Lima"));
  incoming.set(e, "title", std::string("Partner"));
  incoming.set(e, "emails", std::string(R"(["ana@fund.vc","ana@gmail.com"])"));
  incoming.set(e, "phones", std::string(R"(["+33612345678"])"));
  incoming.set(e, "tags", std::string(R"(["cafe","vc"])"));
  incoming.set(e, "company_id", std::int64_t{4});
  const json::object patch =
      domain::completing_patch(e, domain::encode_row(e, existing, false), domain::encode_row(e, incoming, false));
  storage::Row patched = existing;
  domain::apply_body(e, patch, patched, false, {});
  storage::Row completed = existing;
  const auto changed = domain::complete_row(e, completed, incoming);
  CHECK(completed.values == patched.values);
  CHECK(changed.size() == patch.size());
  for (std::size_t i : changed) CHECK(patch.contains(e.fields[i].name));
}
