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
  const KeyHash h = std::hash<std::string_view>{}(text) ^
                    (static_cast<KeyHash>(static_cast<unsigned char>(kind)) * 0x9E3779B97F4A7C15ULL);
  return h == 0 ? 1 : h;
}

void KeyTable::reserve(std::size_t keys) {
  const std::size_t want = capacity_for(keys);
  if (want > slots_.size()) grow(want);
}

std::optional<std::uint32_t> KeyTable::find(KeyHash h) const {
  if (slots_.empty()) return std::nullopt;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const KeyHash in_slot = slots_[i].hash();
    if (in_slot == 0) return std::nullopt;
    if (in_slot == h) return slots_[i].ref;
  }
}

bool KeyTable::insert(KeyHash h, std::uint32_t ref) {
  if ((used_ + 1) * max_load_den > slots_.size() * max_load_num) grow(slots_.empty() ? capacity_for(1) : slots_.size() * 2);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    const KeyHash in_slot = s.hash();
    if (in_slot == h) return false;
    if (in_slot != 0) continue;
    s = Slot{static_cast<std::uint32_t>(h), static_cast<std::uint32_t>(h >> 32), ref};
    ++used_;
    return true;
  }
}

void KeyTable::grow(std::size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  const std::size_t mask = capacity - 1;
  for (const Slot& s : old) {
    if (s.hash() == 0) continue;
    std::size_t i = s.hash() & mask;
    while (slots_[i].hash() != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace relance::imports::detail
