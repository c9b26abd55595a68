#include "imports/import_run.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <deque>
#include <fstream>
#include <future>
#include <stdexcept>

#include "domain/fields.hpp"
#include "domain/json_text.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "imports/dedup.hpp"
#include "imports/spool.hpp"
#include "services/record_writes.hpp"

namespace relance::imports {
namespace json = boost::json;
namespace ent = storage::entities;
using services::WriteKind;

namespace {

// One line of the report.
struct Entry {
  std::size_t line = 0;
  std::string outcome;  // new, duplicate, updated, invalid, skipped
  std::int64_t contact_id = 0;
  std::optional<TargetRef> duplicate_of;  // an earlier row of the file
  std::string detail;
  std::vector<std::string> warnings;
  int op = -1;  // index of the write in the batch
};

// A write of the batch.
struct Op {
  bool create = true;
  storage::Row contact;
  std::string company;
  TargetRef ref = 0;        // create: the row's target in the index
  std::int64_t target = 0;  // update: the contact
  std::string why;
  // Set by the write job:
  std::int64_t id = 0;
  bool changed = false;
  std::string fields;  // "emails, title"
};

struct Batch {
  std::vector<Entry> entries;
  std::vector<Op> ops;
  std::future<void> committed;  // valid once handed to the writer
};

class ReportFile {
 public:
  explicit ReportFile(const std::filesystem::path& path)
      : out_(path, std::ios::binary | std::ios::trunc) {}
  void write(const Entry& e) {
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
    out_ << json::serialize(o) << '\n';
  }
  void flush() { out_.flush(); }

 private:
  std::ofstream out_;
};

// Pass 2: the spooled rows deduplicated and written, two batches in flight at most.
class Importer {
 public:
  Importer(ImportJob& job, storage::Store& store, std::size_t batch, ReportFile& report)
      : job_(job), store_(store), batch_size_(batch), report_(report),
        principal_(job.principal), creates_(job.mode != ImportMode::update_only),
        updates_(job.mode != ImportMode::create_only) {}

  // Waits for the batches still in the writer's hands: their jobs refer to them.
  ~Importer() {
    for (auto& b : in_flight_)
      if (b.committed.valid()) b.committed.wait();
  }
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;

  void load(std::size_t rows, std::size_t keys) {
    index_.load(store_, principal_.org_id);
    index_.reserve(rows, keys);
  }

  void add(detail::SpooledRow& s) {
    if (in_flight_.empty() || in_flight_.back().committed.valid()) in_flight_.emplace_back();
    Batch& b = in_flight_.back();
    Entry e{s.line, "", 0, std::nullopt, "", std::move(s.warnings), -1};
    if (!s.error.empty()) {  // kept by skip_invalid: reported in its place
      e.outcome = "invalid";
      e.detail = std::move(s.error);
      job_.invalid++;
      b.entries.push_back(std::move(e));
      return;
    }
    const auto keys = dedup_keys(s.contact, index_.company_as_known(s.company));
    const auto match = index_.find(keys);
    if (!match) {
      if (!creates_) {
        e.outcome = "skipped";
        e.detail = "matches no contact (update-only)";
        job_.skipped++;
      } else {
        e.outcome = "new";
        const TargetRef ref = index_.add_target(DedupTarget{0, s.line});
        index_.add(keys, ref);
        e.op = static_cast<int>(b.ops.size());
        b.ops.push_back(Op{true, std::move(s.contact), std::move(s.company), ref, 0, {}, 0, false, {}});
      }
    } else {
      index_.add(keys, match->ref);
      const DedupTarget& t = index_.target(match->ref);
      const std::string why = keys[match->key].why();
      e.outcome = "duplicate";
      if (t.line != 0) {  // an earlier row of this file
        e.duplicate_of = match->ref;
        e.detail = why;
        job_.skipped++;
      } else if (!updates_) {
        e.contact_id = t.contact_id;
        e.detail = "duplicate of contact " + std::to_string(e.contact_id) + " (" + why + ")";
        job_.skipped++;
      } else {
        e.op = static_cast<int>(b.ops.size());
        b.ops.push_back(Op{false, std::move(s.contact), std::move(s.company), 0, t.contact_id, why, 0,
                           false, {}});
      }
    }
    b.entries.push_back(std::move(e));
    if (b.ops.size() >= batch_size_ || b.entries.size() >= 4 * batch_size_) submit();
  }

  // Hands the last batch over and reports every batch once committed.
  void finish() {
    submit();
    while (!in_flight_.empty()) finish_oldest();
  }

