// Contact import, reading side: turns a file a founder has (a CSV export of LinkedIn, Google
// Contacts, Outlook, HubSpot or a spreadsheet; a vCard file of Apple Contacts or Android)
// into contact records, one at a time, as POST /api/v1/contacts takes them. The import jobs,
// deduplication, API and CLI are built on top of this interface.
//
// How a CSV file's columns map to contact fields is data, not code: the presets in
// core/imports/presets/*.toml (installed to share/relance/import-presets), see
// presets/README.md.
//
// Thread safety: a RowSource is used by one thread at a time; open_file is reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "relance/model/row.hpp"

namespace relance::imports {

// One record read from the file: a contact as it will be stored (storage::Row of
// entities::contacts: first_name, last_name, emails, phones, title, city, country,
// linkedin_url, tags, notes, met_at, met_where), built once and checked against the same
// field rules as POST /api/v1/contacts (emails lower-cased, phones in E.164 read in
// default_region, country as ISO 3166-1 alpha-2, met_at as an RFC 3339 instant), plus the
// company name when the file has one (checked as a company's name; the import links or
// creates the company), the line (CSV: the physical line where the record starts, 1-based;
// vCard: the BEGIN:VCARD line) and either an error (the row is invalid: why, in a sentence
// naming the column) or nothing. The rows go to the database as they are: nothing checks or
// converts them again.
//
// A row that holds no contact at all (a blank line, a row of empty cells, or a row whose
// only values are dates, as LinkedIn's Connections.csv may end with) is not an error: it
// comes with `not_a_contact` saying so, and the import skips it and reports it.
struct ImportRow {
  std::size_t line = 0;
  storage::Row contact;  // values only: no id, organisation or version yet
  std::string company;
  std::string error;                  // "" when the row is usable
  std::vector<std::string> warnings;  // e.g. "column Notes starts with '=': kept as text"
  std::string not_a_contact;          // "" or why the row is skipped ("blank row")
};

struct ImportOptions {
  std::string format = "auto";  // auto | csv | vcard
  std::string preset = "auto";  // auto | linkedin | google | outlook | hubspot | generic | custom
                                // (or the name of any other presets/<name>.toml)
  std::map<std::string, std::string> mapping;  // custom: file column -> contact field (or
                                               // "company", "full_name", "ignore")
  std::string default_region = "FR";  // phones without a country code, when the row has no country
  std::uint64_t max_bytes = 100 << 20;  // a larger file is refused before reading
  std::string presets_dir;  // "" = the installed presets, else the source tree's
};

// What open_file found out about the file.
struct SourceInfo {
  std::string format;    // "csv" or "vcard"
  std::string encoding;  // "UTF-8", "UTF-8 with BOM" or "Windows-1252"
  char delimiter = 0;    // CSV: ',', ';' or '\t'
  std::string preset;    // CSV: the preset used ("linkedin", "custom"...); vCard: "vcard"
  std::string version;   // vCard: version of the first card ("3.0", "4.0"...)
  std::vector<std::string> columns;  // CSV: the header, as in the file
  std::vector<std::string> ignored;  // CSV: header columns no field takes
  std::size_t header_line = 0;       // CSV: the header's line (after any preamble)
  std::uint64_t size = 0;            // bytes in the file
};

class RowSource {  // reads rows one at a time; memory stays flat whatever the file size
 public:
  virtual ~RowSource() = default;
  // The next row; nullopt at the end. Throws an invalid Problem where the file's structure breaks
  // (unbalanced quotes at line N, a vCard nested too deep or never ended...).
  virtual std::optional<ImportRow> next() = 0;
  // Reads the rest for its structure only (records, cards), building no row: throws what
  // next() would.
  virtual void skim() = 0;
  virtual std::uint64_t bytes_read() const = 0;  // for progress
  virtual std::string description() const = 0;  // "LinkedIn Connections.csv (UTF-8, ',')"
  virtual const SourceInfo& info() const = 0;
};

// Opens a file; throws a Problem (malformed, too_large or invalid, with a clear sentence) for a file that cannot be read
// at all (binary garbage, empty, too large, a header no preset knows...). The whole file is
// scanned once (its size, encoding and bytes) before the first row; its records are checked
// as they are read (RowSource::next), so a file broken near its end is refused by the
// reading, while none of its rows was written yet. Per-row problems are ImportRow::error,
// not exceptions.
std::unique_ptr<RowSource> open_file(const std::string& path, const ImportOptions& options);

// What the quick check of a file found: what the job shows until the file is opened whole.
struct FirstLook {
  SourceInfo info;
  std::string description;
};
// The quick check of an upload, before its job is queued: open_file's checks and the
// records' structure (RowSource::skim), on the file's first `limit` bytes only, so that its
// cost does not grow with the file. Throws the Problem open_file or the reading would for a
// fault in those bytes; faults further in are found by the import's reading.
FirstLook check_beginning(const std::string& path, const ImportOptions& options, std::uint64_t limit);

// How the import would read a CSV file's columns, for a client that lets its user check and
// change the mapping before sending the file (POST /api/v1/import-columns): the preset that
// recognises the header, or none, and the field each column goes to.
struct ColumnGuess {
  std::string preset;  // the preset's name; "" when none recognises the header
  std::string label;   // the preset's label ("LinkedIn Connections"); "" with no preset
  std::string encoding;
  char delimiter = ',';
  std::size_t header_line = 1;       // after any preamble the preset skips
  std::vector<std::string> columns;  // the header, as in the file
  std::vector<std::string> fields;   // for each column: its field, "ignore" when none takes it
};
// Reads the header of a CSV file's first `limit` bytes. Throws the Problem open_file would
// for a file it cannot read at all (empty, not text, a vCard file: nothing to map), but not
// for a header no preset knows: that is what the mapping is for.
ColumnGuess guess_columns(const std::string& path, const ImportOptions& options, std::uint64_t limit);
// The fields a mapping may name (ImportOptions::mapping): the contact fields an import
// writes, then "company", "full_name" and "ignore".
std::vector<std::string> mapping_fields();

// The presets found in options.presets_dir (or the default folder), by name.
std::vector<std::string> preset_names(const std::string& presets_dir = {});
// The folder presets are read from when ImportOptions::presets_dir is empty.
std::string default_presets_dir();

}  // namespace relance::imports
