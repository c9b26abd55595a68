// SqliteStore: ties the writer, the reader pool and the checkpointer together, and serves
// both Store and EventLog from them.
#include "relance/storage/sqlite_store.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "sqlite/attachment_content.hpp"
#include "sqlite/checkpointer.hpp"
#include "sqlite/connection.hpp"
#include "sqlite/contact_merge_ops.hpp"
#include "sqlite/delivery_ops.hpp"
#include "sqlite/schema_upgrade.hpp"
#include "sqlite/row_sql.hpp"
#include "sqlite/reader_pool.hpp"
#include "sqlite/report_index_feed.hpp"
#include "sqlite/report_queries.hpp"
#include "sqlite/text_index.hpp"
#include "sqlite/writer.hpp"

namespace relance::storage {

void Store::write_sync(Job job) {
  std::promise<void> committed;
  write(std::move(job), [&](std::exception_ptr e) {
    if (e)
      committed.set_exception(e);
    else
      committed.set_value();
  });
  committed.get_future().get();
}

namespace sqlite {
namespace {

// The audit entries a statement selects (id, at, org_id, user_id, action, entity, entity_id,
// changes); the statement is reset afterwards.
std::vector<AuditRecord> audit_records(SQLite::Statement& st) {
  try {
    std::vector<AuditRecord> out;
    while (st.executeStep()) {
      AuditRecord r;
      r.id = st.getColumn(0).getInt64();
      r.at = st.getColumn(1).getString();
      r.entry = AuditEntry{st.getColumn(2).getInt64(), st.getColumn(3).getInt64(),
                           st.getColumn(4).getString(), st.getColumn(5).getString(),
                           st.getColumn(6).getInt64(), st.getColumn(7).getString()};
      out.push_back(std::move(r));
    }
    st.reset();
    return out;
  } catch (const SQLite::Exception& ex) {
    st.reset();
    rethrow_as_storage_error(ex);
  }
}

class OpenStore final : public SqliteStore {
 public:
  explicit OpenStore(const SqliteOptions& o) : options_(o) {
    auto writer_conn = std::make_unique<Connection>(o.path, Connection::Mode::read_write,
                                                    o.busy_timeout_ms);
    configure_writer(*writer_conn, o);
    // After a clean stop the database is checked while the daemon already serves (a check
    // reads the whole file: seconds for a large one); after a crash, before it serves.
    const std::string marker = clean_stop_marker(o.path);
    std::error_code ec;
    const bool stopped_cleanly = std::filesystem::remove(marker, ec);
    if (!stopped_cleanly) check(*writer_conn);
    apply_migrations(*writer_conn);
    {
      // Rows another program (sqlite3) wrote and left for the daemon to index.
      SQLite::Transaction tx(writer_conn->db(), SQLite::TransactionBehavior::IMMEDIATE);
      index_pending_text(*writer_conn);
      tx.commit();
    }
    readers_ = std::make_unique<ReaderPool>(o, commits_);
    writer_ = std::make_unique<GroupCommitWriter>(std::move(writer_conn), o.max_batch, commits_, listeners_);
    checkpointer_ = std::make_unique<Checkpointer>(o, *readers_);
    if (stopped_cleanly) checker_ = std::thread([this] { check_in_background(); });
  }

  ~OpenStore() override { close(); }

  template <class F>
  auto read(F&& f) -> decltype(f(std::declval<Connection&>())) {
    reads_.fetch_add(1, std::memory_order_relaxed);
    auto lease = readers_->borrow();
    return f(*lease);
  }

  void write(Job job, Done done) override { writer_->submit(std::move(job), std::move(done)); }
  void write_alone(Job job, Done done) override {
    writer_->submit(std::move(job), std::move(done), true);
  }

