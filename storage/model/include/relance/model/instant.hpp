// The text form in which storage keeps instants: UTC, milliseconds, "2026-03-09T17:30:00.000Z".
// Fixed width, so instants compare and sort as text in SQL.
#pragma once

#include <chrono>
#include <string>

namespace relance::storage {

std::string format_instant(std::chrono::system_clock::time_point t);
inline std::string now_instant() { return format_instant(std::chrono::system_clock::now()); }

}  // namespace relance::storage
