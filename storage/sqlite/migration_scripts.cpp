// Numbered, forward-only schema migrations. A released migration is never edited: a change
// is a new migration at the end. Each is applied in its own transaction together with the
// bump of PRAGMA user_version, so a database is always at exactly one version.
#include "sqlite/migration_scripts.hpp"

#include <string>
#include <string_view>

namespace relance::storage::sqlite {
namespace {

// Columns every entity table starts with. AUTOINCREMENT: an id is never given twice, since
// URLs, audit entries and events refer to rows by id, also after a delete.
#define RELANCE_ROW_HEADER                                    \
  "id INTEGER PRIMARY KEY AUTOINCREMENT,"                                 \
  "org_id INTEGER NOT NULL,"                                   \
  "version INTEGER NOT NULL DEFAULT 1,"                        \
  "created_at TEXT NOT NULL,"                                  \
  "updated_at TEXT NOT NULL,"                                  \
  "created_by INTEGER NOT NULL DEFAULT 0,"                     \
  "updated_by INTEGER NOT NULL DEFAULT 0,"

constexpr const char* v1_initial = R"sql(
CREATE TABLE organisations ()sql" RELANCE_ROW_HEADER R"sql(
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  kind TEXT NOT NULL DEFAULT 'startup',
  default_region TEXT,
  pipeline_stages TEXT
);

CREATE TABLE users ()sql" RELANCE_ROW_HEADER R"sql(
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT 'member',
  locale TEXT,
  time_zone TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT
);
CREATE INDEX users_org ON users(org_id, id);

CREATE TABLE api_tokens ()sql" RELANCE_ROW_HEADER R"sql(
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT,
  kind TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT 'read-write',
  expires_at TEXT,
  revoked_at TEXT,
  token_hash TEXT NOT NULL UNIQUE
);
CREATE INDEX api_tokens_user ON api_tokens(org_id, user_id, id);

CREATE TABLE events ()sql" RELANCE_ROW_HEADER R"sql(
  name TEXT NOT NULL,
  kind TEXT,
  city TEXT,
  country TEXT,
  starts_on TEXT,
  ends_on TEXT
);
CREATE INDEX events_org ON events(org_id, id);

CREATE TABLE companies ()sql" RELANCE_ROW_HEADER R"sql(
  name TEXT NOT NULL,
  domain TEXT,
  sector TEXT,
  country TEXT,
  kind TEXT,
  website TEXT,
  tags TEXT,
  notes TEXT
);
CREATE INDEX companies_org ON companies(org_id, id);
CREATE INDEX companies_org_name ON companies(org_id, name, id);
CREATE INDEX companies_org_updated ON companies(org_id, updated_at, id);

CREATE TABLE contacts ()sql" RELANCE_ROW_HEADER R"sql(
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  emails TEXT,
  phones TEXT,
  company_id INTEGER REFERENCES companies(id),
  title TEXT,
  city TEXT,
  country TEXT,
  linkedin_url TEXT,
  tags TEXT,
  notes TEXT,
  met_at TEXT,
  met_where TEXT,
  source_event_id INTEGER REFERENCES events(id),
  lawful_basis TEXT,
  consent_at TEXT,
  consent_note TEXT
);
CREATE INDEX contacts_org ON contacts(org_id, id);
CREATE INDEX contacts_org_company ON contacts(org_id, company_id, id);
CREATE INDEX contacts_org_event ON contacts(org_id, source_event_id, id);
CREATE INDEX contacts_org_updated ON contacts(org_id, updated_at, id);
CREATE INDEX contacts_org_last_name ON contacts(org_id, last_name, id);

CREATE TABLE leads ()sql" RELANCE_ROW_HEADER R"sql(
  title TEXT NOT NULL,
  contact_id INTEGER REFERENCES contacts(id),
  company_id INTEGER REFERENCES companies(id),
  owner_id INTEGER REFERENCES users(id),
  stage TEXT NOT NULL,
  value INTEGER,
  currency TEXT,
  expected_close TEXT,
  shared_with_region INTEGER NOT NULL DEFAULT 0,
  source_event_id INTEGER REFERENCES events(id),
  tags TEXT,
  notes TEXT
);
CREATE INDEX leads_org ON leads(org_id, id);
CREATE INDEX leads_org_stage ON leads(org_id, stage, id);
CREATE INDEX leads_org_owner ON leads(org_id, owner_id, id);
CREATE INDEX leads_org_company ON leads(org_id, company_id, id);
CREATE INDEX leads_org_contact ON leads(org_id, contact_id, id);
CREATE INDEX leads_org_updated ON leads(org_id, updated_at, id);
CREATE INDEX leads_shared ON leads(shared_with_region, contact_id) WHERE shared_with_region = 1;

CREATE TABLE activities ()sql" RELANCE_ROW_HEADER R"sql(
  lead_id INTEGER REFERENCES leads(id),
  contact_id INTEGER REFERENCES contacts(id),
  kind TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  subject TEXT,
  notes TEXT,
  from_stage TEXT,
  to_stage TEXT,
  author_id INTEGER
);
CREATE INDEX activities_org ON activities(org_id, id);
CREATE INDEX activities_org_lead ON activities(org_id, lead_id, id);
CREATE INDEX activities_org_contact ON activities(org_id, contact_id, id);
CREATE INDEX activities_org_occurred ON activities(org_id, occurred_at, id);

CREATE TABLE followups ()sql" RELANCE_ROW_HEADER R"sql(
  lead_id INTEGER REFERENCES leads(id),
  contact_id INTEGER REFERENCES contacts(id),
  assignee_id INTEGER REFERENCES users(id),
  title TEXT NOT NULL,
  due_at TEXT NOT NULL,
  time_zone TEXT,
  status TEXT NOT NULL DEFAULT 'open',
  notes TEXT,
  done_at TEXT
);
CREATE INDEX followups_org ON followups(org_id, id);
CREATE INDEX followups_org_due ON followups(org_id, due_at, id);
CREATE INDEX followups_org_assignee ON followups(org_id, assignee_id, due_at);
CREATE INDEX followups_org_lead ON followups(org_id, lead_id, id);
CREATE INDEX followups_open_due ON followups(due_at) WHERE status = 'open';

CREATE TABLE outcomes ()sql" RELANCE_ROW_HEADER R"sql(
  lead_id INTEGER REFERENCES leads(id),
  company_id INTEGER REFERENCES companies(id),
  kind TEXT NOT NULL,
  amount INTEGER,
  currency TEXT,
  jobs INTEGER,
  occurred_on TEXT,
  evidence TEXT,
  notes TEXT
);
CREATE INDEX outcomes_org ON outcomes(org_id, id);
CREATE INDEX outcomes_org_lead ON outcomes(org_id, lead_id, id);

-- Tags of every tagged entity, kept by triggers, so ?tag= is an index lookup.
CREATE TABLE tags (
  entity TEXT NOT NULL,
  org_id INTEGER NOT NULL,
  tag TEXT NOT NULL COLLATE NOCASE,
  row_id INTEGER NOT NULL,
  PRIMARY KEY (entity, org_id, tag, row_id)
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  changes TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log(org_id, id);

-- The single source of domain events (DESIGN.md "Events"). Written in the same transaction
-- as the change it reports.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  payload TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
  user_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  at TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  etag TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
)sql";


// What the full-text index of a table holds. `$.` stands for the row ("new.", "old.").
// `public` holds the text region staff may match across organisations, `personal` the
// personal data they may not (see row_sql.cpp, fts_query).
struct TextIndex {
  const char* table;
  const char* public_text;
  const char* personal_text;
};

constexpr TextIndex text_indexes[] = {
    {"contacts",
     "coalesce($.title, '') || ' ' || coalesce($.city, '') || ' ' || coalesce($.met_where, '')",
     "$.first_name || ' ' || $.last_name || ' ' || coalesce($.emails, '') || ' ' || "
     "coalesce($.notes, '')"},
    {"companies", "$.name || ' ' || coalesce($.domain, '') || ' ' || coalesce($.sector, '')",
     "coalesce($.notes, '')"},
    {"leads", "$.title", "coalesce($.notes, '')"},
    {"activities", "coalesce($.subject, '')", "coalesce($.notes, '')"},
    {"followups", "$.title", "coalesce($.notes, '')"},
};

// The values of the index's columns (org_key, public, personal) for the row `row`:
// `org_key` holds "o<org_id>" so that a search is scoped to one organisation inside the
// index instead of filtering other organisations' hits after.
std::string indexed_values(const TextIndex& t, const std::string& row) {
  std::string cols = std::string(t.public_text) + ", " + t.personal_text;
  for (std::size_t at = cols.find("$."); at != std::string::npos; at = cols.find("$.", at))
    cols.replace(at, 2, row + ".");
  return "'o' || " + row + ".org_id, " + cols;
}

// Contentless FTS5 deletes need the indexed values again, hence the same expressions as
// the insert.
std::string fts_delete(const TextIndex& t, const std::string& condition = {}) {
  const std::string fts = std::string(t.table) + "_fts";
  return "INSERT INTO " + fts + "(" + fts + ", rowid, org_key, public, personal) " +
         (condition.empty() ? "VALUES ('delete', old.id, " + indexed_values(t, "old") + ");"
                            : "SELECT 'delete', old.id, " + indexed_values(t, "old") +
                                  " WHERE " + condition + ";");
}

// The full-text table of one table: contentless (the text lives in the table), accent- and
// case-folded. Every search word is a prefix ("gen" finds Genève). Without a prefix index
// FTS5 merges the doclists of every word that starts so before it returns the first row;
// with the prefixes `prefixes` lists (lengths in characters) indexed, a page of results is
// read lazily in rowid order (docs/performance.md, "Figures behind the code"). Positions are
// kept (detail=full): a typed "elodie@lac" is a phrase of two tokens.
std::string fts_table(const TextIndex& t, const char* prefixes) {
  const std::string fts = std::string(t.table) + "_fts";
  return "CREATE VIRTUAL TABLE " + fts + " USING fts5(org_key, public, personal, content='', " +
         "prefix='" + prefixes + "', " +
         "tokenize=\"unicode61 remove_diacritics 2\");\n" +
         // Merge segments 8 at a time rather than 4: less index work per insert, for
         // searches that stay as fast (docs/performance.md, "Figures behind the code").
         "INSERT INTO " + fts + "(" + fts + ", rank) VALUES ('automerge', 8);\n";
}

// Full-text index of one table: its full-text table and the triggers that keep it.
std::string fts_index(const TextIndex& t) {
  const std::string table = t.table;
  const std::string fts = table + "_fts";
  const std::string cols = "(rowid, org_key, public, personal)";
  const std::string del = fts_delete(t);
  const std::string ins = "INSERT INTO " + fts + cols + " VALUES (new.id, " + indexed_values(t, "new") + ");";
  return fts_table(t, "2 3 4 5 6 7 8") +
         "CREATE TRIGGER " + table + "_fts_ins AFTER INSERT ON " + table + " BEGIN " + ins + " END;\n" +
         "CREATE TRIGGER " + table + "_fts_del AFTER DELETE ON " + table + " BEGIN " + del + " END;\n" +
         "CREATE TRIGGER " + table + "_fts_upd AFTER UPDATE ON " + table + " BEGIN " + del + " " +
         ins + " END;\n";
}

// Rows of the tags table for one tagged table, kept in step with its JSON `tags` column.
std::string tag_index(const std::string& table) {
  const std::string ins = "INSERT OR IGNORE INTO tags(entity, org_id, tag, row_id) SELECT '" +
                          table + "', new.org_id, value, new.id FROM json_each(new.tags) " +
                          "WHERE new.tags IS NOT NULL AND json_valid(new.tags);";
  const std::string del = "DELETE FROM tags WHERE entity = '" + table +
                          "' AND org_id = old.org_id AND row_id = old.id AND tag IN " +
                          "(SELECT value FROM json_each(old.tags) WHERE old.tags IS NOT NULL " +
                          "AND json_valid(old.tags));";
  return "CREATE TRIGGER " + table + "_tags_ins AFTER INSERT ON " + table + " BEGIN " + ins +
         " END;\n" + "CREATE TRIGGER " + table + "_tags_del AFTER DELETE ON " + table +
         " BEGIN " + del + " END;\n" + "CREATE TRIGGER " + table +
         "_tags_upd AFTER UPDATE OF tags ON " + table + " BEGIN " + del + " " + ins + " END;\n";
}

std::string v1() {
  std::string sql = v1_initial;
  for (const TextIndex& t : text_indexes) sql += fts_index(t);
  for (const char* t : {"companies", "contacts", "leads"}) sql += tag_index(t);
  return sql;
}

// Plugin instances and their delivery bookkeeping (DESIGN.md "Events"): a cursor per
// instance, its key-value state (written in the same transaction as the cursor, see
// relance/host/state.h) and its dead letters. The outbox gains an index per organisation,
// since an instance reads the events of its organisation only.
constexpr const char* v2_plugins = R"sql(
CREATE INDEX outbox_org ON outbox(org_id, id);

CREATE TABLE plugin_instances (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  plugin TEXT NOT NULL,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  settings TEXT NOT NULL DEFAULT '{}',
  events TEXT NOT NULL DEFAULT '[]',
  datasets TEXT NOT NULL DEFAULT '[]',
  source TEXT NOT NULL DEFAULT 'api',
  suspended TEXT NOT NULL DEFAULT '',
  UNIQUE (org_id, name)
);

CREATE TABLE plugin_cursors (
  instance_id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL
);

CREATE TABLE plugin_state (
  instance_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (instance_id, key)
) WITHOUT ROWID;

CREATE TABLE plugin_dead_letters (
  instance_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  at TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  status TEXT NOT NULL,
  error TEXT NOT NULL,
  PRIMARY KEY (instance_id, event_id)
) WITHOUT ROWID;
)sql";

// Where a contact works, so a follow-up shows its local time too (a fund in Palo Alto
// followed up from Lyon).
constexpr const char* v3_contact_time_zone = R"sql(
ALTER TABLE contacts ADD COLUMN time_zone TEXT;
)sql";

