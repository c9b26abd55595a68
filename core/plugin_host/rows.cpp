#include "plugin_host/rows.hpp"

#include <charconv>

#include "domain/currency.hpp"

namespace relance::plugin_host {
namespace {

using storage::FieldKind;

int32_t kind_of(FieldKind k) {
  switch (k) {
    case FieldKind::integer:
    case FieldKind::reference: return RELANCE_VALUE_INTEGER;
    case FieldKind::boolean: return RELANCE_VALUE_BOOLEAN;
    case FieldKind::timestamp: return RELANCE_VALUE_INSTANT;
    case FieldKind::date: return RELANCE_VALUE_DATE;
    case FieldKind::money: return RELANCE_VALUE_MONEY;
    case FieldKind::email_list:
    case FieldKind::phone_list:
    case FieldKind::tag_list:
    case FieldKind::text_list: return RELANCE_VALUE_LIST;
    default: return RELANCE_VALUE_TEXT;
  }
}

relance_str str_of(std::string_view s) { return relance_str{s.data(), s.size()}; }

}  // namespace

std::int64_t instant_ms(std::string_view t) {
  // Fixed form "YYYY-MM-DDTHH:MM:SS.mmmZ" (storage/instant.hpp).
  if (t.size() != 24) return 0;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    std::from_chars(t.data() + at, t.data() + at + n, v);
    return v;
  };
  const int y0 = num(0, 4), m = num(5, 2), d = num(8, 2);
  // Days from civil (H. Hinnant's algorithm).
  const int y = y0 - (m <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return ((days * 24 + num(11, 2)) * 60 + num(14, 2)) * 60000 + num(17, 2) * 1000 + num(20, 3);
}

DatasetView::DatasetView(const storage::Entity& e, std::vector<ExtraColumn> extra, bool record_columns)
    : entity_(e) {
  auto add = [&](std::string_view name, int32_t kind, uint32_t flags, Source src) {
    columns_.push_back(relance_column{kind, flags, str_of(name)});
    sources_.push_back(src);
  };
  std::vector<bool> placed(extra.size(), false);
  // The extra columns that go right after the column `name`.
  auto add_extra_after = [&](std::string_view name) {
    for (std::size_t i = 0; i < extra.size(); ++i) {
      if (placed[i] || (!name.empty() && extra[i].after != name)) continue;
      placed[i] = true;
      add(extra[i].name, RELANCE_VALUE_TEXT, extra[i].personal ? RELANCE_COLUMN_PERSONAL : 0u, {Source::From::extra, i});
    }
  };
  if (record_columns) add("id", RELANCE_VALUE_INTEGER, 0, {Source::From::id});
  add_extra_after("id");
  const auto currency = e.index_of("currency");
  for (std::size_t i = 0; i < e.fields.size(); ++i) {
    const storage::Field& f = e.fields[i];
    if (f.kind == FieldKind::secret) continue;
    Source s{Source::From::field, i};
    if (f.kind == FieldKind::money && !f.fixed_currency.empty()) {
      s.fixed_currency = f.fixed_currency;
    } else if (f.kind == FieldKind::money && currency) {
      s.currency = *currency;
      s.has_currency = true;
    }
    add(f.name, kind_of(f.kind), f.has(storage::personal) ? RELANCE_COLUMN_PERSONAL : 0u, s);
    add_extra_after(f.name);
  }
  if (record_columns) {
    add("created_at", RELANCE_VALUE_INSTANT, 0, {Source::From::created_at});
    add("updated_at", RELANCE_VALUE_INSTANT, 0, {Source::From::updated_at});
  }
  add_extra_after({});  // the rest, in their order
  values_.resize(columns_.size());
  dataset_ = relance_dataset{sizeof(relance_dataset), str_of(e.name), columns_.size(), sizeof(relance_column),
                             columns_.data()};
  row_ = relance_row{sizeof(relance_row), values_.size(), values_.data()};
}

const relance_row& DatasetView::convert(const storage::Row& row, bool redact,
                                        const std::vector<const std::string*>& extra_values) {
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    relance_value& v = values_[c];
    v = relance_value{};
    const Source& s = sources_[c];
    const int32_t kind = columns_[c].kind;
    auto instant = [&](const std::string& text) {
      v.kind = RELANCE_VALUE_INSTANT;
      v.text = str_of(text);
      v.integer = instant_ms(text);
    };
    switch (s.from) {
      case Source::From::id:
        v.kind = RELANCE_VALUE_INTEGER;
        v.integer = row.id;
        continue;
      case Source::From::created_at: instant(row.created_at); continue;
      case Source::From::updated_at: instant(row.updated_at); continue;
      case Source::From::extra:
        if (s.field < extra_values.size() && extra_values[s.field] &&
            !(redact && (columns_[c].flags & RELANCE_COLUMN_PERSONAL))) {
          v.kind = RELANCE_VALUE_TEXT;
          v.text = str_of(*extra_values[s.field]);
        }
        continue;
      case Source::From::field: break;
    }
    if (s.field >= row.values.size()) continue;
    if (redact && (columns_[c].flags & RELANCE_COLUMN_PERSONAL)) continue;
    const storage::Value& value = row.values[s.field];
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
      v.kind = kind;
      v.integer = *i;
      if (kind == RELANCE_VALUE_MONEY) {
        v.scale = 2;
        if (!s.fixed_currency.empty()) {
          v.text = str_of(s.fixed_currency);
          v.scale = domain::currency_minor_units(s.fixed_currency).value_or(2);
        } else if (s.has_currency && s.currency < row.values.size())
          if (const auto* code = std::get_if<std::string>(&row.values[s.currency])) {
            v.text = str_of(*code);
            v.scale = domain::currency_minor_units(*code).value_or(2);
          }
      }
    } else if (const auto* d = std::get_if<double>(&value)) {
      v.kind = RELANCE_VALUE_REAL;
      v.real = *d;
    } else if (const auto* t = std::get_if<std::string>(&value)) {
      if (kind == RELANCE_VALUE_INSTANT) instant(*t);
      else {
        v.kind = kind == RELANCE_VALUE_INTEGER || kind == RELANCE_VALUE_BOOLEAN ||
                         kind == RELANCE_VALUE_MONEY ? RELANCE_VALUE_TEXT : kind;
        v.text = str_of(*t);
      }
    }
  }
  return row_;
}

}  // namespace relance::plugin_host
