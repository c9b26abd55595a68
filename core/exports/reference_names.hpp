// ReferenceNames: the names an export shows beside a dataset's ids, so that a file reads
// without a second one to look ids up in: company_name beside company_id, contact_name,
// owner_name (and assignee_name, author_name), lead_title, source_event_name (event_name
// for an outcome's event), and for region staff, whose files mix start-ups, the
// organisation's name after the row's id.
//
// The names are looked up a batch of rows at a time, one read per referenced dataset (a
// Filter::Op::one_of of the batch's ids), never one per row. They obey the reader's rules:
// a row the caller may not read gives no name, and a contact's name is personal (hidden
// where the contact's personal fields are; docs/architecture.md, "Tenancy and privacy").
//
// Thread safety: one instance per export, used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/principal.hpp"
#include "plugin_host/datasets.hpp"
#include "relance/storage/store.hpp"
#include "services/record_service.hpp"

namespace relance::exports {

class ReferenceNames {
 public:
  ReferenceNames(storage::Store& store, const services::RecordService& records, const auth::Principal& p,
                 const storage::Entity& dataset);
  // columns() point into the instance.
  ReferenceNames(const ReferenceNames&) = delete;
  ReferenceNames& operator=(const ReferenceNames&) = delete;

  // The name columns of the dataset, each placed after the id it names.
  const std::vector<plugin_host::ExtraColumn>& columns() const { return columns_; }

  // Reads the names of every id `rows` refer to. Only the batch's names are kept, so that
  // memory stays flat whatever the size of the export.
  void look_up(std::span<const storage::Row> rows);
  // The names of `row`, aligned with columns() (nullptr: no id, or no name the caller may
  // see), after look_up of a batch that held it. Valid until the next look_up.
  void names_of(const storage::Row& row, std::vector<const std::string*>& out) const;

 private:
  // A referenced dataset, and the names of its rows read so far.
  struct Target {
    const storage::Entity* entity;
    storage::Scope scope;
    std::vector<std::string_view> fields;  // the fields of its name, joined by a space
    std::unordered_map<std::int64_t, std::string> names;  // of the batch; empty: none to show
  };
  // A name column: the field holding the id (none: the row's organisation) and its target.
  struct Source {
    std::size_t field;
    bool organisation;
    std::size_t target;
  };

  std::size_t target_of(const storage::Entity& e, std::vector<std::string_view> fields, storage::Scope scope);
  std::string name_of(const Target& t, const storage::Row& row) const;
  std::optional<std::int64_t> id_in(const storage::Row& row, const Source& s) const;

  storage::Store& store_;
  const services::RecordService& records_;
  const auth::Principal p_;
  const storage::Entity& dataset_;
  std::vector<plugin_host::ExtraColumn> columns_;
  std::vector<std::string> column_names_;  // the storage of columns_' names
  std::vector<Source> sources_;
  std::vector<Target> targets_;
};

}  // namespace relance::exports