// The follow-up scheduler's memory (core/followups): one followup.due event per follow-up
// and due instant (a snooze moves the instant and re-arms it), one digest per user and
// local day. Written in the same transaction as the event, so a restart after downtime
// catches up exactly once.
constexpr const char* v4_followup_notices = R"sql(
CREATE INDEX followups_due ON followups(due_at);
CREATE TABLE followup_notices (
  followup_id INTEGER NOT NULL,
  due_at TEXT NOT NULL,
  PRIMARY KEY (followup_id, due_at)
) WITHOUT ROWID;
CREATE TABLE digests (
  user_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (user_id, day)
) WITHOUT ROWID;
)sql";

// Cadence rules (schema.cpp) and the marks that make each rule create one follow-up per
// lead and occasion (a stale spell, a meeting, a mission), also across restarts.
std::string v5() {
  return std::string("CREATE TABLE cadence_rules (") + RELANCE_ROW_HEADER R"sql(
  kind TEXT NOT NULL,
  stage TEXT,
  days INTEGER NOT NULL,
  event_id INTEGER REFERENCES events(id),
  title TEXT,
  enabled INTEGER
);
CREATE INDEX cadence_rules_org ON cadence_rules(org_id, id);
CREATE TABLE cadence_marks (
  rule_id INTEGER NOT NULL,
  lead_id INTEGER NOT NULL,
  occasion TEXT NOT NULL,
  PRIMARY KEY (rule_id, lead_id, occasion)
) WITHOUT ROWID;
CREATE INDEX activities_kind ON activities(org_id, kind, occurred_at);
)sql";
}

