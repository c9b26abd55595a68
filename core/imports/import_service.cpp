#include "imports/import_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "domain/fields.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/record_json.hpp"
#include "imports/duplicates.hpp"
#include "imports/import.hpp"
#include "imports/import_job.hpp"
#include "imports/import_run.hpp"

namespace relance::imports {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view mode_names[] = {"create-only", "create-or-update", "update-only"};

// The first bytes of an upload that start() checks: enough for any header and many records,
// little enough that the check costs the same for every file.
constexpr std::uint64_t checked_at_start = 1 << 20;

ImportStart refused(ImportStart::Refusal why, std::string detail, std::string option = {}) {
  return ImportStart{why, 0, std::move(detail), std::move(option)};
}

// A refusal of the readers (imports/import.hpp), by its kind.
ImportStart refused(const Problem& p) {
  using R = ImportStart::Refusal;
  if (p.kind() == Problem::Kind::too_large) return refused(R::too_large, p.detail());
  if (p.kind() == Problem::Kind::malformed) return refused(R::bad_option, p.detail(), p.field());
  return refused(p.title() == "Empty file" ? R::empty_file : R::unreadable, p.detail());
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

std::string text_of(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
}

// The upload and the spool hold the file's personal data: once the job ended, only the
// report stays.
void remove_all_but_report(const ImportJob& job) {
  std::vector<fs::path> done_with;
  std::error_code ec;
  for (fs::directory_iterator it(job.dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path() != job.report_path) done_with.push_back(it->path());
  for (const auto& p : done_with) fs::remove_all(p, ec);
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

std::string_view mode_name(ImportMode mode) { return mode_names[static_cast<std::size_t>(mode)]; }

std::optional<ImportMode> parse_mode(std::string_view name) {
  for (std::size_t i = 0; i < std::size(mode_names); ++i)
    if (mode_names[i] == name) return static_cast<ImportMode>(i);
  return std::nullopt;
}

ImportStart ImportService::start(const ImportRequest& request) {
  using R = ImportStart::Refusal;
  if (!request.principal.can_write) return refused(R::read_only, "this token is read-only");
  if (request.file.size() > options_.max_bytes)
    return refused(R::too_large, "the file has " + std::to_string(request.file.size()) +
                                     " bytes; imports take at most " + std::to_string(options_.max_bytes) +
                                     " bytes (imports.max_bytes)");
  if (request.file.empty()) return refused(R::no_file, "the file is empty: send it as the request body");
  if (ImportStart wrong = check_options(request); !wrong.accepted()) return wrong;
  const std::pair<std::int64_t, std::string> key{request.principal.user_id, request.idempotency_key};
  if (!key.second.empty()) {
    std::lock_guard lock(mu_);
    auto [seen, fresh] = keyed_jobs_.try_emplace(key, KeyedJob{request.request_digest, 0});
    if (!fresh) {
      if (seen->second.digest != request.request_digest)
        return refused(R::key_reused, "this Idempotency-Key was used for a different request", "Idempotency-Key");
      if (seen->second.job_id == 0)
        return refused(R::key_in_use, "the first request with this Idempotency-Key is still starting; try again",
                       "Idempotency-Key");
      return ImportStart{R::none, seen->second.job_id, {}, {}};
    }
  }
  // Nothing started, whether refused or failed: the key is free again for a retry.
  auto release_key = [&] {
    if (key.second.empty()) return;
    std::lock_guard lock(mu_);
    keyed_jobs_.erase(key);
  };
  std::shared_ptr<ImportJob> job;
  ImportStart stored;
  try {
    job = new_job(request);
    stored = store_upload(*job, request);
  } catch (...) {
    release_key();
    throw;
  }
  if (!stored.accepted()) {
    release_key();
    return stored;
  }
  std::lock_guard lock(mu_);
  job->queued_at = domain::now_instant();
  jobs_[job->id] = job;
  queue_.push_back(job);
  if (!key.second.empty()) keyed_jobs_[key].job_id = job->id;
  wake_.notify_all();
  return ImportStart{R::none, job->id, {}, {}};
}

ImportStart ImportService::check_options(const ImportRequest& request) {
  using R = ImportStart::Refusal;
  if (!request.tag.empty()) {
    try {
      domain::to_storage(*storage::entities::contacts.field("tags"), json::array{json::string(request.tag)}, {});
    } catch (const Problem& p) {
      return refused(R::bad_option, "tag: " + p.detail(), "tag");
    }
  }
  if (request.source_event_id) {
    // The organisation's own events and the region's (the missions it shares), as a
    // contact's source_event_id may name them (services/record_writes.cpp).
    const auto event = store_.get(storage::entities::events, storage::Scope::org_and_region(request.principal.org_id),
                                   request.source_event_id);
    if (!event)
      return refused(R::bad_option, "source_event_id: no event " + std::to_string(request.source_event_id) +
                                        " in your organisation or the region's", "source_event_id");
  }
  return ImportStart{};
}

std::shared_ptr<ImportJob> ImportService::new_job(const ImportRequest& request) {
  auto job = std::make_shared<ImportJob>();
  job->principal = request.principal;
  job->mode = request.mode;
  job->dry_run = request.dry_run;
  job->skip_invalid = request.skip_invalid;
  job->tag = domain::trim(request.tag);
  job->source_event_id = request.source_event_id;
  ImportOptions& o = job->options;
  o.format = request.format;
  o.preset = request.preset;
  o.mapping = request.mapping;
  o.presets_dir = options_.presets_dir;
  o.max_bytes = options_.max_bytes;
  if (!request.region.empty()) {
    o.default_region = request.region;
  } else {
    auto org = orgs_.get(request.principal.org_id);
    o.default_region = org->default_region.empty() ? "FR" : org->default_region;
  }
  std::lock_guard lock(mu_);
  job->id = next_id_++;
  return job;
}

ImportStart ImportService::store_upload(ImportJob& job, const ImportRequest& request) {
  job.dir = fs::path(options_.work_dir) / std::to_string(job.id);
  fs::create_directories(job.dir);
  job.upload = job.dir / safe_name(request.filename, job.options.format == "vcard" ? "upload.vcf" : "upload.csv");
  job.report_path = job.dir / "report.jsonl";
  auto give_up = [&](ImportStart why) {
    std::error_code ec;
    fs::remove_all(job.dir, ec);
    return why;
  };
  {
    std::ofstream out(job.upload, std::ios::binary | std::ios::trunc);
    out.write(request.file.data(), static_cast<std::streamsize>(request.file.size()));
    out.close();
    if (!out) return give_up(refused(ImportStart::Refusal::no_space, "the uploaded file could not be stored"));
  }
  try {
    FirstLook look = check_beginning(job.upload.string(), job.options, checked_at_start);
    job.bytes_total = look.info.size;
    job.set_source(std::move(look.info), std::move(look.description));
  } catch (const Problem& p) {
    return give_up(refused(p));
  }
  return ImportStart{ImportStart::Refusal::none, job.id, {}, {}};
}

json::object ImportService::columns(std::string_view head) {
  if (head.empty()) throw Problem::bad_request("send the file's first lines as the body", "body");
  // The readers take a path: the beginning goes to a file of its own, removed once read.
  const fs::path file = fs::path(options_.work_dir) / ("columns-" + std::to_string(next_look_++) + ".csv");
  struct Removed {
    const fs::path& path;
    ~Removed() {
      std::error_code ec;
      fs::remove(path, ec);
    }
  } removed{file};
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(head.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(head.size(), checked_at_start)));
    out.close();
    if (!out) throw Problem(Problem::Kind::storage_full, "Insufficient storage", "the file's beginning could not be stored");
  }
  ImportOptions options;
  options.format = "csv";
  options.presets_dir = options_.presets_dir;
  // The beginning of a file too large to import is still read: the import's 413 comes
  // when the file is sent, with the mapping chosen and kept.
  options.max_bytes = checked_at_start;
  const ColumnGuess guess = guess_columns(file.string(), options, checked_at_start);
  json::array columns;
  for (std::size_t i = 0; i < guess.columns.size(); ++i)
    columns.push_back(json::object{{"name", guess.columns[i]}, {"field", guess.fields[i]}});
  json::array fields;
  for (const std::string& f : mapping_fields()) fields.emplace_back(f);
  return json::object{{"preset", guess.preset.empty() ? json::value(nullptr) : json::value(guess.preset)},
                      {"preset_label", guess.label},
                      {"encoding", guess.encoding},
                      {"delimiter", std::string(1, guess.delimiter)},
                      {"header_line", guess.header_line},
                      {"columns", std::move(columns)},
                      {"fields", std::move(fields)}};
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
  o["mode"] = mode_name(job->mode);
  o["dry_run"] = job->dry_run;
  o["skip_invalid"] = job->skip_invalid;
  o["rows_checked"] = job->checked.load();
  o["rows_read"] = job->rows_read.load();
  o["created"] = job->created.load();
  o["updated"] = job->updated.load();
  o["skipped"] = job->skipped.load();
  o["invalid"] = job->invalid.load();
  o["ignored"] = job->ignored.load();
  o["tag"] = job->tag.empty() ? json::value(nullptr) : json::value(job->tag);
  o["source_event_id"] = job->source_event_id ? json::value(job->source_event_id) : json::value(nullptr);
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

json::object ImportService::duplicates(const auth::Principal& p, std::size_t limit,
                                       std::optional<std::int64_t> holding) {
  const DuplicateReport found = find_duplicates(store_, p.org_id, limit, holding);
  json::array groups;
  for (const DuplicateGroup& g : found.groups) {
    json::array ids, reasons, contacts;
    for (std::int64_t id : g.contact_ids) {
      ids.emplace_back(id);
      // Deleted since the scan: left out of the contacts, kept in the ids.
      if (auto row = store_.get(storage::entities::contacts, storage::Scope::org(p.org_id), id))
        contacts.push_back(domain::encode_row(storage::entities::contacts, *row, false));
    }
    for (const std::string& why : g.reasons) reasons.emplace_back(why);
    groups.push_back(json::object{{"contact_ids", std::move(ids)},
                                  {"reasons", std::move(reasons)},
                                  {"contacts", std::move(contacts)}});
  }
  return json::object{{"groups", std::move(groups)},
                      {"groups_total", found.groups_total},
                      {"contacts_scanned", found.contacts_scanned}};
}

void ImportService::forget_expired() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<ImportJob>> expired;
  {
    std::lock_guard lock(mu_);
    for (auto it = jobs_.begin(); it != jobs_.end();) {
      std::unique_lock jl(it->second->mu);
      const bool old = it->second->ended && now - *it->second->ended >= options_.report_retention;
      jl.unlock();
      if (!old) {
        ++it;
        continue;
      }
      expired.push_back(it->second);
      it = jobs_.erase(it);
    }
    std::erase_if(keyed_jobs_, [this](const auto& keyed) {
      return keyed.second.job_id != 0 && !jobs_.contains(keyed.second.job_id);
    });
  }
  for (const auto& job : expired) {
    std::error_code ec;
    fs::remove_all(job->dir, ec);
    if (ec) spdlog::warn("import {}: its folder {} could not be removed: {}", job->id, job->dir.string(), ec.message());
  }
}

void ImportService::run_worker() {
  // Expired reports are looked for a few times per retention period, at least once a minute.
  const auto sweep = std::clamp<std::chrono::milliseconds>(options_.report_retention / 4, std::chrono::milliseconds(50),
                                                           std::chrono::minutes(1));
  for (;;) {
    std::shared_ptr<ImportJob> job;
    {
      std::unique_lock lock(mu_);
      if (!wake_.wait_for(lock, sweep, [&] { return stopping_ || !queue_.empty(); })) {
        lock.unlock();
        forget_expired();
        continue;
      }
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
    remove_all_but_report(*job);
    {
      std::lock_guard jl(job->mu);
      job->ended = std::chrono::steady_clock::now();
      if (!ok) {
        job->state = "failed";
        if (job->error.empty()) job->error = error;
      } else if (job->state == "running") {
        job->state = "done";
      }
      job->phase.clear();
      job->finished_at = domain::now_instant();
    }
    forget_expired();  // also when jobs follow each other without a pause
  }
}

void ImportService::run(ImportJob& job) {
  run_import(job, store_, options_.batch, stopping_);
}

}  // namespace relance::imports