 private:
  void submit() {
    if (in_flight_.empty() || in_flight_.back().committed.valid()) return;
    Batch& b = in_flight_.back();
    if (job_.dry_run || b.ops.empty()) {
      for (auto& op : b.ops)
        if (!op.create) update(nullptr, op);
      std::promise<void> none;
      none.set_value();
      b.committed = none.get_future();
    } else {
      auto committed = std::make_shared<std::promise<void>>();
      b.committed = committed->get_future();
      // A failed batch stops the job: the batches queued after it must not be written.
      store_.write_alone(
          [this, &b](storage::WriteTxn& tx) {
            if (failed_) throw std::runtime_error("an earlier batch of the import failed");
            try {
              write(tx, b);
            } catch (...) {
              failed_ = true;
              throw;
            }
          },
          [this, committed](std::exception_ptr e) {
            if (e) {
              failed_ = true;
              committed->set_exception(e);
            } else {
              committed->set_value();
            }
          });
    }
    while (in_flight_.size() > 2) finish_oldest();
  }

  // Waits for the oldest batch's commit (rethrowing its error) and reports its rows.
  void finish_oldest() {
    Batch& b = in_flight_.front();
    b.committed.get();
    for (auto& e : b.entries) {
      if (e.op >= 0) {
        const Op& op = b.ops[static_cast<std::size_t>(e.op)];
        if (op.create) {
          if (op.id) index_.resolve(op.ref, op.id);
          e.contact_id = op.id;
          job_.created++;
        } else if (op.changed) {
          e.outcome = "updated";
          e.contact_id = op.id;
          e.detail = "updated contact " + std::to_string(op.id) + " (" + op.why + "): " + op.fields;
          job_.updated++;
        } else {
          e.outcome = "duplicate";
          e.contact_id = op.id;
          e.detail = "duplicate of contact " + std::to_string(op.id) + " (" + op.why + "), nothing new";
          job_.skipped++;
        }
      } else if (e.duplicate_of) {
        const DedupTarget& t = index_.target(*e.duplicate_of);
        e.contact_id = t.contact_id;
        e.detail = e.contact_id ? "duplicate of contact " + std::to_string(e.contact_id) + " (line " +
                                      std::to_string(t.line) + ", " + e.detail + ")"
                                : "duplicate of line " + std::to_string(t.line) + " (" + e.detail + ")";
      }
      report_.write(e);
    }
    report_.flush();
    in_flight_.pop_front();
  }

  // The organisation's company of that name (created when it has none, and linked); in a
  // dry run -1 for a company that would be created. Runs on the writer thread, or on the
  // job's in a dry run: never on both, so the index's companies need no lock.
  std::int64_t company_of(storage::WriteTxn* tx, const std::string& name) {
    if (domain::trim(name).empty()) return 0;
    if (auto id = index_.company(name)) return *id;
    if (!tx) return -1;
    storage::Row c;
    c.org_id = principal_.org_id;
    c.values.resize(ent::companies.fields.size());
    c.set(ent::companies, "name", domain::trim(name));
    auto changed = services::set_fields(ent::companies, c);
    services::write_record(*tx, principal_, ent::companies, WriteKind::create, c, nullptr, changed,
                           services::event_type(ent::companies, WriteKind::create));
    index_.add_company(domain::trim(name), c.id);
    return c.id;
  }

  // The batch's new contacts together (services::create_records), then its updates.
  void write(storage::WriteTxn& tx, Batch& b) {
    std::vector<storage::Row> rows;
    for (Op& op : b.ops) {
      if (!op.create) continue;
      storage::Row& row = rows.emplace_back(std::move(op.contact));
      row.org_id = principal_.org_id;
      if (const std::int64_t c = company_of(&tx, op.company); c > 0) row.set(ent::contacts, "company_id", c);
    }
    services::create_records(tx, principal_, ent::contacts, rows,
                             services::event_type(ent::contacts, WriteKind::create));
    std::size_t n = 0;
    for (Op& op : b.ops) {
      if (op.create) {
        op.id = rows[n++].id;
        op.changed = true;
      } else {
        update(&tx, op);
      }
    }
  }

  // An existing contact completed with what the row brings (dedup.hpp); in a dry run
  // (tx null) only what would change is worked out.
  void update(storage::WriteTxn* tx, Op& op) {
    op.id = op.target;
    const storage::Scope scope = storage::Scope::org(principal_.org_id);
    auto row = tx ? tx->get(ent::contacts, scope, op.target) : store_.get(ent::contacts, scope, op.target);
    if (!row) return;  // deleted meanwhile: nothing to update
    const storage::Row before = *row;
    std::int64_t company = 0;
    if (!op.company.empty() && storage::is_null(row->get(ent::contacts, "company_id")))
      company = company_of(tx, op.company);
    const auto changed = complete_contact(*row, std::move(op.contact), company);
    if (changed.empty()) return;
    for (std::size_t i : changed) {
      if (!op.fields.empty()) op.fields += ", ";
      op.fields += ent::contacts.fields[i].name;
    }
    op.changed = true;
    if (!tx) return;
    services::write_record(*tx, principal_, ent::contacts, WriteKind::update, *row, &before, changed,
                           services::event_type(ent::contacts, WriteKind::update));
  }

