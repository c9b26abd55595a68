// `relance import FILE`: uploads the file as the body of POST /api/v1/imports (one request,
// up to the daemon's imports.max_bytes and server.max_body_bytes), follows the job with a
// progress bar (a plain line a second when stderr is not a terminal) and prints the summary.
// Exit: 0 done, 2 file refused or invalid rows without --skip-invalid (a dry run too: it
// reports every row, and says the import would be refused), 1 other failures.
#include "cli/import_command.hpp"

#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "cli/api_client.hpp"
#include "cli/table.hpp"
#include "cli/user_profile.hpp"

namespace relance::cli {
namespace json = boost::json;
namespace {

struct ImportArgs {
  std::string file;
  std::string preset;
  std::string mode;
  bool dry_run = false;
  bool skip_invalid = false;
  std::vector<std::string> mapping;  // COL=FIELD
  std::string tag;
  std::int64_t event = 0;
  std::string region;
  std::string report;
  bool json_output = false;
};

std::string encoded(const std::string& s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

std::uint64_t count(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_number() ? it->value().to_number<std::uint64_t>() : 0;
}

std::string text(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
}

std::string query_of(const ImportArgs& a) {
  std::string q = "?filename=" + encoded(std::filesystem::path(a.file).filename().string());
  if (!a.preset.empty()) q += "&preset=" + encoded(a.preset);
  if (!a.mode.empty()) q += "&mode=" + encoded(a.mode);
  if (a.dry_run) q += "&dry_run=true";
  if (a.skip_invalid) q += "&skip_invalid=true";
  if (!a.tag.empty()) q += "&tag=" + encoded(a.tag);
  if (a.event) q += "&source_event_id=" + std::to_string(a.event);
  if (!a.region.empty()) q += "&region=" + encoded(a.region);
  if (!a.mapping.empty()) {
    json::object m;
    for (const auto& kv : a.mapping) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) throw CliError(usage, say("cli.import.bad_mapping", {kv}));
      m[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    q += "&mapping=" + encoded(json::serialize(m));
  }
  return q;
}

std::string clock_text(double seconds) {
  if (seconds < 0 || seconds > 360000) return "--:--";
  const auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// One line of progress. A job reads the file twice (checking every row, then importing):
// the line counts the file's rows once, "12000 rows" while checking, then "5000 of 12000
// rows" as they are imported, and the rate is that of the current pass.
void show_progress(const json::object& job, double elapsed, double pass_elapsed, bool tty) {
  const std::string state = text(job, "state"), phase = text(job, "phase");
  const bool finished = state == "done" || state == "failed";
  const std::uint64_t total = count(job, "bytes_total"), done = count(job, "bytes_read");
  const double fraction = state == "done" ? 1.0 : total ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
  const std::uint64_t checked = count(job, "rows_checked");
  const bool checking = phase == "checking" || phase.empty();
  const std::uint64_t rows = checking ? checked : count(job, "rows_read");
  const double rate = pass_elapsed > 0 ? static_cast<double>(rows) / pass_elapsed : 0.0;
  const double eta = fraction > 0.01 ? elapsed * (1.0 - fraction) / fraction : -1.0;
  std::string where = say_word("cli.import.state.", state);
  if (!phase.empty()) where += " (" + say_word("cli.import.phase.", phase) + ")";
  const std::string percent = std::to_string(static_cast<int>(fraction * 100));
  const std::string per_second = std::to_string(static_cast<long>(rate));
  const std::string line =
      finished ? say("cli.import.progress.finished", {where, percent, std::to_string(checked), clock_text(elapsed)})
      : checking
          ? say("cli.import.progress.checking", {where, percent, std::to_string(rows), per_second, clock_text(eta)})
          : say("cli.import.progress.importing",
                {where, percent, std::to_string(rows), std::to_string(checked), per_second, clock_text(eta)});
  if (tty) {
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << line << "   "
              << std::flush;
  } else {
    std::cerr << line << "\n";
  }
}

// What the job did, a label and a value a line, labels in the user's language.
void print_summary(const ImportArgs& a, const json::object& o) {
  const bool done = text(o, "state") == "done";
  auto number = [&o](std::string_view key, std::string_view why = {}) {
    return std::to_string(count(o, key)) + (why.empty() ? "" : " " + say(why));
  };
  std::vector<std::pair<std::string, std::string>> lines{
      // Every row of the file, so that the lines below add up to it.
      {"cli.import.summary.rows", number("rows_checked")},
      {"cli.import.summary.created", number("created")},
      {"cli.import.summary.updated", number("updated")},
      {"cli.import.summary.skipped", number("skipped", "cli.import.summary.duplicates")},
      {"cli.import.summary.ignored", number("ignored", "cli.import.summary.ignored_why")},
      {"cli.import.summary.invalid", number("invalid")},
  };
  if (done && a.dry_run && count(o, "invalid") > 0 && !a.skip_invalid)
    lines.emplace_back("cli.import.summary.note", say("cli.import.summary.would_refuse"));
  if (!done) lines.emplace_back("cli.import.summary.error", text(o, "error"));
  lines.emplace_back("cli.import.summary.report",
                     a.report.empty() ? say("cli.import.summary.report_hint", {text(o, "report")}) : a.report);

  std::cout << say(a.dry_run ? "cli.import.summary.dry_run" : "cli.import.summary.import",
                   {text(o, "source"), say(done ? "cli.import.state.done" : "cli.import.state.failed")})
            << "\n";
  std::size_t width = 0;
  for (auto& [label, value] : lines) {
    label = say(label);  // the key, then its words
    width = std::max(width, text_width(label));
  }
  for (const auto& [label, value] : lines)
    std::cout << "  " << label << std::string(width + 4 - text_width(label), ' ') << value << "\n";
}

int run_import(const ImportArgs& a) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) throw CliError(usage, say("cli.file.cannot_read", {a.file}));
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (body.empty()) throw CliError(usage, say("cli.import.empty_file", {a.file}));
  const std::string ext = std::filesystem::path(a.file).extension().string();
  const std::string type = ext == ".vcf" || ext == ".vcard" ? "text/vcard" : "application/octet-stream";

  ApiClient api(resolve_endpoint());
  ApiResponse posted = api.request("POST", "/api/v1/imports" + query_of(a), body, type);
  body.clear();
  if (posted.status == 400 || posted.status == 413 || posted.status == 415 || posted.status == 422) {
    try {
      check_status(posted);
    } catch (const CliError& e) {
      throw CliError(usage, say("cli.import.refused", {e.what()}));
    }
    throw CliError(usage, say("cli.import.refused_status", {std::to_string(posted.status)}));
  }
  check_status(posted);
  json::value job = posted.json();
  const std::string id = std::to_string(count(job.as_object(), "id"));

  const bool tty = isatty(STDERR_FILENO) != 0;
  const auto started = std::chrono::steady_clock::now();
  auto last_line = started - std::chrono::seconds(1);
  auto pass_started = started;  // the rate is that of the current pass
  std::string phase;
  auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  auto finished = [&] {
    const std::string state = text(job.as_object(), "state");
    return state == "done" || state == "failed";
  };
  while (!finished()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(tty ? 200 : 100));
    job = api.call("GET", "/api/v1/imports/" + id).json();
    if (finished()) break;
    const auto now = std::chrono::steady_clock::now();
    if (const std::string p = text(job.as_object(), "phase"); p != phase) {
      if (!phase.empty()) pass_started = now;
      phase = p;
    }
    if (tty || now - last_line >= std::chrono::seconds(1)) {
      show_progress(job.as_object(), seconds(now - started), seconds(now - pass_started), tty);
      last_line = now;
    }
  }
  // The last line says how the job ended ("done 100% 12000 rows in 0:41"), not where it was.
  const auto now = std::chrono::steady_clock::now();
  show_progress(job.as_object(), seconds(now - started), seconds(now - pass_started), tty);
  if (tty) std::cerr << "\n";

