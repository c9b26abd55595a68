#include "imports/import_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <future>

#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "imports/dedup.hpp"
#include "imports/import.hpp"
#include "services/record_writes.hpp"
#include "spdlog/spdlog.h"

namespace relance::imports {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace ent = storage::entities;
using services::WriteKind;

struct ImportJob {
  std::int64_t id = 0;
  auth::Principal principal;
  ImportOptions options;
  std::string mode = "create-only";
  bool dry_run = false;
  bool skip_invalid = false;
  fs::path dir;          // the job's folder: the upload and the report
  fs::path upload;
  fs::path report_path;
  std::unique_ptr<RowSource> source;  // opened by start(): the first pass reads it
  SourceInfo info;
  std::string description;

  std::atomic<std::uint64_t> rows_read{0}, checked{0}, created{0}, updated{0}, skipped{0},
      invalid{0}, bytes_read{0};
  std::uint64_t bytes_total = 0;
  std::mutex mu;  // the strings below
  std::string state = "queued", phase, error, queued_at, started_at, finished_at;
};

namespace {

constexpr std::string_view modes[] = {"create-only", "create-or-update", "update-only"};

bool flag(const std::string& name, const std::string& v) {
  if (v == "true" || v == "1" || v.empty()) return true;
  if (v == "false" || v == "0") return false;
  throw Problem::bad_request(name + " must be true or false", name);
}

std::string safe_name(std::string_view name, const std::string& fallback) {
  std::string out;
  if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos)
    name.remove_prefix(slash + 1);
  for (char ch : name) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 0x80 || std::isalnum(u) || ch == '.' || ch == '-' || ch == '_' || ch == ' ') out += ch;
    if (out.size() >= 120) break;
  }
  while (!out.empty() && out.front() == '.') out.erase(0, 1);
  return out.empty() ? fallback : out;
}

// Why the row cannot be imported, or "".
std::string check_row(const ImportRow& row, const services::OrgSettings& org) {
  if (!row.error.empty()) return row.error;
  try {
    storage::Row scratch;
    domain::apply_body(ent::contacts, row.contact, scratch, true, services::context_of(org));
    if (!row.company.empty()) {
      storage::Row c;
      json::object body{{"name", row.company}};
      domain::apply_body(ent::companies, body, c, true, services::context_of(org));
    }
  } catch (const Problem& p) {
    return p.detail();
  }
  return {};
}

// One line of the report.
struct Entry {
  std::size_t line = 0;
  std::string outcome;  // new, duplicate, updated, invalid, skipped
  std::int64_t contact_id = 0;
  std::size_t dup_line = 0;  // duplicate of an earlier row of the file
  std::string detail;
  std::vector<std::string> warnings;
  int op = -1;  // index of the write in the batch
};

// A write of the batch.
struct Op {
  bool create = true;
  std::size_t line = 0;
  json::object contact;
  std::string company;
  std::int64_t target = 0;  // update: the contact
  std::string why;
  // Set by the write job:
  std::int64_t id = 0;
  bool changed = false;
  std::string fields;  // "emails, title"
};

std::string text_of(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
}

}  // namespace

ImportService::ImportService(storage::Store& store, services::OrgDirectory& orgs,
                             ImportServiceOptions options)
    : store_(store), orgs_(orgs), options_(std::move(options)) {
  std::error_code ec;
  fs::remove_all(options_.work_dir, ec);  // jobs of an earlier run are forgotten
  fs::create_directories(options_.work_dir);
  worker_ = std::thread([this] { run_worker(); });
}

ImportService::~ImportService() { stop(); }

void ImportService::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::vector<std::string> ImportService::parameters() {
  return {"format", "preset", "mode", "dry_run", "skip_invalid", "mapping", "filename", "region"};
}