  std::optional<Row> get(const Entity& e, const Scope& s, std::int64_t id) override {
    return read([&](Connection& c) { return get_row(c, e, s, id); });
  }
  bool get_into(const Entity& e, const Scope& s, std::int64_t id, Row& row) override {
    return read([&](Connection& c) { return get_row_into(c, e, s, id, row); });
  }
  std::vector<Row> list(const Entity& e, const ListQuery& q) override {
    return read([&](Connection& c) { return list_rows(c, e, q); });
  }
  void scan(const Entity& e, const ListQuery& q, const std::function<bool(Row&)>& visit) override {
    reads_.fetch_add(1, std::memory_order_relaxed);
    try {
      Connection c(options_.path, Connection::Mode::read_only, options_.busy_timeout_ms);
      c.exec("PRAGMA mmap_size = 0");
      c.exec("BEGIN");  // one snapshot for the whole scan
      for_each_row(c, e, q, visit);
      c.exec("COMMIT");
    } catch (const SQLite::Exception& ex) {
      rethrow_as_storage_error(ex);
    }
  }
  std::optional<Row> find_unique(const Entity& e, std::string_view field,
                                 const Value& v) override {
    return read([&](Connection& c) { return find_unique_row(c, e, field, v); });
  }
  std::int64_t count(const Entity& e, const Scope& s) override {
    return read([&](Connection& c) { return count_rows(c, e, s); });
  }

  std::optional<std::string> attachment_content(std::int64_t org_id, std::int64_t id) override {
    return read([&](Connection& c) { return read_attachment_content(c, org_id, id); });
  }
  std::optional<ContactMergeRecord> contact_merge(std::int64_t org_id, std::int64_t id) override {
    return read([&](Connection& c) { return sqlite::contact_merge(c, org_id, id); });
  }
  std::vector<ContactMergeRecord> contact_merges(const ContactMergeQuery& q) override {
    return read([&](Connection& c) { return sqlite::contact_merges(c, q); });
  }

