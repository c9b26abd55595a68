// What the fuzz targets share: how a target reports a broken property (abort, which
// libFuzzer and the replay both see as a crash) and where it keeps its scratch files.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/text.hpp"
#include "temp_dir.hpp"

namespace relance::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz property broken: %.*s: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Text the daemon hands to clients or stores is valid UTF-8 (JSON text, problem details).
inline void expect_utf8(std::string_view what, std::string_view text) {
  if (!domain::valid_utf8(text)) fail(what, "not valid UTF-8");
}

// A directory for the whole run, removed at exit.
inline const test::TempDir& scratch() {
  static const test::TempDir dir;
  return dir;
}

}  // namespace relance::fuzz
