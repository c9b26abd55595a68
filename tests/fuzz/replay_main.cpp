// The main of a fuzz target outside the fuzz build: runs LLVMFuzzerTestOneInput once on
// every file of the directories given (the stored corpus and the regression inputs), so
// that CI replays them with the normal compiler and, under the asan preset, with
// AddressSanitizer and UBSan, without clang or fuzzing time. A crash, a sanitizer report or
// an exception escaping the target fails the run; a missing directory is skipped (git keeps
// no empty regressions/<name>/), but no input at all is an error.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(argv[i], ec))
      if (entry.is_regular_file()) inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());  // the same order on every run
  if (inputs.empty()) {
    std::fprintf(stderr, "no input to replay in the directories given\n");
    return 2;
  }
  for (const fs::path& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
    // A copy of exactly the input's size, as libFuzzer gives it: a read past the end is
    // then a read past an allocation, which AddressSanitizer sees.
    std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(data.data(), data.size());
  }
  std::fprintf(stderr, "%zu inputs replayed\n", inputs.size());
  return 0;
}