  ImportJob& job_;
  storage::Store& store_;
  const std::size_t batch_size_;
  ReportFile& report_;
  const auth::Principal principal_;
  const bool creates_, updates_;
  DedupIndex index_;
  std::deque<Batch> in_flight_;  // references to its elements stay valid as it grows
  std::atomic<bool> failed_{false};
};

}  // namespace

namespace {

// The tag and the event the import was asked to give every contact (ImportRequest), added
// to the row as the file gives it: a created contact has them, and an updated one gains them
// as it gains the row's other values (dedup.hpp). A row already at the tags' limit is invalid.
void apply_to_every_row(const ImportJob& job, detail::SpooledRow& s) {
  if (!job.tag.empty()) {
    const storage::Field& tags = *ent::contacts.field("tags");
    json::array list;
    for (auto& t : domain::row_list(s.contact, ent::contacts, "tags")) list.emplace_back(t);
    list.emplace_back(job.tag);
    try {
      s.contact.set(ent::contacts, "tags", domain::to_storage(tags, list, domain::FieldContext{}));
    } catch (const Problem& p) {
      s.error = "tag " + job.tag + ": " + p.detail();
    }
  }
  if (job.source_event_id) s.contact.set(ent::contacts, "source_event_id", job.source_event_id);
}

void throw_if_stopping(const std::atomic<bool>& stopping) {
  if (stopping) throw std::runtime_error("the daemon stopped during the import");
}

// What pass 1 counted.
struct Checked {
  std::uint64_t valid = 0, invalid = 0, keys = 0;
};

// Pass 1: the file opened whole (its scan: size, encoding, bytes; its header or first card),
// then every row read, built and checked once, and spooled. A fault of the file's structure
// throws from the reading, before anything is written.
Checked check_rows(ImportJob& job, ReportFile& report, const std::string& spool_path,
                   const std::atomic<bool>& stopping) {
  job.set_phase("checking");
  const auto source = open_file(job.upload.string(), job.options);
  job.set_source(source->info(), source->description());
  Checked n;
  detail::SpoolWriter spool(spool_path);
  while (auto row = source->next()) {
    throw_if_stopping(stopping);
    job.checked++;
    job.bytes_read = source->bytes_read() / 2;
    if (!row->not_a_contact.empty()) {  // a blank row, a date only: reported, never fatal
      job.ignored++;
      report.write(Entry{row->line, "skipped", 0, std::nullopt, std::move(row->not_a_contact), {}, -1});
      continue;
    }
    detail::SpooledRow s{row->line, std::move(row->error), std::move(row->warnings),
                         std::move(row->company), std::move(row->contact)};
    if (s.error.empty()) apply_to_every_row(job, s);
    if (!s.error.empty()) {
      n.invalid++;
      if (!job.skip_invalid) {
        report.write(Entry{s.line, "invalid", 0, std::nullopt, s.error, s.warnings, -1});
        continue;
      }
    } else {
      n.valid++;
      n.keys += dedup_keys(s.contact, s.company).size();
    }
    // Once a row is invalid nothing will be written, unless invalid rows are skipped; a dry
    // run still reports what every valid row would become.
    if (n.invalid == 0 || job.skip_invalid || job.dry_run) spool.write(s);
  }
  spool.close();
  return n;
}

void fail_on_invalid_rows(ImportJob& job, std::uint64_t invalid) {
  job.invalid = invalid;
  std::lock_guard jl(job.mu);
  job.state = "failed";
  job.error = std::to_string(invalid) + " invalid row" + (invalid == 1 ? "" : "s") +
              ": nothing was imported (fix them, or import with skip_invalid=true to leave them out; "
              "the report lists them)";
}

}  // namespace

void run_import(ImportJob& job, storage::Store& store, std::size_t batch, const std::atomic<bool>& stopping) {
  ReportFile report(job.report_path);
  const std::string spool_path = (job.dir / "rows.spool").string();
  const Checked checked = check_rows(job, report, spool_path, stopping);
  if (checked.invalid > 0 && !job.skip_invalid) {
    if (!job.dry_run) {
      report.flush();
      fail_on_invalid_rows(job, checked.invalid);
      return;
    }
    job.invalid = checked.invalid;  // reported by check_rows; the valid rows follow
  }

  // Pass 2: deduplicated and written in batches.
  job.set_phase(job.dry_run ? "reporting" : "importing");
  Importer importer(job, store, batch, report);
  importer.load(checked.valid, checked.keys);
  detail::SpoolReader rows(spool_path);
  detail::SpooledRow s;
  const std::uint64_t total = checked.valid + checked.invalid;
  while (rows.next(s)) {
    throw_if_stopping(stopping);
    const std::uint64_t n = ++job.rows_read;
    job.bytes_read = job.bytes_total / 2 + (total ? job.bytes_total / 2 * n / total : 0);
    importer.add(s);
  }
  importer.finish();
  job.bytes_read = job.bytes_total;
}

}  // namespace relance::imports
