#include "cli/report_command.hpp"

#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/table.hpp"
#include "cli/user_profile.hpp"

namespace relance::cli {
namespace json = boost::json;

namespace {

struct ReportArgs {
  std::string report;  // funnel, outcomes, discipline, stale, summary
  std::string event, org, sector, partner, from, to, days, limit, lang;
  std::string format = "table";
  std::string output;  // "" or "-": standard output
};

// The command's short names and the API's.
const std::map<std::string, std::string> api_names{{"funnel", "funnel"},
                                                    {"outcomes", "outcomes"},
                                                    {"discipline", "followup-discipline"},
                                                    {"stale", "stale"},
                                                    {"summary", "mission-summary"}};

std::string encoded(const std::string& s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

std::string path_of(const ReportArgs& a, const std::string& format) {
  std::string q;
  const std::pair<const char*, const std::string*> params[] = {
      {"event_id", &a.event}, {"org_id", &a.org}, {"sector", &a.sector}, {"partner_company_id", &a.partner},
      {"from", &a.from},      {"to", &a.to},      {"days", &a.days},     {"limit", &a.limit},
      {"lang", &a.lang}};
  for (const auto& [name, value] : params)
    if (!value->empty()) q += std::string(q.empty() ? "?" : "&") + name + "=" + encoded(*value);
  if (format != "json") q += std::string(q.empty() ? "?" : "&") + "format=" + encoded(format);
  return "/api/v1/reports/" + api_names.at(a.report) + q;
}

// ---- cells

std::string integer(const json::value& v) { return v.is_int64() ? std::to_string(v.as_int64()) : cell_text(&v); }
std::string percent(const json::value& v) {
  if (!v.is_number()) return "-";
  return std::to_string(std::lround(v.to_number<double>() * 100)) + " %";
}
// A number with `places` decimals, with a decimal comma for a French reader.
std::string decimal(double x, int places) {
  char out[64];
  std::snprintf(out, sizeof out, "%.*f", places, x);
  std::string text = out;
  if (user_locale() == domain::Locale::fr) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}
// A duration in seconds, in the unit that reads best.
std::string duration(const json::value& v) {
  if (!v.is_number()) return "-";
  const double s = v.to_number<double>();
  if (s < 120) return say("cli.report.unit.seconds", {decimal(s, 1)});
  if (s < 48 * 3600) return say("cli.report.unit.hours", {decimal(s / 3600, 1)});
  return say("cli.report.unit.days", {decimal(s / 86400, 1)});
}
std::string hours(const json::value& v) {
  return v.is_number() ? duration(json::value(v.to_number<double>() * 3600)) : "-";
}
std::string money(const json::value& v) { return v.is_number() ? decimal(v.to_number<double>(), 2) : "-"; }
std::string stage(const json::value& v) { return say_word("stage.", v.as_string()); }
std::string col(std::string_view name) { return say(std::string("cli.report.col.") + std::string(name)); }

// The mission's totals first, then each start-up the caller sees: `rows` adds a group's rows.
template <class Rows>
std::vector<TableRow> by_startup(const json::object& doc, std::string_view overall, Rows rows) {
  std::vector<TableRow> out;
  rows(say("cli.report.total"), doc.at(overall).as_object(), out);
  for (const auto& s : doc.at("startups").as_array())
    rows(std::string(s.at("org_name").as_string()), s.as_object(), out);
  return out;
}

std::string funnel_table(const json::object& doc) {
  auto rows = by_startup(doc, "overall", [](const std::string& who, const json::object& g, std::vector<TableRow>& out) {
    for (const auto& s : g.at("stages").as_array())
      out.push_back({who, stage(s.at("stage")), integer(s.at("leads")), integer(s.at("reached")),
                     percent(s.at("conversion_to_next")), duration(s.at("median_seconds")),
                     duration(s.at("p90_seconds"))});
  });
  return say("cli.report.title.funnel") + "\n" +
         render_table({col("startup"), col("stage"), col("leads"), col("reached"), col("conversion"), col("median"),
                       col("p90")},
                      rows);
}

std::string outcomes_table(const json::object& doc) {
  std::vector<TableRow> rows;
  auto add = [&](const std::string& breakdown, const std::string& key, const json::object& f) {
    std::string others;
    for (const auto& a : f.at("amounts").as_array())
      others += (others.empty() ? "" : ", ") + std::string(a.at("currency").as_string()) + " " + money(a.at("amount"));
    rows.push_back({breakdown, key, integer(f.at("count")), money(f.at("amount_eur")), others.empty() ? "-" : others,
                    integer(f.at("jobs"))});
  };
  add(say("cli.report.total"), "", doc.at("totals").as_object());
  const std::pair<const char*, const char*> groups[] = {
      {"startups", "org_name"}, {"by_kind", "kind"}, {"by_partner", "company_name"},
      {"by_sector", "sector"},  {"by_month", "month"}};
  for (const auto& [member, key] : groups) {
    for (const auto& g : doc.at(member).as_array())
      add(say_word("cli.report.breakdown.", member), cell_text(g.as_object().if_contains(key)), g.as_object());
    const json::object& others = doc.at("other_partners").as_object();
    if (std::string_view(member) == "by_partner" && others.at("count").as_int64() > 0)
      add(say_word("cli.report.breakdown.", "other_partners"), "", others);
  }
  return say("cli.report.title.outcomes") + "\n" +
         render_table({col("breakdown"), col("key"), col("count"), col("amount_eur"), col("amounts"), col("jobs")},
                      rows);
}

std::string discipline_table(const json::object& doc) {
  auto rows = by_startup(doc, "overall", [](const std::string& who, const json::object& d, std::vector<TableRow>& out) {
    out.push_back({who, integer(d.at("mission_leads")), integer(d.at("with_reference")),
                   percent(d.at("share_within_72h")), percent(d.at("share_within_7d")),
                   hours(d.at("median_hours_to_first_followup")), integer(d.at("overdue_followups"))});
  });
  return say("cli.report.title.discipline") + "\n" +
         render_table({col("startup"), col("mission_leads"), col("with_reference"), col("within_72h"),
                       col("within_7d"), col("median"), col("overdue")},
                      rows);
}

std::string stale_table(const json::object& doc) {
  auto rows = by_startup(doc, "totals", [](const std::string& who, const json::object& g, std::vector<TableRow>& out) {
    for (const auto& s : g.at("stages").as_array()) out.push_back({who, stage(s.at("stage")), integer(s.at("leads"))});
  });
  std::string text = say("cli.report.title.stale") + "\n" + render_table({col("startup"), col("stage"), col("leads")}, rows);
  const json::array& leads = doc.at("leads").as_array();
  if (!leads.empty()) {
    std::vector<TableRow> list;
    for (const auto& l : leads)
      list.push_back({integer(l.at("id")), cell_text(&l.at("title")), stage(l.at("stage")),
                      decimal(l.at("idle_days").to_number<double>(), 1)});
    text += "\n" + say("cli.report.title.stale_leads") + "\n" +
            render_table({col("id"), col("title"), col("stage"), col("idle_days")}, list);
  }
  return text;
}

std::string tables_of(const std::string& report, const json::object& doc) {
  if (report == "funnel") return funnel_table(doc);
  if (report == "outcomes") return outcomes_table(doc);
  if (report == "discipline") return discipline_table(doc);
  if (report == "stale") return stale_table(doc);
  return funnel_table(doc.at("funnel").as_object()) + "\n" + outcomes_table(doc.at("outcomes").as_object()) + "\n" +
         discipline_table(doc.at("followup_discipline").as_object()) + "\n" +
         stale_table(doc.at("stale").as_object());
}

// ---- output

void write_out(const std::string& output, const std::string& bytes) {
  if (output.empty() || output == "-") {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) throw CliError(failed, say("cli.file.stdout"));
    std::fflush(stdout);
    return;
  }
  // Written beside the target, then renamed: no half-written file under the name asked for.
  const std::filesystem::path target(output), partial = output + ".part";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw CliError(failed, say("cli.file.cannot_write", {partial.string()}));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(partial, ec);
      throw CliError(failed, say("cli.file.cannot_write", {partial.string()}));
    }
  }
  std::filesystem::rename(partial, target);
  if (isatty(STDERR_FILENO))
    std::cerr << say("cli.export.wrote", {target.string(), std::to_string(bytes.size())}) << "\n";
}