  std::vector<AuditRecord> audit_log(std::int64_t org_id, std::int64_t before_id,
                                     std::size_t limit) override {
    return read([&](Connection& c) {
      auto& st = c.statement(
          "SELECT id, at, org_id, user_id, action, entity, entity_id, changes FROM audit_log "
          "WHERE org_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
      st.bind(1, org_id);
      st.bind(2, before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max());
      st.bind(3, static_cast<std::int64_t>(limit));
      return audit_records(st);
    });
  }
  std::vector<AuditRecord> audit_of_row(std::string_view entity, std::int64_t entity_id,
                                        std::size_t limit) override {
    return read([&](Connection& c) {
      auto& st = c.statement(
          "SELECT id, at, org_id, user_id, action, entity, entity_id, changes FROM audit_log "
          "WHERE entity = ? AND entity_id = ? ORDER BY id LIMIT ?");
      st.bind(1, std::string(entity));
      st.bind(2, entity_id);
      st.bind(3, static_cast<std::int64_t>(limit));
      return audit_records(st);
    });
  }

  std::vector<Row> due_followups(const std::string& now, std::size_t limit) override {
    return read([&](Connection& c) { return due_followup_rows(c, now, limit); });
  }
  bool digest_recorded(std::int64_t user_id, const std::string& day) override {
    return read([&](Connection& c) { return sqlite::digest_recorded(c, user_id, day); });
  }
  std::vector<StaleLead> stale_leads(std::int64_t org_id, std::optional<std::int64_t> owner_id,
                                     const std::optional<std::string>& stage, const std::string& before,
                                     std::size_t limit) override {
    return read([&](Connection& c) { return stale_lead_rows(c, org_id, owner_id, stage, before, limit); });
  }

  // ReportReads: the figures from the reports' indexes in memory (the leads', the outcomes'),
  // brought up to date first (report_index_feed.hpp); by scanning (report_queries.hpp) when
  // the filter asks or the index cannot answer it.
  template <class Index, class Indexed, class Scan>
  auto from_index(Index& index, const ReportFilter& f, Indexed indexed, Scan scan) {
    return read([&](Connection& c) {
      if (!f.by_scan) {
        {
          std::lock_guard lock(report_feed_);
          feed_index(c, index);
        }
        if (auto answer = indexed(c)) return std::move(*answer);
      }
      return scan(c);
    });
  }
  // The stale-stage rules, read only when no days are asked (they would not be used).
  static StaleRules rules_unless(std::optional<int> days, Connection& c) { return days ? StaleRules{} : stale_rules(c); }
  std::vector<StageLeads> leads_by_stage(const ReportFilter& f) override {
    return from_index(report_index_, f, [&](Connection&) { return report_index_.leads_by_stage(f); },
                      [&](Connection& c) { return sqlite::leads_by_stage(c, f); });
  }
  std::vector<StagePath> stage_paths(const ReportFilter& f) override {
    return from_index(report_index_, f, [&](Connection&) { return report_index_.stage_paths(f); },
                      [&](Connection& c) { return sqlite::stage_paths(c, f); });
  }
  StaysReport stage_stays(const ReportFilter& f, const TotalsStageName& totals_name) override {
    return from_index(report_index_, f, [&](Connection&) { return report_index_.stage_stays(f, totals_name); },
                      [&](Connection& c) { return sqlite::stage_stays(c, f, totals_name); });
  }
  FollowupsReport first_followups(const ReportFilter& f, const std::vector<double>& within) override {
    return from_index(report_index_, f, [&](Connection&) { return report_index_.first_followups(f, within); },
                      [&](Connection& c) { return sqlite::first_followups(c, f, within); });
  }
  std::vector<StageLeads> stale_counts(const ReportFilter& f, std::optional<int> days, int default_days) override {
    return from_index(
        report_index_, f, [&](Connection& c) { return report_index_.stale_counts(f, days, default_days, rules_unless(days, c)); },
        [&](Connection& c) { return sqlite::stale_counts(c, f, days, default_days); });
  }
  OutcomeReport outcomes(const ReportFilter& f, std::optional<std::int64_t> only_org,
                         std::size_t partner_limit) override {
    auto named = [&](Connection& c, OutcomeReport out) {
      add_partner_names(c, out);
      return out;
    };
    return from_index(
        outcome_index_, f,
        [&](Connection& c) -> std::optional<OutcomeReport> {
          if (auto out = outcome_index_.outcomes(f, only_org, partner_limit)) return named(c, std::move(*out));
          return std::nullopt;
        },
        [&](Connection& c) { return named(c, sqlite::outcomes(c, f, only_org, partner_limit)); });
  }
  std::vector<OrgCount> overdue_followups(const ReportFilter& f) override {
    return from_index(report_index_, f, [&](Connection&) { return report_index_.overdue_followups(f); },
                      [&](Connection& c) { return sqlite::overdue_followups(c, f); });
  }
  StaleLeads stale_leads_of(const ReportFilter& f, std::optional<int> days, int default_days,
                            std::size_t limit) override {
    return from_index(
        report_index_, f,
        [&](Connection& c) {
          auto out = report_index_.stale_leads(f, days, default_days, rules_unless(days, c), limit);
          if (out) add_titles(c, out->leads);
          return out;
        },
        [&](Connection& c) { return sqlite::stale_leads_of(c, f, days, default_days, limit); });
  }

  // EventLog.
  std::vector<PluginInstanceRecord> plugin_instances() override {
    return read([&](Connection& c) { return sqlite::plugin_instances(c, std::nullopt); });
  }
  std::optional<PluginInstanceRecord> plugin_instance(std::int64_t id) override {
    auto all = read([&](Connection& c) { return sqlite::plugin_instances(c, id); });
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
  }
  void read_outbox(std::int64_t org_id, std::int64_t after_id, std::size_t limit,
                   std::vector<OutboxRecord>& out) override {
    read([&](Connection& c) { sqlite::read_outbox(c, org_id, after_id, limit, out); });
  }
  std::optional<OutboxRecord> outbox_event(std::int64_t id) override {
    return read([&](Connection& c) { return sqlite::outbox_event(c, id); });
  }
  std::int64_t last_outbox_id() override {
    return read([&](Connection& c) { return sqlite::last_outbox_id(c); });
  }
  std::optional<std::string> plugin_state(std::int64_t instance_id, const std::string& key) override {
    return read([&](Connection& c) { return sqlite::plugin_state(c, instance_id, key); });
  }
  DeliveryPosition delivery_position(std::int64_t instance_id, std::int64_t org_id,
                                     std::int64_t pending_cap) override {
    return read([&](Connection& c) {
      return sqlite::delivery_position(c, instance_id, org_id, pending_cap);
    });
  }
  std::vector<DeadLetter> dead_letters(std::int64_t instance_id, std::int64_t after_event_id,
                                       std::size_t limit) override {
    return read([&](Connection& c) {
      return sqlite::dead_letters(c, instance_id, after_event_id, limit);
    });
  }

  std::int64_t add_commit_listener(CommitListener listener) override {
    return listeners_.add(std::move(listener));
  }
  void remove_commit_listener(std::int64_t id) override { listeners_.remove(id); }

  bool ready() override {
    if (!writer_->running() || corrupt_.load()) return false;
    try {
      return read([](Connection& c) {
        return c.db().execAndGet("SELECT 1").getInt() == 1;
      });
    } catch (...) {
      return false;
    }
  }

  StoreStats stats() override {
    StoreStats s;
    writer_->add_stats(s);
    s.reads = reads_.load();
    s.readers_idle = readers_->idle();
    s.readers_total = readers_->total();
    s.database_bytes = file_size(options_.path);
    checkpointer_->add_stats(s);
    return s;
  }

  void backup(const std::string& path) override {
    try {
      std::filesystem::remove(path);
      {
        SQLite::Database dest(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        auto lease = readers_->borrow_outside_transaction();
        SQLite::Backup b(dest, (*lease).db());
        b.executeStep(-1);
      }
      SQLite::Database check_db(path, SQLite::OPEN_READONLY);
      const std::string result = check_db.execAndGet("PRAGMA integrity_check").getString();
      if (result != "ok")
        throw StorageError(StorageError::Kind::corrupt, "backup failed verification: " + result);
    } catch (const SQLite::Exception& ex) {
      rethrow_as_storage_error(ex);
    }
  }

  void close() override {
    {
      std::lock_guard lock(close_mu_);
      if (closed_) return;
      closed_ = true;
    }
    writer_->stop();
    // Before the last checkpoint, which would otherwise wait for the check's snapshot.
    if (checker_.joinable()) checker_.join();
    checkpointer_->stop();
    // Everything is written and checkpointed: say so for the next start.
    if (!corrupt_.load()) std::ofstream(clean_stop_marker(options_.path)) << "clean stop\n";
  }

 private:
  static std::string clean_stop_marker(const std::string& db) { return db + ".clean-stop"; }

  void check_in_background() {
    try {
      Connection c(options_.path, Connection::Mode::read_only, options_.busy_timeout_ms);
      check(c);
    } catch (const std::exception& e) {
      // Refuse further writes: writing into a damaged file can only make it worse.
      corrupt_.store(true);
      writer_->fail_all(std::string(e.what()));
      if (options_.on_corruption) options_.on_corruption(e.what());
    }
  }

  static void check(Connection& c) {
    const std::string result = c.db().execAndGet("PRAGMA quick_check").getString();
    if (result != "ok")
      throw StorageError(StorageError::Kind::corrupt,
                         "the database failed PRAGMA quick_check: " + result +
                             "; restore the latest backup (relance backup)");
  }

  SqliteOptions options_;
  std::atomic<std::uint64_t> commits_{0};  // counted by the writer before it acknowledges
  CommitListeners listeners_;              // told by the writer, so made before it
  std::unique_ptr<ReaderPool> readers_;
  ReportIndex report_index_;
  OutcomeIndex outcome_index_;
  std::mutex report_feed_;  // one feed of the index at a time
  std::unique_ptr<GroupCommitWriter> writer_;
  std::atomic<std::uint64_t> reads_{0};
  std::unique_ptr<Checkpointer> checkpointer_;
  std::mutex close_mu_;
  bool closed_ = false;
  std::atomic<bool> corrupt_{false};
  std::thread checker_;
};

}  // namespace
}  // namespace sqlite

std::unique_ptr<SqliteStore> open_sqlite_store(const SqliteOptions& options) {
  // SQLite keeps global memory statistics under one process-wide mutex taken on every
  // allocation; with readers on several threads that mutex is contended for nothing.
  // Must precede SQLite's initialisation (a later call fails harmlessly).
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  try {
    try {
      return std::make_unique<sqlite::OpenStore>(options);
    } catch (const SQLite::Exception& ex) {
      sqlite::rethrow_as_storage_error(ex);
    }
  } catch (const StorageError& e) {
    throw StorageError(e.kind(), options.path + ": " + e.what());  // say which file
  }
}

MigrationReport migrate_sqlite(const std::string& path, int target_version) {
  try {
    sqlite::Connection c(path, sqlite::Connection::Mode::read_write, 5000);
    SqliteOptions options;
    options.path = path;
    sqlite::configure_writer(c, options);
    return sqlite::apply_migrations(c, target_version);
  } catch (const SQLite::Exception& ex) {
    sqlite::rethrow_as_storage_error(ex);
  }
}

}  // namespace relance::storage
