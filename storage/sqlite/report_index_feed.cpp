#include "sqlite/report_index_feed.hpp"

#include <algorithm>
#include <string>

namespace relance::storage::sqlite {
namespace {

// Beyond this many changed leads, reading every lead again costs less than reading each.
constexpr std::size_t reload_after_changes = 20000;

const std::string lead_columns =
    "SELECT lead_id, org_id, event_id, company_id, sector_key, created_at, stage, path, last_at, ref_at, delay"
    " FROM report_leads";

ReportLeadRow lead_row(SQLite::Statement& st) {
  ReportLeadRow r;
  r.lead_id = st.getColumn(0).getInt64();
  r.org_id = st.getColumn(1).getInt64();
  r.event_id = st.getColumn(2).getInt64();
  r.company_id = st.getColumn(3).getInt64();
  r.sector_key = st.getColumn(4).getString();
  r.created_at = st.getColumn(5).getString();
  r.stage = st.getColumn(6).getString();
  r.path = st.getColumn(7).getString();
  r.last_at = st.getColumn(8).getString();
  if (!st.getColumn(9).isNull()) r.ref_at = st.getColumn(9).getString();
  if (!st.getColumn(10).isNull()) r.delay = st.getColumn(10).getDouble();
  return r;
}

// A row of report_stays (lead_id, stage, seconds) added to its lead's stays.
void add_stay(SQLite::Statement& st, ReportLeadRow& lead) {
  if (!st.getColumn(2).isNull()) lead.stays.emplace_back(st.getColumn(1).getString(), st.getColumn(2).getDouble());
}

// The rows of `st` (lead_id first, in lead order) given to their leads in `rows` (sorted by
// lead id) by `add(st, lead)`.
void attach(SQLite::Statement& st, std::vector<ReportLeadRow>& rows, void (*add)(SQLite::Statement&, ReportLeadRow&)) {
  auto row = rows.begin();
  while (st.executeStep()) {
    const std::int64_t lead_id = st.getColumn(0).getInt64();
    while (row != rows.end() && row->lead_id < lead_id) ++row;
    if (row == rows.end()) break;
    if (row->lead_id == lead_id) add(st, *row);
  }
  st.reset();
}

// A row (lead_id, due_at) of a pending follow-up added to its lead's.
void add_pending(SQLite::Statement& st, ReportLeadRow& lead) { lead.pending_due.push_back(st.getColumn(1).getString()); }

const std::string pending_followups =
    "SELECT lead_id, due_at FROM followups WHERE status IN ('open', 'snoozed') AND lead_id";

void load_all(Connection& c, ReportIndex& index, std::int64_t last) {
  std::vector<ReportLeadRow> rows;
  auto& leads = c.statement(lead_columns + " ORDER BY lead_id");
  while (leads.executeStep()) rows.push_back(lead_row(leads));
  leads.reset();
  attach(c.statement("SELECT lead_id, stage, seconds FROM report_stays ORDER BY lead_id"), rows, add_stay);
  attach(c.statement(pending_followups + " IS NOT NULL ORDER BY lead_id"), rows, add_pending);
  index.load(std::move(rows), last);
}

void load_changes(Connection& c, ReportIndex& index, std::vector<std::int64_t> changed, std::int64_t last) {
  std::sort(changed.begin(), changed.end());
  std::vector<ReportLeadRow> rows;
  auto& lead = c.statement(lead_columns + " WHERE lead_id = ?");
  auto& stays = c.statement("SELECT lead_id, stage, seconds FROM report_stays WHERE lead_id = ?");
  auto& pending = c.statement(pending_followups + " = ?");
  auto read_into = [](SQLite::Statement& st, std::int64_t id, ReportLeadRow& row,
                      void (*add)(SQLite::Statement&, ReportLeadRow&)) {
    st.bind(1, id);
    while (st.executeStep()) add(st, row);
    st.reset();
  };
  for (std::int64_t id : changed) {
    lead.bind(1, id);
    if (lead.executeStep()) {
      rows.push_back(lead_row(lead));
      read_into(stays, id, rows.back(), add_stay);
      read_into(pending, id, rows.back(), add_pending);
    }
    lead.reset();
  }
  index.apply(changed, std::move(rows), last);
}

// The changes after `known` up to the last one of `changes` (the snapshot's): `load_all(last)`
// on the first feed or after more than reload_after_changes of them, else
// `load_changes(ids, last)`.
template <class LoadAll, class LoadChanges>
void feed(Connection& c, const std::string& changes, const std::string& id_column, std::int64_t known,
          LoadAll load_all, LoadChanges load_changes) {
  guarded([&] {
    // The connection lent by the reader pool holds one snapshot: the changes and the rows
    // they name are of the same one. A snapshot older than the index's leaves it as it is.
    auto& top = c.statement("SELECT coalesce(max(seq), 0) FROM " + changes);
    top.executeStep();
    const std::int64_t last = top.getColumn(0).getInt64();
    top.reset();
    if (known < 0) {
      load_all(last);
    } else if (last > known) {
      std::vector<std::int64_t> changed;
      auto& st = c.statement("SELECT " + id_column + " FROM " + changes + " WHERE seq > ? AND seq <= ?");
      st.bind(1, known);
      st.bind(2, last);
      while (st.executeStep() && changed.size() <= reload_after_changes) changed.push_back(st.getColumn(0).getInt64());
      st.reset();
      if (changed.size() > reload_after_changes)
        load_all(last);
      else
        load_changes(std::move(changed), last);
    }
  });
}

const std::string outcome_columns =
    "SELECT r.outcome_id, r.org_id, r.event_id, r.partner_id, r.day, r.kind, r.currency, pc.sector, r.amount,"
    " r.amount_eur, r.jobs FROM report_outcomes r LEFT JOIN companies pc ON pc.id = r.partner_id";

ReportOutcomeRow outcome_row(SQLite::Statement& st) {
  ReportOutcomeRow r;
  r.outcome_id = st.getColumn(0).getInt64();
  r.org_id = st.getColumn(1).getInt64();
  r.event_id = st.getColumn(2).getInt64();
  r.partner_id = st.getColumn(3).getInt64();
  r.day = st.getColumn(4).getString();
  r.kind = st.getColumn(5).getString();
  r.currency = st.getColumn(6).getString();
  if (!st.getColumn(7).isNull()) r.sector = st.getColumn(7).getString();
  r.amount = st.getColumn(8).getInt64();
  r.amount_eur = st.getColumn(9).getInt64();
  r.jobs = st.getColumn(10).getInt64();
  return r;
}

}  // namespace

void feed_index(Connection& c, ReportIndex& index) {
  feed(
      c, "report_changes", "lead_id", index.seq(), [&](std::int64_t last) { load_all(c, index, last); },
      [&](std::vector<std::int64_t> changed, std::int64_t last) { load_changes(c, index, std::move(changed), last); });
}

void feed_index(Connection& c, OutcomeIndex& index) {
  feed(
      c, "report_outcome_changes", "outcome_id", index.seq(),
      [&](std::int64_t last) {
        std::vector<ReportOutcomeRow> rows;
        auto& st = c.statement(outcome_columns);
        while (st.executeStep()) rows.push_back(outcome_row(st));
        st.reset();
        index.load(rows, last);
      },
      [&](std::vector<std::int64_t> changed, std::int64_t last) {
        std::vector<ReportOutcomeRow> rows;
        auto& st = c.statement(outcome_columns + " WHERE r.outcome_id = ?");
        for (std::int64_t id : changed) {
          st.bind(1, id);
          if (st.executeStep()) rows.push_back(outcome_row(st));
          st.reset();
        }
        index.apply(changed, rows, last);
      });
}

void add_partner_names(Connection& c, OutcomeReport& report) {
  guarded([&] {
    auto& st = c.statement("SELECT name FROM companies WHERE id = ?");
    for (auto& p : report.by_partner) {
      if (p.company_id == 0) continue;
      st.bind(1, p.company_id);
      if (st.executeStep()) p.name = st.getColumn(0).getString();
      st.reset();
    }
  });
}

StaleRules stale_rules(Connection& c) {
  return guarded([&] {
    StaleRules out;
    auto& st = c.statement(
        "SELECT org_id, stage, min(days) FROM cadence_rules WHERE kind = 'stale-stage' AND coalesce(enabled, 1) != 0"
        " AND stage IS NOT NULL AND days IS NOT NULL GROUP BY org_id, stage");
    while (st.executeStep())
      out[st.getColumn(0).getInt64()][st.getColumn(1).getString()] = st.getColumn(2).getInt();
    st.reset();
    return out;
  });
}

}  // namespace relance::storage::sqlite
