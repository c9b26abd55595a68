// The export use case's checks of a typed ExportRequest (exports/export_request.hpp): what
// the API's 400s before the first byte say, without a daemon or a plugin.
#include <catch2/catch.hpp>

#include "domain/problem.hpp"
#include "exports/export_request.hpp"

using relance::Problem;
using relance::exports::checked_datasets;
using relance::exports::ExportRequest;
using relance::plugin_host::ExporterFormat;
namespace ent = relance::storage::entities;

namespace {

ExporterFormat ics() {
  ExporterFormat f;
  f.id = "ics";
  f.options = {{"mode", "to-dos or events", "todo", {"todo", "event"}}, {"calendar_name", "its name", "", {}}};
  return f;
}

ExportRequest of(std::vector<std::string> datasets) {
  ExportRequest r;
  r.format = "ics";
  r.datasets = std::move(datasets);
  return r;
}

// The Problem `r` is refused with: its status, field and detail.
Problem refusal(const ExportRequest& r) {
  try {
    checked_datasets(r, ics());
  } catch (const Problem& p) {
    return p;
  }
  FAIL("the request was accepted");
  return Problem(Problem::Kind::internal, "", "");
}

}  // namespace

TEST_CASE("an export request's datasets come back as their entities, in the order asked", "[exports]") {
  const auto entities = checked_datasets(of({"leads", "contacts"}), ics());
  REQUIRE(entities.size() == 2);
  CHECK(entities[0] == &ent::leads);
  CHECK(entities[1] == &ent::contacts);
}

TEST_CASE("an export needs a dataset, names only known ones, each once", "[exports]") {
  const Problem none = refusal(of({}));
  CHECK(none.kind() == Problem::Kind::malformed);
  CHECK(none.field() == "dataset");
  CHECK(none.detail() == "dataset is required: one of contacts, companies, leads, activities, followups, outcomes");

  const Problem unknown = refusal(of({"contacts", "invoices"}));
  CHECK(unknown.field() == "dataset");
  CHECK(unknown.detail() ==
        "unknown dataset invoices (available: contacts, companies, leads, activities, followups, outcomes)");

  const Problem twice = refusal(of({"leads", "leads"}));
  CHECK(twice.field() == "dataset");
  CHECK(twice.detail() == "dataset leads is listed twice");
}

TEST_CASE("an export's locale is fr or en, or left to the caller's own", "[exports]") {
  ExportRequest r = of({"followups"});
  CHECK_NOTHROW(checked_datasets(r, ics()));
  r.locale = "fr";
  CHECK_NOTHROW(checked_datasets(r, ics()));
  r.locale = "de";
  const Problem p = refusal(r);
  CHECK(p.field() == "lang");  // the API's name for it (locale= is read too)
  CHECK(p.detail() == "lang (or locale) must be fr or en");
}

TEST_CASE("an export's options are the format's own, with a value among their choices when they have some",
          "[exports]") {
  ExportRequest r = of({"followups"});
  r.options = {{"mode", "event"}, {"calendar_name", "anything at all"}};
  CHECK_NOTHROW(checked_datasets(r, ics()));

  r.options = {{"mode", "meeting"}};
  const Problem choice = refusal(r);
  CHECK(choice.field() == "mode");
  CHECK(choice.detail() == "mode must be one of todo, event");

  r.options = {{"delimiter", ";"}};
  const Problem undeclared = refusal(r);
  CHECK(undeclared.field() == "delimiter");
  CHECK(undeclared.detail() == "no option delimiter in format ics");
}