int run_report(const ReportArgs& a) {
  ApiClient api(resolve_endpoint());
  if (a.format == "table" || a.format == "json") {
    const ApiResponse r = api.call("GET", path_of(a, "json"));
    if (a.format == "json") write_out(a.output, r.body + (r.body.ends_with('\n') ? "" : "\n"));
    else write_out(a.output, tables_of(a.report, r.json().as_object()));
    return ok;
  }
  std::string bytes;
  try {
    api.download(path_of(a, a.format), [&](std::string_view piece) { bytes.append(piece); });
  } catch (const CliError& e) {
    if (e.code() == not_found) throw CliError(usage, e.what());  // a format no plugin offers
    throw;
  }
  write_out(a.output, bytes);
  return ok;
}

}  // namespace

void add_report_command(CLI::App& app, std::function<int()>& run) {
  auto a = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "What a mission produced: funnel, outcomes, follow-up discipline, stale leads");
  cmd->add_option("report", a->report, "funnel, outcomes, discipline, stale or summary")
      ->required()
      ->check(CLI::IsMember({"funnel", "outcomes", "discipline", "stale", "summary"}));
  cmd->add_option("--event", a->event, "The mission or fair (event id)");
  cmd->add_option("--org", a->org, "One start-up (organisation id; staff only, members see their own)");
  cmd->add_option("--sector", a->sector, "The sector of the leads' companies (outcomes: of the partners)");
  cmd->add_option("--partner", a->partner, "One partner company (company id)");
  cmd->add_option("--from", a->from, "First day of the period, YYYY-MM-DD");
  cmd->add_option("--to", a->to, "Last day of the period, YYYY-MM-DD");
  cmd->add_option("--days", a->days, "stale: idle days for every stage (default: the stage's rule, else 14)");
  cmd->add_option("--limit", a->limit, "the longest list: stale leads, partners (default 100, at most 10000)");
  cmd->add_option("--format,-f", a->format, "table (default), json, csv or xlsx")
      ->check(CLI::IsMember({"table", "json", "csv", "xlsx"}));
  cmd->add_option("--output,-o", a->output, "File to write (default: standard output)");
  cmd->add_option("--lang,--locale", a->lang, "fr or en: the language of a file's headers (default: yours)");
  cmd->callback([&run, a] { run = [a] { return run_report(*a); }; });
}

}  // namespace relance::cli