// Full-text entries written once per transaction instead of once per statement. FTS5
// writes the terms a statement added to the index as a new segment when the next statement
// opens its statement savepoint, so every contact created in a group commit became a
// segment of its own, with its 8 prefix terms per word, for the automerge to merge again:
// about half of the writer's time. Now a row only enters `fts_pending` (a b-tree insert);
// inserting a row into `fts_flush` indexes every pending row in one statement, which the
// writer does just before each commit (sqlite3 users can do it too), and the segment is
// written once, at the commit. A removed or changed row still deletes its old entry at
// once, unless it is pending and so not indexed yet.
std::string v7() {
  std::string sql = R"sql(
CREATE TABLE fts_pending (
  entity TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  PRIMARY KEY (entity, row_id)
) WITHOUT ROWID;
CREATE TABLE fts_flush (requested INTEGER);
)sql";
  std::string flush;
  for (const TextIndex& t : text_indexes) {
    const std::string table = t.table;
    const std::string pending = "fts_pending WHERE entity = '" + table + "' AND row_id = ";
    const std::string enqueue =
        "INSERT OR IGNORE INTO fts_pending (entity, row_id) VALUES ('" + table + "', new.id);";
    const std::string unindex = fts_delete(t, "NOT EXISTS (SELECT 1 FROM " + pending + "old.id)");
    sql += "DROP TRIGGER " + table + "_fts_ins;\nDROP TRIGGER " + table + "_fts_del;\n" +
           "DROP TRIGGER " + table + "_fts_upd;\n";
    sql += "CREATE TRIGGER " + table + "_fts_ins AFTER INSERT ON " + table + " BEGIN " + enqueue +
           " END;\n";
    sql += "CREATE TRIGGER " + table + "_fts_del AFTER DELETE ON " + table + " BEGIN " + unindex +
           " DELETE FROM " + pending + "old.id; END;\n";
    sql += "CREATE TRIGGER " + table + "_fts_upd AFTER UPDATE ON " + table + " BEGIN " + unindex +
           " " + enqueue + " END;\n";
    flush += "INSERT INTO " + table + "_fts(rowid, org_key, public, personal) SELECT r.id, " +
             indexed_values(t, "r") + " FROM fts_pending p JOIN " + table +
             " r ON r.id = p.row_id WHERE p.entity = '" + table + "'; ";
  }
  sql += "CREATE TRIGGER fts_flush_run AFTER INSERT ON fts_flush BEGIN " + flush +
         "DELETE FROM fts_pending; DELETE FROM fts_flush; END;\n";
  return sql;
}