std::int64_t ImportService::start(const auth::Principal& p, std::string body,
                                  const std::string& content_type,
                                  const std::vector<std::pair<std::string, std::string>>& query) {
  if (!p.can_write) throw Problem::forbidden("this token is read-only");
  auto job = std::make_shared<ImportJob>();
  job->principal = p;
  job->options.presets_dir = options_.presets_dir;
  job->options.max_bytes = options_.max_bytes;
  auto org = orgs_.get(p.org_id);
  job->options.default_region = org->default_region.empty() ? "FR" : org->default_region;

  std::string type = domain::trim(domain::fold_ascii_case(content_type.substr(0, content_type.find(';'))));
  if (type == "text/vcard" || type == "text/x-vcard" || type == "text/directory") job->options.format = "vcard";
  else if (type == "text/csv" || type == "text/tab-separated-values") job->options.format = "csv";
  else if (type != "application/octet-stream" && type != "text/plain" && !type.empty())
    throw Problem(415, "Unsupported media type",
                  "send the file as the body, as text/csv, text/vcard or application/octet-stream");
  std::string filename;
  for (const auto& [k, v] : query) {
    if (k == "format") {
      if (v != "auto" && v != "csv" && v != "vcard")
        throw Problem::bad_request("format must be auto, csv or vcard", "format");
      job->options.format = v;
    } else if (k == "preset") {
      job->options.preset = v;
    } else if (k == "mode") {
      if (std::find(std::begin(modes), std::end(modes), v) == std::end(modes))
        throw Problem::bad_request("mode must be create-only, create-or-update or update-only", "mode");
      job->mode = v;
    } else if (k == "dry_run") {
      job->dry_run = flag(k, v);
    } else if (k == "skip_invalid") {
      job->skip_invalid = flag(k, v);
    } else if (k == "filename") {
      filename = v;
    } else if (k == "region") {
      job->options.default_region = domain::fold_ascii_upper(v);
    } else if (k == "mapping") {
      boost::system::error_code ec;
      json::value m = json::parse(v, ec);
      if (ec || !m.is_object())
        throw Problem::bad_request("mapping must be a JSON object of column: field", "mapping");
      for (const auto& [col, field] : m.get_object()) {
        if (!field.is_string())
          throw Problem::bad_request("mapping: the field of column " + std::string(col) + " must be a string", "mapping");
        job->options.mapping[std::string(col)] = std::string(field.get_string());
      }
      if (job->options.preset == "auto") job->options.preset = "custom";
    } else {
      throw Problem::bad_request("unknown parameter " + k + " (format, preset, mode, dry_run, "
                                 "skip_invalid, mapping, filename, region)", k);
    }
  }
  if (body.size() > options_.max_bytes)
    throw Problem(413, "File too large",
                  "the file has " + std::to_string(body.size()) + " bytes; imports take at most " +
                      std::to_string(options_.max_bytes) + " bytes (imports.max_bytes)");
  if (body.empty()) throw Problem::bad_request("the file is empty: send it as the request body");

  {
    std::lock_guard lock(mu_);
    job->id = next_id_++;
  }
  job->dir = fs::path(options_.work_dir) / std::to_string(job->id);
  fs::create_directories(job->dir);
  job->upload = job->dir / safe_name(filename, job->options.format == "vcard" ? "upload.vcf" : "upload.csv");
  job->report_path = job->dir / "report.jsonl";
  try {
    {
      std::ofstream out(job->upload, std::ios::binary | std::ios::trunc);
      out.write(body.data(), static_cast<std::streamsize>(body.size()));
      if (!out) throw Problem(507, "Insufficient storage", "the uploaded file could not be stored");
    }
    body.clear();
    body.shrink_to_fit();
    job->source = open_file(job->upload.string(), job->options);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(job->dir, ec);
    throw;
  }
  job->info = job->source->info();
  job->description = job->source->description();
  job->bytes_total = job->info.size;
  job->queued_at = domain::now_instant();
  {
    std::lock_guard lock(mu_);
    jobs_[job->id] = job;
    queue_.push_back(job);
  }
  wake_.notify_all();
  return job->id;
}

std::shared_ptr<ImportJob> ImportService::find(const auth::Principal& p, std::int64_t id) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->principal.org_id != p.org_id) throw Problem::not_found();
  return it->second;
}

