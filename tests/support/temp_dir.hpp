// TempDir: a fresh directory for one test, removed when the test ends.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

namespace relance::test {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("RELANCE_TEST_TMP");
    std::filesystem::path root = base ? base : std::filesystem::temp_directory_path();
    std::random_device rd;
    path_ = root / ("relance-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace relance::test