// Contact merges (relance/storage/contact_merge.hpp): who merged which contact into which,
// and what undoing the merge needs, written in the same transaction as the merge. The
// snapshots and the moved rows are JSON text of core's making. A merge looks up the rows
// that point at the duplicate: follow-ups had no index by contact (leads and activities
// have one).
constexpr const char* v6_contact_merges = R"sql(
CREATE INDEX followups_org_contact ON followups(org_id, contact_id, id);
CREATE TABLE contact_merges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL,
  survivor_id INTEGER NOT NULL,
  duplicate_id INTEGER NOT NULL,
  merged_at TEXT NOT NULL,
  merged_by INTEGER NOT NULL,
  survivor_before TEXT NOT NULL,
  survivor_after TEXT NOT NULL,
  duplicate TEXT NOT NULL,
  moved TEXT NOT NULL,
  undone_at TEXT,
  undone_by INTEGER,
  undo_result TEXT
);
CREATE INDEX contact_merges_org ON contact_merges(org_id, id);
CREATE INDEX contact_merges_survivor ON contact_merges(org_id, survivor_id, id);
CREATE INDEX contact_merges_duplicate ON contact_merges(org_id, duplicate_id, id);
)sql";

// The mission an outcome came from (a contract signed after the June mission), so a
// region can count what each mission produced.
constexpr const char* v8_outcome_event = R"sql(
ALTER TABLE outcomes ADD COLUMN event_id INTEGER REFERENCES events(id);
CREATE INDEX outcomes_org_event ON outcomes(org_id, event_id, id);
)sql";

// What the mission produced in one currency: an outcome names its partner company (the
// fund, the corporate; the column was company_id) and keeps its amount in euros with the
// rate it was computed with, from the region's table of rates. Outcomes already in euros get
// their amount as it is, at the rate 1; the others stay without one (the table is empty)
// until their amount, currency or date is written again.
constexpr const char* v9_region_data = R"sql(
ALTER TABLE outcomes RENAME COLUMN company_id TO partner_company_id;
ALTER TABLE outcomes ADD COLUMN amount_eur INTEGER;
ALTER TABLE outcomes ADD COLUMN eur_rate TEXT;
UPDATE outcomes SET amount_eur = amount, eur_rate = '1' WHERE currency = 'EUR' AND amount IS NOT NULL;
CREATE INDEX outcomes_org_partner ON outcomes(org_id, partner_company_id, id);
CREATE TABLE exchange_rates ()sql" RELANCE_ROW_HEADER R"sql(
  currency TEXT NOT NULL,
  rate TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  source TEXT
);
CREATE INDEX exchange_rates_org ON exchange_rates(org_id, id);
CREATE INDEX exchange_rates_currency ON exchange_rates(currency, valid_from, id);
)sql";

// Share requests (schema.cpp): region staff asking a start-up to share a lead; at most one
// pending per lead. They go with their lead: staff asking must not keep a start-up from
// deleting it. A lead's sharing history is read from the audit log by row, which had
// an index by organisation only.
std::string v10() {
  return std::string("CREATE TABLE share_requests (") + RELANCE_ROW_HEADER R"sql(
  lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  message TEXT,
  state TEXT NOT NULL DEFAULT 'pending',
  requested_by INTEGER REFERENCES users(id),
  answered_by INTEGER REFERENCES users(id),
  answered_at TEXT,
  reason TEXT
);
CREATE INDEX share_requests_org ON share_requests(org_id, id);
CREATE INDEX share_requests_org_updated ON share_requests(org_id, updated_at, id);
CREATE INDEX share_requests_lead ON share_requests(lead_id, state);
CREATE INDEX audit_log_row ON audit_log(entity, entity_id, id);
)sql";
}

// The scheduler asks every second for the follow-ups due and not yet announced. Its pending
// ones are open or snoozed; the index of migration 1 held open ones only, so the planner
// could not use it and read every follow-up ever due, done ones included (a served instance
// of 200,000 leads spent its CPU there).
const char* const v11_pending_followups = R"sql(
DROP INDEX followups_open_due;
CREATE INDEX followups_pending_due ON followups(due_at, id) WHERE status IN ('open', 'snoozed');
)sql";

// The reports' reads (report_queries.cpp) find the leads of a mission, a partner company, a
// sector or a period by index instead of scanning every lead; each lead's activities of one
// kind (its first meeting, its first call after it, its last activity) in one seek, and its
// stage changes with the stages and times a funnel reads, without reading the rows.
constexpr const char* v12_report_indexes = R"sql(
CREATE INDEX leads_event ON leads(source_event_id, created_at);
CREATE INDEX leads_company ON leads(company_id);
CREATE INDEX leads_created ON leads(created_at);
CREATE INDEX companies_sector ON companies(sector COLLATE NOCASE);
CREATE INDEX activities_lead_kind ON activities(lead_id, kind, occurred_at, org_id, from_stage, to_stage);
CREATE INDEX followups_lead_status ON followups(lead_id, status, due_at);
)sql";

