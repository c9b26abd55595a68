// The text form in which storage keeps instants: UTC, milliseconds, "2026-03-09T17:30:00.000Z".
// Fixed width, so instants compare and sort as text in SQL.
#pragma once

#include <chrono>
#include <string>

namespace relance::storage {

std::string format_instant(std::chrono::system_clock::time_point t);

// The instant rows, audit entries and outbox events are stamped with. The system's clock,
// unless core's events clock is set (events::ClockOverride installs it here), so that one
// clock dates everything a write stamps: a test, or `relance demo` writing a mission that
// happened months ago, sets it once for all.
using NowFunction = std::chrono::system_clock::time_point (*)();
void set_now_function(NowFunction now);  // nullptr: the system's clock again
std::chrono::system_clock::time_point now();
inline std::string now_instant() { return format_instant(now()); }

}  // namespace relance::storage
