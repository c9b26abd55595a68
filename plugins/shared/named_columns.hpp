// The columns an exporter reads by name rather than by position (ics and vcard build one
// component or card from several fields of a row): found in begin_dataset, so that a dataset
// whose columns come in another order, or lack some, still exports. Header-only and built on
// the SDK alone, like the rest of plugins/shared.
#pragma once

#include <relance/plugin.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace plugins_shared {

// `N` fields, numbered 0..N-1 by the plugin's own enum, named by `names[field]`.
template <std::size_t N>
class NamedColumns {
 public:
  // Finds each field's column in `dataset`; a field without one reads as absent.
  void find(const relance_dataset& dataset, const std::string_view (&names)[N]) {
    for (auto& c : columns_) c = npos;
    for (std::size_t i = 0; i < dataset.column_count; ++i) {
      const std::string_view column = relance::view(relance_column_at(&dataset, i)->name);
      for (std::size_t f = 0; f < N; ++f) {
        if (column == names[f]) columns_[f] = i;
      }
    }
  }

  // The field's value in `row`, or nullptr when it has no column or is NULL.
  const relance_value* value(const relance_row& row, std::size_t field) const {
    const std::size_t i = columns_[field];
    if (i == npos || i >= row.count || row.values[i].kind == RELANCE_VALUE_NULL) return nullptr;
    return &row.values[i];
  }

  // The field's text (an INTEGER in decimal), empty when absent.
  std::string text(const relance_row& row, std::size_t field) const {
    const relance_value* v = value(row, field);
    if (!v) return {};
    if (v->kind == RELANCE_VALUE_INTEGER) return std::to_string(v->integer);
    return std::string(relance::view(v->text));
  }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t columns_[N] = {};
};

}  // namespace plugins_shared
