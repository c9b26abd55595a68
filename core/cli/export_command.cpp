#include "cli/export_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "cli/api_client.hpp"
#include "cli/user_profile.hpp"

namespace relance::cli {
namespace {

struct ExportArgs {
  std::string format;
  std::string dataset;
  std::string output;                 // "" or "-": standard output
  std::vector<std::string> options;   // name=value: the format's options
  std::vector<std::string> filters;   // name=value: the list's filters
  std::string locale;
};

std::string encoded(const std::string& s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

std::string query_of(const ExportArgs& a) {
  std::string q = "?dataset=" + encoded(a.dataset);
  if (!a.locale.empty()) q += "&lang=" + encoded(a.locale);
  for (const auto* list : {&a.options, &a.filters})
    for (const std::string& kv : *list) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) throw CliError(usage, say("cli.export.bad_pair", {kv}));
      q += "&" + encoded(kv.substr(0, eq)) + "=" + encoded(kv.substr(eq + 1));
    }
  return q;
}

int write_export(const ExportArgs& a) {
  ApiClient api(resolve_endpoint());
  const std::string path = "/api/v1/exports/" + encoded(a.format) + query_of(a);
  if (a.output.empty() || a.output == "-") {
    api.download(path, [](std::string_view bytes) {
      if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size())
        throw CliError(failed, say("cli.file.stdout"));
    });
    std::fflush(stdout);
    return ok;
  }
  // Written beside the target, then renamed: a failed export leaves no file that could be
  // taken for a complete one, and never clobbers an older good file.
  const std::filesystem::path target(a.output);
  const std::filesystem::path partial = target.string() + ".part";
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) throw CliError(failed, say("cli.file.cannot_write", {partial.string()}));
  std::uintmax_t bytes_written = 0;
  try {
    api.download(path, [&](std::string_view bytes) {
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out) throw CliError(failed, say("cli.file.disk_full", {partial.string()}));
      bytes_written += bytes.size();
    });
    out.close();
    if (!out) throw CliError(failed, say("cli.file.cannot_write", {partial.string()}));
    std::filesystem::rename(partial, target);
  } catch (...) {
    out.close();
    std::error_code ec;
    std::filesystem::remove(partial, ec);
    throw;
  }
  if (isatty(STDERR_FILENO))
    std::cerr << say("cli.export.wrote", {target.string(), std::to_string(bytes_written)}) << "\n";
  return ok;
}

int run_export(const ExportArgs& a) {
  try {
    return write_export(a);
  } catch (const CliError& e) {
    // Each format has its own address: one that is not found is a format the user typed
    // that no plugin offers (the daemon's sentence names those available), a usage error.
    if (e.code() == not_found) throw CliError(usage, e.what());
    throw;
  }
}

}  // namespace

void add_export_command(CLI::App& app, std::function<int()>& run) {
  auto a = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand(
      "export", "Export records to a file (csv, jsonl, vcard, ics, xlsx...: `relance export --help`)");
  cmd->add_option("--format,-f", a->format, "Export format: csv, jsonl, vcard, ics, xlsx (GET /api/v1/exports lists them)")
      ->required();
  cmd->add_option("--dataset,-d", a->dataset,
                  "contacts, companies, leads, activities, followups or outcomes; several with commas")
      ->required();
  cmd->add_option("--output,-o", a->output, "File to write (default: standard output); removed if the export fails");
  cmd->add_option("--option", a->options, "A format option NAME=VALUE, e.g. --option delimiter=';' (repeatable)");
  cmd->add_option("--filter", a->filters, "A list filter NAME=VALUE, e.g. --filter stage=won --filter tag=ces (repeatable)");
  cmd->add_option("--lang,--locale", a->locale,
                  "fr or en: the language of the column headers and the format's defaults (default: yours)");
  cmd->callback([&run, a] { run = [a] { return run_export(*a); }; });
}

}  // namespace relance::cli
