// Crash markers (plugin_host/crash_marker.hpp): what a call in flight leaves in its file when
// the process dies there, read back as the next start reads it; and the rule for a death
// without a signal from the plugin (perhaps a kill -9 from outside): suspected the first
// time, named again only if the next death is in the same call of the same event.
#include <catch2/catch.hpp>

#include <csignal>

#include "plugin_host/crash_marker.hpp"
#include "temp_dir.hpp"

using namespace relance::plugin_host;
using relance::test::TempDir;

TEST_CASE("a plugin call in flight when the process dies is named by its marker, and a finished one is not") {
  TempDir dir;
  const CrashMarkers markers(dir.path().string());
  {
    auto done = markers.open(3);
    done->enter(PluginCallKind::deliver, 41);
    done->leave();
    auto dying = markers.open(7);
    dying->enter(PluginCallKind::deliver, 42);
    // The process "dies" here: the mapping goes without leave().
  }
  const auto left = markers.left_behind();
  REQUIRE(left.size() == 1);
  CHECK(left[0].instance_id == 7);
  CHECK(left[0].event_id == 42);
  CHECK(left[0].call == PluginCallKind::deliver);
  CHECK(left[0].signal == 0);
  CHECK_FALSE(left[0].again);
  markers.clear(7);
  CHECK(markers.left_behind().empty());
}

TEST_CASE("a death without a signal is suspected once, and named again only in the same call of the same event") {
  TempDir dir;
  const CrashMarkers markers(dir.path().string());
  auto die_in = [&](PluginCallKind call, std::int64_t event) {
    auto m = markers.open(5);
    m->enter(call, event);
  };
  die_in(PluginCallKind::deliver, 100);
  auto first = markers.left_behind();
  REQUIRE(first.size() == 1);
  CHECK_FALSE(first[0].again);
  markers.suspect(first[0]);
  CHECK(markers.left_behind().empty());  // the suspicion is no longer a marker in flight

  die_in(PluginCallKind::deliver, 101);  // another event: not the same fault
  auto other = markers.left_behind();
  REQUIRE(other.size() == 1);
  CHECK_FALSE(other[0].again);
  markers.suspect(other[0]);

  die_in(PluginCallKind::deliver, 101);  // the same one again
  auto again = markers.left_behind();
  REQUIRE(again.size() == 1);
  CHECK(again[0].again);
}

TEST_CASE("the quarantine reason reads back as the crash it tells, and other reasons do not") {
  const CrashNote note{12, 345, PluginCallKind::deliver, SIGSEGV, false};
  const std::string why = crash_reason(note);
  CHECK(why.find("relance plugin instance resume 12") != std::string::npos);
  const auto back = crash_of(why);
  REQUIRE(back);
  CHECK(back->event_id == 345);
  CHECK(back->call == PluginCallKind::deliver);
  CHECK(back->signal == SIGSEGV);
  const auto unknown = crash_of(crash_reason(CrashNote{12, 0, PluginCallKind::create_instance, 0, true}));
  REQUIRE(unknown);
  CHECK(unknown->event_id == 0);
  CHECK(unknown->signal == 0);
  CHECK_FALSE(crash_of("a call ran longer than its budget of 1000 ms"));
  CHECK_FALSE(crash_of(""));
}

TEST_CASE("markers are off without a directory: nothing is written, nothing is left behind") {
  const CrashMarkers off("");
  auto m = off.open(1);
  m->enter(PluginCallKind::deliver, 1);
  CHECK(off.left_behind().empty());
}
