// What a client hears when an exporter plugin says no: the same status means the same thing
// on every route (docs/sdk.md, "Statuses"). RETRY is a 503 with Retry-After, INVALID a 400
// naming the option, FATAL a 500, and a status the SDK does not define counts as FATAL and is
// logged. A call that hangs ends its export within the call budget. The exporter is the
// stubborn fixture (tests/plugins/stubborn.c), which answers or hangs as its options ask.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

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
  const boost::json::value body = r.json();  // kept: `f` points into it
  const auto* f = body.as_object().if_contains("field");
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

namespace {

// The daemon serving `d`'s data directory.
pid_t daemon_pid(const Daemon& d) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    std::string cmd((std::istreambuf_iterator<char>(in)), {});
    for (char& c : cmd)
      if (c == '\0') c = ' ';
    if (cmd.find(" serve ") != std::string::npos && cmd.find(d.data_dir().string()) != std::string::npos)
      return static_cast<pid_t>(std::stol(name));
  }
  return -1;
}

std::size_t thread_count(pid_t pid) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& t : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task")) ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "an exporter call that hangs in open, write_row or finish ends its export within the budget "
    "with a clear error, and its format refuses new exports while the call runs, starting no "
    "thread, until it returns") {
  TempDir plugins;
  fs::copy_file(fixtures / "fixture_stubborn.so", plugins.path() / "stubborn.so");
  World w({{"RELANCE_PLUGINS_DIRECTORIES", plugins.path().string()}, {"RELANCE_PLUGINS_CALL_BUDGET_MS", "800"}});
  World::create(w.alpha_member, "contacts", {{"first_name", "Søren"}, {"last_name", "Kierkegaard"}});
  const pid_t pid = daemon_pid(w.daemon);
  REQUIRE(pid > 0);
  const std::map<std::string, std::string> env{{"RELANCE_URL", "http://127.0.0.1:" + std::to_string(w.daemon.port())},
                                               {"RELANCE_TOKEN", w.alpha_member.token()}};
  const std::string base = "/api/v1/exports/stubborn-txt?dataset=contacts&hang_ms=4000&hang_in=";
  using Clock = std::chrono::steady_clock;

  // Before the first byte: a 503 that says which call overran.
  const std::size_t threads = thread_count(pid);
  auto t0 = Clock::now();
  auto hung = w.alpha_member.get(base + "open");
  INFO(hung.body);
  CHECK(hung.status == 503);
  CHECK(Clock::now() - t0 < std::chrono::milliseconds(2500));
  CHECK(hung.body.find("open call ran longer than its budget of 800 ms") != std::string::npos);
  // While it runs, the format answers 503 at once, twice, and no thread is added.
  for (int i = 0; i < 2; ++i) {
    t0 = Clock::now();
    auto refused = w.alpha_member.get("/api/v1/exports/stubborn-txt?dataset=contacts");
    INFO(refused.body);
    CHECK(refused.status == 503);
    CHECK(!refused.header("retry-after").empty());
    CHECK(refused.body.find("is suspended") != std::string::npos);
    CHECK(Clock::now() - t0 < std::chrono::milliseconds(500));
  }
  CHECK(thread_count(pid) == threads);
  // Once the call returns, the format works again.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  auto back = w.alpha_member.get("/api/v1/exports/stubborn-txt?dataset=contacts");
  INFO(back.body);
  CHECK(back.status == 200);
  CHECK(w.daemon.log().find("stubborn-txt export failed: its open call ran longer than its budget") != std::string::npos);

  // After the first byte, through the CLI: the export fails, says so and exits non-zero.
  for (const char* step : {"write_row", "finish"}) {
    INFO(step);
    TempDir out;
    t0 = Clock::now();
    auto [code, said] = Daemon::run_cli({"export", "--format", "stubborn-txt", "--dataset", "contacts", "--option",
                                         std::string("hang_in=") + step, "--option", "hang_ms=4000", "-o",
                                         out.file("x.txt")}, env);
    INFO(said);
    CHECK(code != 0);
    CHECK(Clock::now() - t0 < std::chrono::milliseconds(3000));
    CHECK_FALSE(fs::exists(out.file("x.txt")));
    CHECK(w.daemon.log().find(std::string("its ") + step + " call ran longer than its budget") != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // the call returns
  }
  CHECK(w.alpha_member.get("/api/v1/exports/stubborn-txt?dataset=contacts").status == 200);
}
