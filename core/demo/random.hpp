// The demo's randomness: one seed gives the same data on every machine and library (no
// std::uniform_*_distribution, whose results the standard leaves to each library).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace relance::demo {

// SplitMix64: small, fast, and good enough to pick names and dates.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // From `lo` to `hi`, both included.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  // True `percent` times in 100.
  bool chance(int percent) { return static_cast<int>(next() % 100) < percent; }
  template <class T>
  const T& pick(std::span<const T> items) {
    return items[static_cast<std::size_t>(next() % items.size())];
  }
  // A generator of its own for `part` (a start-up, a table), so that one part's draws do
  // not shift another's when its size changes.
  Random fork(std::uint64_t part) const { return Random(state_ ^ (part * 0xD1B54A32D192ED03ULL + 1)); }

 private:
  std::uint64_t state_;
};

}  // namespace relance::demo
