// Internal to core/imports: a set of text keys ("e:julia@acme.io") kept as hashes, each
// pointing to a 32-bit reference, in one flat array. The deduplication index holds a few
// keys for every contact of an organisation and every row of a file (millions on a large
// import): a node-based map of strings costs about 150 bytes per key, this table 16 bytes
// per slot at a load of at most 0.8.
//
// A key is two independent hashes (64 + 32 bits: murmur from the standard library and
// FNV-1a). Two different keys are taken for one only if both collide: for 10 million keys
// the chance that any two do is about 10^-15, far below that of a person typing a wrong
// email.
//
// Thread safety: none; one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace relance::imports::detail {

struct KeyHash {
  std::uint64_t main = 0;  // never 0 (0 marks an empty slot)
  std::uint32_t check = 0;
};

// `kind` separates the kinds of key (an email and a name never meet).
KeyHash hash_key(char kind, std::string_view text);

class KeyTable {
 public:
  // Room for `keys` keys without growing.
  void reserve(std::size_t keys);
  std::optional<std::uint32_t> find(KeyHash h) const;
  // Adds the key unless present; true when added.
  bool insert(KeyHash h, std::uint32_t ref);
  std::size_t size() const { return used_; }
  std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t main = 0;
    std::uint32_t check = 0;
    std::uint32_t ref = 0;
  };
  static_assert(sizeof(Slot) == 16);
  void grow(std::size_t capacity);  // a power of two

  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace relance::imports::detail
