// Running a report's statement: the filter's values bound to the parameters it names, each
// row read into a value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "relance/storage/report_reads.hpp"
#include "report_index/stage_path.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

// Binds the filter's values to the named parameters the statement has.
inline void bind_filter(SQLite::Statement& st, const ReportFilter& f) {
  auto has = [&](const char* name) { return st.getIndex(name) > 0; };
  if (f.org_id && has(":org")) st.bind(":org", *f.org_id);
  if (f.event_id && has(":event")) st.bind(":event", *f.event_id);
  if (f.sector && has(":sector")) st.bind(":sector", *f.sector);
  if (f.partner_company_id && has(":partner")) st.bind(":partner", *f.partner_company_id);
  if (f.from && has(":from")) st.bind(":from", *f.from);
  if (f.to && has(":to")) st.bind(":to", *f.to);
  if (has(":now")) st.bind(":now", f.now);
}

using BindMore = void (*)(SQLite::Statement&, const void* more);

// Runs `sql` with the filter bound (and `bind_more(st, more)` when given), `read` called on
// each row.
template <class T, class Read>
std::vector<T> rows_of(Connection& c, const std::string& sql, const ReportFilter& f, Read read,
                       BindMore bind_more = nullptr, const void* more = nullptr) {
  return guarded([&] {
    auto& st = c.statement(sql);
    bind_filter(st, f);
    if (bind_more) bind_more(st, more);
    std::vector<T> out;
    while (st.executeStep()) out.push_back(read(st));
    st.reset();
    return out;
  });
}

inline StageLeads stage_leads(SQLite::Statement& st) {
  return StageLeads{st.getColumn(0).getInt64(), st.getColumn(1).getString(), st.getColumn(2).getInt64()};
}

// The days of stale: those asked, else none (each organisation's rule, else the default).
struct StaleDays {
  std::optional<int> days;
  int default_days = 0;
};
inline void bind_days(SQLite::Statement& st, const void* more) {
  const auto& d = *static_cast<const StaleDays*>(more);
  if (d.days) st.bind(":days", *d.days);
  st.bind(":default_days", d.default_days);
}

}  // namespace relance::storage::sqlite