json::object ImportService::status(const auth::Principal& p, std::int64_t id) {
  auto job = find(p, id);
  json::object o;
  o["id"] = job->id;
  std::lock_guard lock(job->mu);
  o["state"] = job->state;
  if (!job->phase.empty()) o["phase"] = job->phase;
  o["source"] = job->description;
  o["format"] = job->info.format;
  o["preset"] = job->info.preset;
  o["encoding"] = job->info.encoding;
  o["mode"] = job->mode;
  o["dry_run"] = job->dry_run;
  o["skip_invalid"] = job->skip_invalid;
  o["rows_checked"] = job->checked.load();
  o["rows_read"] = job->rows_read.load();
  o["created"] = job->created.load();
  o["updated"] = job->updated.load();
  o["skipped"] = job->skipped.load();
  o["invalid"] = job->invalid.load();
  o["bytes_read"] = job->bytes_read.load();
  o["bytes_total"] = job->bytes_total;
  o["queued_at"] = job->queued_at;
  o["started_at"] = job->started_at.empty() ? json::value(nullptr) : json::value(job->started_at);
  o["finished_at"] = job->finished_at.empty() ? json::value(nullptr) : json::value(job->finished_at);
  o["error"] = job->error.empty() ? json::value(nullptr) : json::value(job->error);
  o["report"] = "/api/v1/imports/" + std::to_string(job->id) + "/report";
  return o;
}

std::string ImportService::report(const auth::Principal& p, std::int64_t id, bool csv) {
  auto job = find(p, id);
  std::ifstream in(job->report_path, std::ios::binary);
  std::string line, out;
  if (csv) out = "line,outcome,contact_id,detail\r\n";
  while (std::getline(in, line)) {
    if (!csv) {
      out += line;
      out += '\n';
      continue;
    }
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const auto& o = v.get_object();
    std::string detail = text_of(o, "detail");
    std::string quoted = "\"";
    for (char ch : detail) {
      if (ch == '"') quoted += '"';
      quoted += ch;
    }
    quoted += '"';
    out += std::to_string(o.at("line").to_number<std::int64_t>()) + "," + text_of(o, "outcome") + "," +
           (o.contains("contact_id") ? std::to_string(o.at("contact_id").to_number<std::int64_t>()) : "") +
           "," + quoted + "\r\n";
  }
  return out;
}

void ImportService::run_worker() {
  for (;;) {
    std::shared_ptr<ImportJob> job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        for (auto& j : queue_) {
          std::lock_guard jl(j->mu);
          j->state = "failed";
          j->error = "the daemon stopped before the import ran";
        }
        queue_.clear();
        return;
      }
      job = queue_.front();
      queue_.pop_front();
    }
    {
      std::lock_guard jl(job->mu);
      job->state = "running";
      job->started_at = domain::now_instant();
    }
    std::string error;
    bool ok = false;
    try {
      run(*job);
      ok = true;
    } catch (const Problem& p) {
      error = p.detail();
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!ok) spdlog::warn("import {} failed: {}", job->id, error);
    job->source.reset();
    std::error_code ec;
    fs::remove(job->upload, ec);
    std::lock_guard jl(job->mu);
    if (!ok) {
      job->state = "failed";
      if (job->error.empty()) job->error = error;
    } else if (job->state == "running") {
      job->state = "done";
    }
    job->phase.clear();
    job->finished_at = domain::now_instant();
  }
}

