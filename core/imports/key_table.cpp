#include "imports/key_table.hpp"

#include <algorithm>
#include <bit>
#include <functional>

namespace relance::imports::detail {
namespace {

// The table never fills beyond 4/5: linear probing stays short.
constexpr std::size_t max_load_num = 4, max_load_den = 5;

std::size_t capacity_for(std::size_t keys) {
  return std::bit_ceil(std::max<std::size_t>(16, keys * max_load_den / max_load_num + 1));
}

}  // namespace

KeyHash hash_key(char kind, std::string_view text) {
  KeyHash h;
  h.main = std::hash<std::string_view>{}(text) ^ (static_cast<std::uint64_t>(static_cast<unsigned char>(kind)) *
                                                  0x9E3779B97F4A7C15ULL);
  if (h.main == 0) h.main = 1;
  std::uint32_t fnv = 2166136261u;
  fnv = (fnv ^ static_cast<unsigned char>(kind)) * 16777619u;
  for (char c : text) fnv = (fnv ^ static_cast<unsigned char>(c)) * 16777619u;
  h.check = fnv;
  return h;
}

void KeyTable::reserve(std::size_t keys) {
  const std::size_t want = capacity_for(keys);
  if (want > slots_.size()) grow(want);
}

std::optional<std::uint32_t> KeyTable::find(KeyHash h) const {
  if (slots_.empty()) return std::nullopt;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h.main & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.main == 0) return std::nullopt;
    if (s.main == h.main && s.check == h.check) return s.ref;
  }
}

bool KeyTable::insert(KeyHash h, std::uint32_t ref) {
  if ((used_ + 1) * max_load_den > slots_.size() * max_load_num) grow(slots_.empty() ? capacity_for(1) : slots_.size() * 2);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h.main & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.main == h.main && s.check == h.check) return false;
    if (s.main != 0) continue;
    s = Slot{h.main, h.check, ref};
    ++used_;
    return true;
  }
}

void KeyTable::grow(std::size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  const std::size_t mask = capacity - 1;
  for (const Slot& s : old) {
    if (s.main == 0) continue;
    std::size_t i = s.main & mask;
    while (slots_[i].main != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace relance::imports::detail
