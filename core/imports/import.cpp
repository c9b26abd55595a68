#include "imports/import.hpp"

#include <algorithm>
#include <filesystem>

#include "domain/problem.hpp"
#include "imports/presets.hpp"
#include "imports/sources.hpp"
#include "relance/model/schema.hpp"

namespace relance::imports {

namespace {

std::unique_ptr<RowSource> open_up_to(const std::string& path, const ImportOptions& options,
                                      std::uint64_t limit) {
  if (options.format != "auto" && options.format != "csv" && options.format != "vcard")
    throw Problem::bad_request("format must be auto, csv or vcard, not \"" + options.format + "\"",
                               "format");
  const detail::Scan scan = detail::scan_file(path, options.max_bytes, limit);
  const bool vcard = options.format == "auto" ? scan.vcard : options.format == "vcard";
  if (vcard && !scan.vcard)
    throw Problem(Problem::Kind::invalid, "Unreadable file",
                  detail::file_name(path) + " is not a vCard file: it does not start with BEGIN:VCARD");
  return vcard ? detail::open_vcard(path, scan, options) : detail::open_csv(path, scan, options);
}

}  // namespace

std::unique_ptr<RowSource> open_file(const std::string& path, const ImportOptions& options) {
  return open_up_to(path, options, detail::whole_file);
}

FirstLook check_beginning(const std::string& path, const ImportOptions& options, std::uint64_t limit) {
  auto source = open_up_to(path, options, limit);
  FirstLook look{source->info(), source->description()};
  source->skim();
  return look;
}

ColumnGuess guess_columns(const std::string& path, const ImportOptions& options, std::uint64_t limit) {
  const detail::Scan scan = detail::scan_file(path, options.max_bytes, limit);
  if (scan.vcard)
    throw Problem(Problem::Kind::invalid, "Unreadable file",
                  "a vCard file has no columns to map: its fields are read as they are named");
  return detail::guess_csv(path, scan, options);
}

std::vector<std::string> mapping_fields() {
  std::vector<std::string> out;
  for (const storage::Field& f : storage::entities::contacts.fields)
    if (detail::known_target(std::string(f.name))) out.emplace_back(f.name);
  for (const char* extra : {"company", "full_name", "ignore"}) out.emplace_back(extra);
  return out;
}

std::string default_presets_dir() {
  // Installed presets first, then the source tree's (a daemon run from the build tree).
  for (const char* dir : {RELANCE_INSTALLED_IMPORT_PRESETS, RELANCE_SOURCE_IMPORT_PRESETS})
    if (std::filesystem::is_directory(dir)) return dir;
  return RELANCE_SOURCE_IMPORT_PRESETS;
}

std::vector<std::string> preset_names(const std::string& presets_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(
           presets_dir.empty() ? default_presets_dir() : presets_dir, ec))
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace relance::imports