void ImportService::run(ImportJob& job) {
  auto org = orgs_.get(job.principal.org_id);
  const domain::FieldContext ctx = services::context_of(*org);
  std::ofstream report(job.report_path, std::ios::binary | std::ios::trunc);
  auto write_entry = [&](const Entry& e) {
    json::object o;
    o["line"] = e.line;
    o["outcome"] = e.outcome;
    if (e.contact_id) o["contact_id"] = e.contact_id;
    if (!e.detail.empty()) o["detail"] = e.detail;
    if (!e.warnings.empty()) {
      json::array w;
      for (const auto& s : e.warnings) w.emplace_back(s);
      o["warnings"] = std::move(w);
    }
    report << json::serialize(o) << '\n';
  };
  auto stopped = [&] {
    if (stopping_) throw std::runtime_error("the daemon stopped during the import");
  };

  // Pass 1: every row checked; nothing written when one is invalid and skip_invalid is off.
  {
    std::lock_guard jl(job.mu);
    job.phase = "checking";
  }
  std::uint64_t invalid = 0;
  while (auto row = job.source->next()) {
    stopped();
    job.checked++;
    job.bytes_read = job.source->bytes_read() / 2;
    std::string why = check_row(*row, *org);
    if (why.empty()) continue;
    invalid++;
    if (!job.skip_invalid) write_entry(Entry{row->line, "invalid", 0, 0, why, row->warnings, -1});
  }
  if (invalid > 0 && !job.skip_invalid) {
    job.invalid = invalid;
    report.flush();
    std::lock_guard jl(job.mu);
    job.state = "failed";
    job.error = std::to_string(invalid) + " invalid row" + (invalid == 1 ? "" : "s") +
                ": nothing was imported (fix them, or import with skip_invalid=true to leave them out; "
                "the report lists them)";
    return;
  }

  // Pass 2: deduplicate and write in batches.
  {
    std::lock_guard jl(job.mu);
    job.phase = job.dry_run ? "reporting" : "importing";
  }
  job.source = open_file(job.upload.string(), job.options);
  DedupIndex index;
  index.load(store_, job.principal.org_id);
  const bool creates = job.mode != "update-only";
  const bool updates = job.mode != "create-only";
  const auth::Principal principal = job.principal;

  std::vector<Entry> entries;
  std::vector<Op> ops;
  // Creates and updates one contact inside the write; companies are linked by folded name,
  // created when the organisation has none of that name.
  auto company_of = [&](storage::WriteTxn* tx, const std::string& name) -> std::int64_t {
    if (domain::trim(name).empty()) return 0;
    if (auto id = index.company(name)) return *id;
    if (!tx) return -1;  // dry run: would be created
    storage::Row c;
    c.org_id = principal.org_id;
    c.values.resize(ent::companies.fields.size());
    c.set(ent::companies, "name", domain::trim(name));
    auto changed = services::set_fields(ent::companies, c);
    services::write_record(*tx, principal, ent::companies, WriteKind::create, c, nullptr, changed,
                           services::event_type(ent::companies, WriteKind::create));
    index.add_company(domain::trim(name), c.id);
    return c.id;
  };
  auto apply_op = [&](storage::WriteTxn* tx, Op& op) {
    if (op.create) {
      if (!tx) return;
      storage::Row row;
      row.org_id = principal.org_id;
      domain::apply_body(ent::contacts, op.contact, row, true, ctx);
      if (const std::int64_t c = company_of(tx, op.company); c > 0) row.set(ent::contacts, "company_id", c);
      auto changed = services::set_fields(ent::contacts, row);
      services::write_record(*tx, principal, ent::contacts, WriteKind::create, row, nullptr, changed,
                             services::event_type(ent::contacts, WriteKind::create));
      op.id = row.id;
      op.changed = true;
      return;
    }
    op.id = op.target;
    auto row = tx ? tx->get(ent::contacts, storage::Scope::org(principal.org_id), op.target)
                  : store_.get(ent::contacts, storage::Scope::org(principal.org_id), op.target);
    if (!row) return;  // deleted meanwhile: nothing to update
    boost::system::error_code ec;
    json::value existing = json::parse(domain::row_json(ent::contacts, *row, false), ec);
    if (ec || !existing.is_object()) return;
    std::int64_t company = 0;
    if (!op.company.empty() && existing.get_object().contains("company_id") &&
        existing.get_object().at("company_id").is_null())
      company = company_of(tx, op.company);
    json::object patch = update_patch(existing.get_object(), op.contact, company);
    if (patch.empty()) return;
    for (const auto& kv : patch) {
      if (!op.fields.empty()) op.fields += ", ";
      op.fields += kv.key();
    }
    op.changed = true;
    if (!tx) return;
    if (company < 0) patch.erase("company_id");
    const storage::Row before = *row;
    auto changed = domain::apply_body(ent::contacts, patch, *row, false, ctx);
    if (changed.empty()) {
      op.changed = false;
      return;
    }
    services::write_record(*tx, principal, ent::contacts, WriteKind::update, *row, &before, changed,
                           services::event_type(ent::contacts, WriteKind::update));
  };

  auto flush = [&] {
    if (!ops.empty()) {
      if (job.dry_run) {
        for (auto& op : ops) apply_op(nullptr, op);
      } else {
        std::promise<void> committed;
        auto done = committed.get_future();
        store_.write([&](storage::WriteTxn& tx) { for (auto& op : ops) apply_op(&tx, op); },
                     [&](std::exception_ptr e) {
                       if (e) committed.set_exception(e);
                       else committed.set_value();
                     });
        done.get();  // rethrows the write's error: the job fails, earlier batches stay
      }
    }
    for (auto& e : entries) {
      if (e.op >= 0) {
        const Op& op = ops[static_cast<std::size_t>(e.op)];
        if (op.create) {
          if (op.id) index.resolve(op.line, op.id);
          e.contact_id = op.id;
          job.created++;
        } else if (op.changed) {
          e.outcome = "updated";
          e.contact_id = op.id;
          e.detail = "updated contact " + std::to_string(op.id) + " (" + op.why + "): " + op.fields;
          job.updated++;
        } else {
          e.outcome = "duplicate";
          e.contact_id = op.id;
          e.detail = "duplicate of contact " + std::to_string(op.id) + " (" + op.why + "), nothing new";
          job.skipped++;
        }
      } else if (e.outcome == "duplicate" && e.dup_line) {
        e.contact_id = index.contact_of_line(e.dup_line);
        e.detail = e.contact_id ? "duplicate of contact " + std::to_string(e.contact_id) + " (line " +
                                      std::to_string(e.dup_line) + ", " + e.detail + ")"
                                : "duplicate of line " + std::to_string(e.dup_line) + " (" + e.detail + ")";
      }
      write_entry(e);
    }
    report.flush();
    entries.clear();
    ops.clear();
  };

  while (auto row = job.source->next()) {
    stopped();
    job.rows_read++;
    job.bytes_read = job.bytes_total / 2 + job.source->bytes_read() / 2;
    Entry e{row->line, "", 0, 0, "", std::move(row->warnings), -1};
    if (std::string why = check_row(*row, *org); !why.empty()) {
      e.outcome = "invalid";
      e.detail = std::move(why);
      job.invalid++;
      entries.push_back(std::move(e));
      continue;
    }
    const auto keys = dedup_keys(row->contact, row->company);
    const auto match = index.find(keys);
    if (!match) {
      if (!creates) {
        e.outcome = "skipped";
        e.detail = "matches no contact (update-only)";
        job.skipped++;
      } else {
        e.outcome = "new";
        index.add(keys, DedupTarget{0, row->line});
        e.op = static_cast<int>(ops.size());
        ops.push_back(Op{true, row->line, std::move(row->contact), std::move(row->company), 0, {}, 0, false, {}});
      }
    } else {
      index.add(keys, match->target);
      e.outcome = "duplicate";
      if (match->target.line != 0) {  // an earlier row of this file
        e.dup_line = match->target.line;
        e.detail = match->why;
        job.skipped++;
      } else if (!updates) {
        e.contact_id = match->target.contact_id;
        e.detail = "duplicate of contact " + std::to_string(e.contact_id) + " (" + match->why + ")";
        job.skipped++;
      } else {
        e.op = static_cast<int>(ops.size());
        ops.push_back(Op{false, row->line, std::move(row->contact), std::move(row->company),
                         match->target.contact_id, match->why, 0, false, {}});
      }
    }
    entries.push_back(std::move(e));
    if (ops.size() >= options_.batch || entries.size() >= 4 * options_.batch) flush();
  }
  flush();
  job.bytes_read = job.bytes_total;
}

}  // namespace relance::imports
