// The SDK's records on the plugin-host protocol (frames.hpp): events, datasets and rows,
// written field by field and read back as the same C structs in the other process.
//
// Thread safety: none needed (values used by one thread).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "plugin_host/frames.hpp"
#include "relance/event_sink.h"

namespace relance::plugin_host {

void write_event(FrameWriter& w, const relance_event& e);
// The event's strings point into the frame being read.
relance_event read_event(FrameReader& r);

void write_dataset(FrameWriter& w, const relance_dataset& d);
void write_row(FrameWriter& w, const relance_row& row);

// A dataset read from a frame, its strings its own.
class WireDataset {
 public:
  void read(FrameReader& r);
  const relance_dataset& dataset() const { return dataset_; }

 private:
  std::string name_;
  std::deque<std::string> names_;  // stable addresses
  std::vector<relance_column> columns_;
  relance_dataset dataset_{};
};

// A row read from a frame: its texts point into the frame (own_texts() copies them).
class WireRow {
 public:
  void read(FrameReader& r);
  // Copies the texts, for a row that outlives its frame (a query's).
  void own_texts();
  const relance_row& row() const { return row_; }

 private:
  std::vector<relance_value> values_;
  std::deque<std::string> texts_;
  relance_row row_{};
};

inline relance_str str_view(std::string_view s) { return relance_str{s.data(), s.size()}; }

}  // namespace relance::plugin_host
