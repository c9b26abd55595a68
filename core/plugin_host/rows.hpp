// The typed rows that cross the SDK (relance_dataset, relance_row): the same view of an
// entity for the query service and for exporters. Built from schema.hpp, so a new field
// reaches plugins without a line here.
//
// Thread safety: a DatasetView is used by one thread at a time.
#pragma once

#include <string>
#include <vector>

#include "plugin_host/datasets.hpp"
#include "relance/storage/store.hpp"
#include "relance/types.h"

namespace relance::plugin_host {

class DatasetView {
 public:
  // `record_columns`: the columns every record has (id, created_at, updated_at) come first
  // and last; false for a table that is no record's (a report's: exports/table_export.hpp).
  explicit DatasetView(const storage::Entity& e, std::vector<ExtraColumn> extra = {}, bool record_columns = true);
  DatasetView(const DatasetView&) = delete;
  DatasetView& operator=(const DatasetView&) = delete;

  const storage::Entity& entity() const { return entity_; }
  const relance_dataset& dataset() const { return dataset_; }
  // `row` as values aligned with the dataset's columns; personal columns are null when
  // `redact`. Strings point into `row`: the result is valid while `row` is unchanged and
  // until the next call.
  // `extra_values` are aligned with the extra columns (nullptr: null).
  const relance_row& convert(const storage::Row& row, bool redact,
                             const std::vector<const std::string*>& extra_values = {});

 private:
  // Where a column's value comes from.
  struct Source {
    enum class From { id, created_at, updated_at, field, extra } from = From::field;
    std::size_t field = 0;     // index in entity.fields
    std::size_t currency = 0;  // money: index of the entity's currency field
    bool has_currency = false;
    std::string_view fixed_currency = {};  // money: the field's own currency (amount_eur)
  };

  const storage::Entity& entity_;
  std::vector<relance_column> columns_;
  std::vector<Source> sources_;
  std::vector<relance_value> values_;
  relance_dataset dataset_{};
  relance_row row_{};
};

// Milliseconds since the epoch of a storage instant ("2026-03-09T17:30:00.000Z"); 0 if bad.
std::int64_t instant_ms(std::string_view text);

}  // namespace relance::plugin_host
