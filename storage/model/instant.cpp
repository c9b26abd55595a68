#include "relance/model/instant.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>

namespace relance::storage {
namespace {

std::atomic<NowFunction> now_function{nullptr};

}  // namespace

void set_now_function(NowFunction now) { now_function.store(now, std::memory_order_release); }

std::chrono::system_clock::time_point now() {
  const NowFunction f = now_function.load(std::memory_order_acquire);
  return f ? f() : std::chrono::system_clock::now();
}

std::string format_instant(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t).time_since_epoch().count();
  const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
                tm.tm_sec % 100, static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

}  // namespace relance::storage
