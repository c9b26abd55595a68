// Internal to core/imports: a set of text keys (an email, a phone, a name at a company)
// kept as 64-bit hashes, each pointing to a 32-bit reference, in one flat array. The
// deduplication index holds a few keys for every contact of an organisation and every row
// of a file (millions on a large import): a node-based map of strings costs about 150
// bytes per key, this table 12 bytes per slot at a load of at most 0.8.
//
// Two different keys are taken for one only if their hashes collide (murmur2, the standard
// library's): for the 3 million keys of a million-contact import the chance that any two
// do is about 2 in 10 million, far below that of a person typing a wrong email; the report
// would then name the contact taken for a duplicate, and why.
//
// Thread safety: none; one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace relance::imports::detail {

using KeyHash = std::uint64_t;  // never 0 (0 marks an empty slot)

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
  struct Slot {  // the hash in two halves: 12 bytes, not 16 with an aligned 64-bit member
    std::uint32_t low = 0, high = 0;
    std::uint32_t ref = 0;
    KeyHash hash() const { return (static_cast<KeyHash>(high) << 32) | low; }
  };
  static_assert(sizeof(Slot) == 12);
  void grow(std::size_t capacity);  // a power of two

  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace relance::imports::detail