// Attachments (schema.cpp): files kept with a contact, the photo of a business card. The
// bytes are base64url text in `content`; the lists of a contact's files read the index by
// contact. They go with their contact (ON DELETE CASCADE), as they are the contact's data.
std::string v13() {
  return std::string("CREATE TABLE attachments (") + RELANCE_ROW_HEADER R"sql(
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  filename TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  content TEXT
);
CREATE INDEX attachments_org ON attachments(org_id, id);
CREATE INDEX attachments_org_contact ON attachments(org_id, contact_id, id);
CREATE INDEX attachments_org_updated ON attachments(org_id, updated_at, id);
)sql";
}

// The reports' aggregates (docs/performance.md, "Region reports"): a report of 200,000 leads
// read every lead, activity and outcome it covered, seconds of CPU; it now reads sums kept
// by triggers in the write transaction, so every write path (the API, imports, merges and
// their undo, the demo loader, deletes) keeps them right without knowing of them.
//
// - report_leads: one row per lead with what the reports filter and count it by: its
//   start-up, mission (0: none), company and the company's sector folded as NOCASE folds it
//   (char(1): none), creation, current stage, the stages it has been in (`path`: sorted,
//   joined by the unit separator) and its last activity (else its creation). Indexed by
//   creation (a period's partial months), company (a partner) and last activity (stale).
//   A mission lead also keeps the start of its follow-up clock (`ref_at`: its first meeting,
//   else the day after its mission) and the seconds to its first call, email or meeting
//   after it (`delay`).
// - report_stays: each completed stay of a lead in a stage (the seconds from entering it to
//   the stage change out of it), with its lead's keys: read without a window over the
//   activities.
// - report_lead_counts: those leads counted by (start-up, mission, sector, month of creation,
//   stage, path): a funnel's leads by stage and by stages reached, and the open leads a stale
//   count starts from.
// - report_outcomes / report_outcome_sums: each outcome with its mission (its own, else its
//   lead's) and day, and their sums by (start-up, mission, partner, month, kind, currency);
//   the partner's name and sector are read from companies when reporting.
//
// A lead's row is recomputed whole by `INSERT INTO report_lead_refresh` (a view whose
// INSTEAD OF trigger is the one place the row is computed), and the sums follow its row by
// the triggers on report_leads; the same for outcomes.
constexpr const char* v14_report_aggregates = R"sql(
CREATE TABLE report_leads (
  lead_id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  sector_key TEXT NOT NULL,
  company_id INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  stage TEXT NOT NULL,
  path TEXT NOT NULL,
  last_at TEXT NOT NULL,
  ref_at TEXT,
  delay REAL
);
CREATE INDEX report_leads_created ON report_leads(created_at);
CREATE INDEX report_leads_company ON report_leads(company_id);
CREATE INDEX report_leads_last ON report_leads(last_at);

CREATE TABLE report_stays (
  lead_id INTEGER NOT NULL,
  org_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  sector_key TEXT NOT NULL,
  company_id INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  stage TEXT NOT NULL,
  seconds REAL
);
CREATE INDEX report_stays_lead ON report_stays(lead_id);
CREATE INDEX report_stays_created ON report_stays(created_at);

CREATE TABLE report_lead_counts (
  org_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  sector_key TEXT NOT NULL,
  month TEXT NOT NULL,
  stage TEXT NOT NULL,
  path TEXT NOT NULL,
  leads INTEGER NOT NULL,
  PRIMARY KEY (org_id, event_id, sector_key, month, stage, path)
) WITHOUT ROWID;

CREATE TRIGGER report_leads_counted AFTER INSERT ON report_leads BEGIN
  INSERT INTO report_lead_counts VALUES (NEW.org_id, NEW.event_id, NEW.sector_key, substr(NEW.created_at, 1, 7),
                                         NEW.stage, NEW.path, 1)
    ON CONFLICT DO UPDATE SET leads = leads + 1;
END;
CREATE TRIGGER report_leads_uncounted AFTER DELETE ON report_leads BEGIN
  UPDATE report_lead_counts SET leads = leads - 1
    WHERE org_id = OLD.org_id AND event_id = OLD.event_id AND sector_key = OLD.sector_key
      AND month = substr(OLD.created_at, 1, 7) AND stage = OLD.stage AND path = OLD.path;
  DELETE FROM report_lead_counts
    WHERE org_id = OLD.org_id AND event_id = OLD.event_id AND sector_key = OLD.sector_key
      AND month = substr(OLD.created_at, 1, 7) AND stage = OLD.stage AND path = OLD.path AND leads <= 0;
END;

