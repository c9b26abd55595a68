// Fuzz target: the vCard reader (core/imports/vcard.cpp): folded lines, parameters,
// escapes, quoted-printable, nesting, binary properties, vCard 2.1 to 4.0.
#include "import_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  relance::fuzz::read_import(data, size, "vcard");
  return 0;
}