  if (!a.report.empty()) {
    const bool csv = std::filesystem::path(a.report).extension() == ".csv";
    ApiResponse r = api.call("GET", "/api/v1/imports/" + id + "/report" + (csv ? "?format=csv" : ""));
    std::ofstream out(a.report, std::ios::binary | std::ios::trunc);
    out << r.body;
    if (!out) throw CliError(failed, say("cli.file.cannot_write", {a.report}));
  }

  const json::object& o = job.as_object();
  const bool done = text(o, "state") == "done";
  if (a.json_output) {
    std::cout << json::serialize(o) << "\n";
  } else {
    print_summary(a, o);
  }
  if (done && (count(o, "invalid") == 0 || a.skip_invalid)) return ok;
  if (count(o, "invalid") > 0 && !a.skip_invalid) return usage;
  return failed;
}

}  // namespace

void add_import_command(CLI::App& app, std::function<int()>& run) {
  auto a = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "Import contacts from a CSV or vCard file, with deduplication");
  cmd->add_option("file", a->file, "The CSV (LinkedIn, Google, Outlook, HubSpot, spreadsheet) or vCard file")
      ->required();
  cmd->add_option("--preset", a->preset, "linkedin, google, outlook, hubspot, generic or custom (default: detected)");
  cmd->add_option("--mode", a->mode, "create-only (default), create-or-update or update-only")
      ->check(CLI::IsMember({"create-only", "create-or-update", "update-only"}));
  cmd->add_flag("--dry-run", a->dry_run, "Report what the import would do, write nothing");
  cmd->add_flag("--skip-invalid", a->skip_invalid, "Import the valid rows even when some are invalid");
  cmd->add_option("--mapping", a->mapping, "COLUMN=FIELD for a custom file, e.g. --mapping 'Courriel=emails' (repeatable)");
  cmd->add_option("--tag", a->tag, "Add this tag to every imported contact, e.g. --tag sv-june");
  cmd->add_option("--event", a->event, "The event (trade mission, fair) every imported contact was met at, by id");
  cmd->add_option("--region", a->region,
                  "Country to read phone numbers without +country code in, for rows with no country "
                  "(default: the organisation's), e.g. --region US");
  cmd->add_option("--report", a->report, "Save the per-row report to FILE (.csv: CSV, else JSON lines)");
  cmd->add_flag("--json", a->json_output, "Print the job's final state as JSON");
  cmd->callback([&run, a] { run = [a] { return run_import(*a); }; });
}

}  // namespace relance::cli
