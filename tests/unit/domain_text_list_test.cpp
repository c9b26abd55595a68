// Lists stored as JSON text (the list kinds of the schema, a plugin instance's events and
// datasets) read through one accessor (relance/model/row.hpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "domain/json_text.hpp"

using namespace relance;
namespace ent = storage::entities;
using Items = std::vector<std::string>;

TEST_CASE("a stored list reads as its strings, in order, with escapes decoded") {
  CHECK(domain::read_text_list(R"(["a@acme.io","b@acme.io"])") == Items{"a@acme.io", "b@acme.io"});
  CHECK(domain::read_text_list(R"([ "contact.*" , "lead.stage_changed" ])") ==
        Items{"contact.*", "lead.stage_changed"});
  CHECK(domain::read_text_list(R"(["caf\u00e9","say \"hi\""])") == Items{"café", "say \"hi\""});
  CHECK(domain::read_text_list("[]").empty());
}

TEST_CASE("stored text that is empty, malformed or not an array reads as an empty list") {
  for (const char* stored : {"", "[", "not json", "{\"a\":1}", "\"a\"", "null"}) {
    INFO(stored);
    CHECK(domain::read_text_list(stored).empty());
  }
}

TEST_CASE("items of a stored list that are not strings are skipped") {
  CHECK(domain::read_text_list(R"(["a",1,null,["b"],"c"])") == Items{"a", "c"});
}

TEST_CASE("a row's list field reads through the same accessor, and a null field is an empty list") {
  storage::Row row;
  row.set(ent::contacts, "tags", std::string(R"(["investor","fintech"])"));
  CHECK(domain::row_list(row, ent::contacts, "tags") == Items{"investor", "fintech"});
  CHECK(domain::row_list(row, ent::contacts, "emails").empty());
  CHECK(domain::row_list(row, ent::contacts, "no_such_field").empty());
}