CREATE VIEW report_lead_refresh AS SELECT 0 AS lead_id;
CREATE TRIGGER report_lead_refreshed INSTEAD OF INSERT ON report_lead_refresh BEGIN
  DELETE FROM report_leads WHERE lead_id = NEW.lead_id;
  INSERT INTO report_leads
    SELECT l.id, l.org_id, coalesce(l.source_event_id, 0),
           coalesce((SELECT lower(c.sector) FROM companies c WHERE c.id = l.company_id), char(1)),
           coalesce(l.company_id, 0), l.created_at, l.stage,
           (SELECT group_concat(s, char(31)) FROM (SELECT s FROM (
              SELECT l.stage AS s
              UNION SELECT a.from_stage FROM activities a
                WHERE a.lead_id = l.id AND a.kind = 'stage-change' AND +a.org_id = l.org_id
              UNION SELECT a.to_stage FROM activities a
                WHERE a.lead_id = l.id AND a.kind = 'stage-change' AND +a.org_id = l.org_id)
            WHERE s IS NOT NULL ORDER BY s)),
           coalesce((SELECT max(a.occurred_at) FROM activities a WHERE a.lead_id = l.id AND +a.org_id = l.org_id),
                    l.created_at),
           NULL, NULL
    FROM leads l WHERE l.id = NEW.lead_id;
  UPDATE report_leads SET ref_at = (SELECT coalesce(
      (SELECT min(a.occurred_at) FROM activities a
        WHERE a.lead_id = l.id AND a.kind = 'meeting' AND +a.org_id = l.org_id),
      (SELECT date(e.ends_on, '+1 day') || 'T00:00:00.000Z' FROM events e WHERE e.id = l.source_event_id))
    FROM leads l WHERE l.id = NEW.lead_id AND l.source_event_id IS NOT NULL)
    WHERE lead_id = NEW.lead_id;
  UPDATE report_leads SET delay = (julianday((SELECT min(a.occurred_at) FROM activities a
      WHERE a.lead_id = report_leads.lead_id AND +a.org_id = report_leads.org_id
        AND a.kind IN ('call', 'email', 'meeting') AND a.occurred_at > report_leads.ref_at))
      - julianday(ref_at)) * 86400.0
    WHERE lead_id = NEW.lead_id AND ref_at IS NOT NULL;
  DELETE FROM report_stays WHERE lead_id = NEW.lead_id;
  INSERT INTO report_stays
    SELECT r.lead_id, r.org_id, r.event_id, r.sector_key, r.company_id, r.created_at, s.stage, s.seconds
    FROM report_leads r,
         (SELECT a.from_stage AS stage, (julianday(a.occurred_at) - julianday(coalesce(
                   lag(a.occurred_at) OVER (ORDER BY a.occurred_at, a.id), l.created_at))) * 86400.0 AS seconds
          FROM leads l JOIN activities a ON a.lead_id = l.id AND a.kind = 'stage-change' AND +a.org_id = l.org_id
          WHERE l.id = NEW.lead_id) s
    WHERE r.lead_id = NEW.lead_id AND s.stage IS NOT NULL;
END;

CREATE TRIGGER report_lead_inserted AFTER INSERT ON leads BEGIN
  INSERT INTO report_lead_refresh VALUES (NEW.id);
END;
CREATE TRIGGER report_lead_updated AFTER UPDATE OF org_id, source_event_id, company_id, created_at, stage ON leads
  WHEN OLD.org_id IS NOT NEW.org_id OR OLD.source_event_id IS NOT NEW.source_event_id
    OR OLD.company_id IS NOT NEW.company_id OR OLD.created_at IS NOT NEW.created_at OR OLD.stage IS NOT NEW.stage
BEGIN
  INSERT INTO report_lead_refresh VALUES (NEW.id);
END;
CREATE TRIGGER report_lead_deleted AFTER DELETE ON leads BEGIN
  INSERT INTO report_lead_refresh VALUES (OLD.id);
END;

CREATE TRIGGER report_activity_inserted AFTER INSERT ON activities WHEN NEW.lead_id IS NOT NULL BEGIN
  INSERT INTO report_lead_refresh VALUES (NEW.lead_id);
END;
CREATE TRIGGER report_activity_updated AFTER UPDATE OF org_id, lead_id, kind, occurred_at, from_stage, to_stage
  ON activities
BEGIN
  INSERT INTO report_lead_refresh SELECT OLD.lead_id WHERE OLD.lead_id IS NOT NULL;
  INSERT INTO report_lead_refresh SELECT NEW.lead_id WHERE NEW.lead_id IS NOT NULL AND NEW.lead_id IS NOT OLD.lead_id;
END;
CREATE TRIGGER report_activity_deleted AFTER DELETE ON activities WHEN OLD.lead_id IS NOT NULL BEGIN
  INSERT INTO report_lead_refresh VALUES (OLD.lead_id);
END;

CREATE TRIGGER report_company_sector AFTER UPDATE OF sector ON companies
  WHEN OLD.sector IS NOT NEW.sector
BEGIN
  INSERT INTO report_lead_refresh SELECT id FROM leads WHERE company_id = NEW.id;
END;
CREATE TRIGGER report_company_deleted AFTER DELETE ON companies BEGIN
  INSERT INTO report_lead_refresh SELECT id FROM leads WHERE company_id = OLD.id;
END;
-- A mission lead's follow-up clock starts at the end of its mission when no meeting is logged.
CREATE TRIGGER report_event_end AFTER UPDATE OF ends_on ON events WHEN OLD.ends_on IS NOT NEW.ends_on BEGIN
  INSERT INTO report_lead_refresh SELECT id FROM leads WHERE source_event_id = NEW.id;
END;
CREATE TRIGGER report_event_deleted AFTER DELETE ON events BEGIN
  INSERT INTO report_lead_refresh SELECT id FROM leads WHERE source_event_id = OLD.id;
END;

CREATE TABLE report_outcomes (
  outcome_id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  partner_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL,
  amount_eur INTEGER NOT NULL,
  jobs INTEGER NOT NULL
);
CREATE INDEX report_outcomes_day ON report_outcomes(day);
CREATE INDEX report_outcomes_partner ON report_outcomes(partner_id);

CREATE TABLE report_outcome_sums (
  org_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  partner_id INTEGER NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
  outcomes INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  amount_eur INTEGER NOT NULL,
  jobs INTEGER NOT NULL,
  PRIMARY KEY (org_id, event_id, partner_id, month, kind, currency)
) WITHOUT ROWID;

CREATE TRIGGER report_outcomes_counted AFTER INSERT ON report_outcomes BEGIN
  INSERT INTO report_outcome_sums VALUES (NEW.org_id, NEW.event_id, NEW.partner_id, substr(NEW.day, 1, 7), NEW.kind,
                                          NEW.currency, 1, NEW.amount, NEW.amount_eur, NEW.jobs)
    ON CONFLICT DO UPDATE SET outcomes = outcomes + 1, amount = amount + excluded.amount,
                              amount_eur = amount_eur + excluded.amount_eur, jobs = jobs + excluded.jobs;
