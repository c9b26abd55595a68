// What a client hears when an exporter plugin says no: the same status means the same thing
// on every route (docs/sdk.md, "Statuses"). RETRY is a 503 with Retry-After, INVALID a 400
// naming the option, FATAL a 500, and a status the SDK does not define counts as FATAL and is
// logged. The exporter is the stubborn fixture (tests/plugins/stubborn.c), which answers
// what its options ask.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "daemon.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = RELANCE_FIXTURE_PLUGINS;

struct StubbornWorld {
  TempDir plugins;
  World w;
  StubbornWorld()
      : w((fs::copy_file(fixtures / "fixture_stubborn.so", plugins.path() / "stubborn.so"),
           std::map<std::string, std::string>{{"RELANCE_PLUGINS_DIRECTORIES", plugins.path().string()}})) {
    World::create(w.alpha_member, "contacts", {{"first_name", "Amélie"}, {"last_name", "Poulain"}});
  }
  HttpResponse export_with(const std::string& answer) {
    return w.alpha_member.get("/api/v1/exports/stubborn-txt?dataset=contacts&answer=" + answer);
  }
};

std::string field_of(const HttpResponse& r) {
  const auto* f = r.json().as_object().if_contains("field");
  return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

}  // namespace

TEST_CASE(
    "an exporter's RETRY is a 503 with Retry-After, INVALID a 400 naming the option, FATAL a "
    "500, and a status the SDK does not define a 500 that is logged") {
  StubbornWorld s;
  auto fine = s.export_with("ok");
  INFO(fine.body);
  CHECK(fine.status == 200);

  auto retry = s.export_with("retry");
  INFO(retry.body);
  CHECK(retry.status == 503);
  CHECK(!retry.header("retry-after").empty());
  CHECK(retry.body.find("being rotated") != std::string::npos);

  auto invalid = s.export_with("invalid");
  INFO(invalid.body);
  CHECK(invalid.status == 400);
  CHECK(field_of(invalid) == "answer");

  auto fatal = s.export_with("fatal");
  INFO(fatal.body);
  CHECK(fatal.status == 500);
  CHECK(fatal.body.find("broken on purpose") != std::string::npos);

  auto odd = s.export_with("77");
  INFO(odd.body);
  CHECK(odd.status == 500);
  CHECK(s.w.daemon.log().find("open returned status 77, which this host does not know; treated as FATAL") !=
        std::string::npos);

  // The CLI says it and exits non-zero.
  const std::map<std::string, std::string> env{{"RELANCE_URL", "http://127.0.0.1:" + std::to_string(s.w.daemon.port())},
                                               {"RELANCE_TOKEN", s.w.alpha_member.token()}};
  TempDir out;
  auto [code, said] = Daemon::run_cli({"export", "--format", "stubborn-txt", "--dataset", "contacts", "--option", "answer=retry",
                                       "-o", out.file("x.txt")}, env);
  INFO(said);
  CHECK(code != 0);
  CHECK(said.find("being rotated") != std::string::npos);
}