END;
CREATE TRIGGER report_outcomes_uncounted AFTER DELETE ON report_outcomes BEGIN
  UPDATE report_outcome_sums SET outcomes = outcomes - 1, amount = amount - OLD.amount,
                                 amount_eur = amount_eur - OLD.amount_eur, jobs = jobs - OLD.jobs
    WHERE org_id = OLD.org_id AND event_id = OLD.event_id AND partner_id = OLD.partner_id
      AND month = substr(OLD.day, 1, 7) AND kind = OLD.kind AND currency = OLD.currency;
  DELETE FROM report_outcome_sums
    WHERE org_id = OLD.org_id AND event_id = OLD.event_id AND partner_id = OLD.partner_id
      AND month = substr(OLD.day, 1, 7) AND kind = OLD.kind AND currency = OLD.currency AND outcomes <= 0;
END;

CREATE VIEW report_outcome_refresh AS SELECT 0 AS outcome_id;
CREATE TRIGGER report_outcome_refreshed INSTEAD OF INSERT ON report_outcome_refresh BEGIN
  DELETE FROM report_outcomes WHERE outcome_id = NEW.outcome_id;
  INSERT INTO report_outcomes
    SELECT o.id, o.org_id, coalesce(o.event_id, (SELECT l.source_event_id FROM leads l WHERE l.id = o.lead_id), 0),
           coalesce(o.partner_company_id, 0), coalesce(o.occurred_on, substr(o.created_at, 1, 10)), o.kind,
           coalesce(o.currency, ''), coalesce(o.amount, 0), coalesce(o.amount_eur, 0), coalesce(o.jobs, 0)
    FROM outcomes o WHERE o.id = NEW.outcome_id;
END;

CREATE TRIGGER report_outcome_inserted AFTER INSERT ON outcomes BEGIN
  INSERT INTO report_outcome_refresh VALUES (NEW.id);
END;
CREATE TRIGGER report_outcome_updated AFTER UPDATE ON outcomes BEGIN
  INSERT INTO report_outcome_refresh VALUES (NEW.id);
END;
CREATE TRIGGER report_outcome_deleted AFTER DELETE ON outcomes BEGIN
  INSERT INTO report_outcome_refresh VALUES (OLD.id);
END;
-- An outcome without its own event counts on its lead's mission.
CREATE TRIGGER report_lead_outcomes_event AFTER UPDATE OF source_event_id ON leads
  WHEN OLD.source_event_id IS NOT NEW.source_event_id
BEGIN
  INSERT INTO report_outcome_refresh SELECT id FROM outcomes WHERE org_id = NEW.org_id AND lead_id = NEW.id;
END;
CREATE TRIGGER report_lead_outcomes_deleted AFTER DELETE ON leads BEGIN
  INSERT INTO report_outcome_refresh SELECT id FROM outcomes WHERE org_id = OLD.org_id AND lead_id = OLD.id;
END;

INSERT INTO report_lead_refresh SELECT id FROM leads;
INSERT INTO report_outcome_refresh SELECT id FROM outcomes;
)sql";

// Attachments' bytes as a BLOB (schema.cpp): migration 13 kept them as base64url text, a
// third larger, decoded on every read, and read with every row of a contact's list. The
// table is rebuilt with `content BLOB` (SQLite cannot change a column's type), each row's
// text decoded by relance_base64url_decode (schema_upgrade.cpp registers it; a text that is
// not base64url is kept as its own bytes rather than lost). The AUTOINCREMENT sequence is
// carried over, so that an id once given, also of a file deleted since, is never given again.
std::string v15() {
  return std::string("CREATE TABLE attachments_v15 (") + RELANCE_ROW_HEADER R"sql(
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  filename TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  content BLOB NOT NULL DEFAULT x''
);
INSERT INTO attachments_v15 (id, org_id, version, created_at, updated_at, created_by, updated_by,
                             contact_id, filename, content_type, size_bytes, content)
  SELECT id, org_id, version, created_at, updated_at, created_by, updated_by,
         contact_id, filename, content_type, size_bytes,
         coalesce(relance_base64url_decode(content), CAST(coalesce(content, '') AS BLOB))
  FROM attachments;
DELETE FROM sqlite_sequence WHERE name = 'attachments_v15';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'attachments_v15', seq FROM sqlite_sequence WHERE name = 'attachments';
DROP TABLE attachments;
ALTER TABLE attachments_v15 RENAME TO attachments;
CREATE INDEX attachments_org ON attachments(org_id, id);
CREATE INDEX attachments_org_contact ON attachments(org_id, contact_id, id);
CREATE INDEX attachments_org_updated ON attachments(org_id, updated_at, id);
)sql";
}

// The reports read their leads from memory (report_index/report_index.hpp), which must learn
// of every lead a write changes, in this process or another: report_changes names each
// such lead once, with the sequence number of its last change (AUTOINCREMENT: a number is
// never given twice, so that a reader that has seen up to N misses nothing after N).
// `INSERT INTO report_change` (a view whose INSTEAD OF trigger is the one place a change is
// written) is called, in the same write transaction, when a lead's row of report_leads is
// recomputed and when one of its follow-ups is written (the index counts the overdue ones).
// The counts by month of migration 14 are no longer read: their table and its two
// triggers, which every write of a lead paid for, are dropped.
constexpr const char* v16_report_changes = R"sql(
CREATE TABLE report_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  lead_id INTEGER NOT NULL UNIQUE
);
CREATE VIEW report_change AS SELECT 0 AS lead_id;
CREATE TRIGGER report_change_noted INSTEAD OF INSERT ON report_change BEGIN
  DELETE FROM report_changes WHERE lead_id = NEW.lead_id;
  INSERT INTO report_changes (lead_id) VALUES (NEW.lead_id);
END;
CREATE TRIGGER report_lead_changed INSTEAD OF INSERT ON report_lead_refresh BEGIN
  INSERT INTO report_change VALUES (NEW.lead_id);
END;
CREATE TRIGGER report_followup_inserted AFTER INSERT ON followups WHEN NEW.lead_id IS NOT NULL BEGIN
  INSERT INTO report_change VALUES (NEW.lead_id);
END;
CREATE TRIGGER report_followup_updated AFTER UPDATE OF lead_id, status, due_at ON followups BEGIN
  INSERT INTO report_change SELECT OLD.lead_id WHERE OLD.lead_id IS NOT NULL;
  INSERT INTO report_change SELECT NEW.lead_id WHERE NEW.lead_id IS NOT NULL AND NEW.lead_id IS NOT OLD.lead_id;
END;
CREATE TRIGGER report_followup_deleted AFTER DELETE ON followups WHEN OLD.lead_id IS NOT NULL BEGIN
  INSERT INTO report_change VALUES (OLD.lead_id);
END;
DROP TRIGGER report_leads_counted;
DROP TRIGGER report_leads_uncounted;
DROP TABLE report_lead_counts;
)sql";

// Contacts' full-text index with one-character prefixes too. Search as you type asks for
// the first letter of a word alone ("s"): without its prefix indexed, FTS5 merged the
// doclists of every word starting with it, in every organisation, before the first row
// (20-60 ms of CPU at 300,000 contacts, more at a million: the keystrokes of the web
// bench's p95); with it, under 2 ms (docs/performance.md, "Web app"). The index grows by
// about a sixth; the other tables are not searched letter by letter. A contentless table
// cannot be given a new prefix, so it is made again from the contacts, and the pending
// entries of contacts (migration 7) are indexed with them.
std::string v17() {
  static_assert(std::string_view(text_indexes[0].table) == "contacts");
  const TextIndex& contacts = text_indexes[0];
  return "DROP TABLE contacts_fts;\n" + fts_table(contacts, "1 2 3 4 5 6 7 8") +
         "INSERT INTO contacts_fts(rowid, org_key, public, personal) SELECT r.id, " +
         indexed_values(contacts, "r") + " FROM contacts r;\n" +
         "DELETE FROM fts_pending WHERE entity = 'contacts';\n";
}

// The outcomes report reads its outcomes from memory too (report_index/outcome_index.hpp):
// report_outcome_changes names each outcome whose row of report_outcomes a write replaced,
// or whose partner's sector (read with it) changed, as report_changes names leads
// (migration 16). The sums by month of migration 14 are no longer read: their table and its
// two triggers, which every write of an outcome paid for, are dropped.
constexpr const char* v18_report_outcome_changes = R"sql(
CREATE TABLE report_outcome_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  outcome_id INTEGER NOT NULL UNIQUE
);
CREATE VIEW report_outcome_change AS SELECT 0 AS outcome_id;
CREATE TRIGGER report_outcome_change_noted INSTEAD OF INSERT ON report_outcome_change BEGIN
  DELETE FROM report_outcome_changes WHERE outcome_id = NEW.outcome_id;
  INSERT INTO report_outcome_changes (outcome_id) VALUES (NEW.outcome_id);
END;
CREATE TRIGGER report_outcome_row_added AFTER INSERT ON report_outcomes BEGIN
  INSERT INTO report_outcome_change VALUES (NEW.outcome_id);
END;
CREATE TRIGGER report_outcome_row_removed AFTER DELETE ON report_outcomes BEGIN
  INSERT INTO report_outcome_change VALUES (OLD.outcome_id);
END;
CREATE TRIGGER report_partner_sector_changed AFTER UPDATE OF sector ON companies
  WHEN OLD.sector IS NOT NEW.sector
BEGIN
  INSERT INTO report_outcome_change SELECT outcome_id FROM report_outcomes WHERE partner_id = NEW.id;
END;
CREATE TRIGGER report_partner_deleted AFTER DELETE ON companies BEGIN
  INSERT INTO report_outcome_change SELECT outcome_id FROM report_outcomes WHERE partner_id = OLD.id;
END;
DROP TRIGGER report_outcomes_counted;
DROP TRIGGER report_outcomes_uncounted;
DROP TABLE report_outcome_sums;
)sql";

#undef RELANCE_ROW_HEADER

}  // namespace

std::span<const Migration> migrations() {
  static const Migration all[] = {
      {1, "initial schema", v1()},
      {2, "plugin instances and event delivery", v2_plugins},
      {3, "contacts' time zone", v3_contact_time_zone},
      {4, "follow-up notices and digests", v4_followup_notices},
      {5, "cadence rules", v5()},
      {6, "contact merges", v6_contact_merges},
      {7, "full-text entries written once per transaction", v7()},
      {8, "outcomes' mission event", v8_outcome_event},
      {9, "outcomes' partner and amount in euros; exchange rates", v9_region_data},
      {10, "share requests and the audit log by row", v10()},
      {11, "pending follow-ups by due time", v11_pending_followups},
      {12, "indexes of the reports", v12_report_indexes},
      {13, "attachments of contacts", v13()},
      {14, "aggregates of the reports, kept by triggers", v14_report_aggregates},
      {15, "attachments' bytes as a BLOB", v15()},
      {16, "the leads each write changed, for the reports' index", v16_report_changes},
      {17, "contacts' full-text index with one-letter prefixes", v17()},
      {18, "the outcomes each write changed, for the reports' index", v18_report_outcome_changes},
  };
  return all;
}

}  // namespace relance::storage::sqlite
