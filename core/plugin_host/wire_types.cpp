#include "plugin_host/wire_types.hpp"

namespace relance::plugin_host {

void write_event(FrameWriter& w, const relance_event& e) {
  w.u32(e.attempt).i64(e.id).i64(e.org_id).i64(e.entity_id);
  w.str(e.type.data, e.type.size).str(e.entity.data, e.entity.size);
  w.str(e.occurred_at.data, e.occurred_at.size).str(e.document.data, e.document.size);
}

relance_event read_event(FrameReader& r) {
  relance_event e{};
  e.struct_size = sizeof(relance_event);
  e.attempt = r.u32();
  e.id = r.i64();
  e.org_id = r.i64();
  e.entity_id = r.i64();
  e.type = str_view(r.str());
  e.entity = str_view(r.str());
  e.occurred_at = str_view(r.str());
  e.document = str_view(r.str());
  return e;
}

void write_dataset(FrameWriter& w, const relance_dataset& d) {
  w.str(d.name.data, d.name.size).u32(static_cast<std::uint32_t>(d.column_count));
  for (std::size_t i = 0; i < d.column_count; ++i) {
    const relance_column* c = relance_column_at(&d, i);
    w.i32(c->kind).u32(c->flags).str(c->name.data, c->name.size);
  }
}

void WireDataset::read(FrameReader& r) {
  name_ = r.str();
  const std::uint32_t n = r.u32();
  names_.clear();
  columns_.clear();
  for (std::uint32_t i = 0; i < n; ++i) {
    relance_column c{};
    c.kind = r.i32();
    c.flags = r.u32();
    c.name = str_view(names_.emplace_back(r.str()));
    columns_.push_back(c);
  }
  dataset_ = relance_dataset{sizeof(relance_dataset), str_view(name_), columns_.size(), sizeof(relance_column),
                             columns_.data()};
}

void write_row(FrameWriter& w, const relance_row& row) {
  w.u32(static_cast<std::uint32_t>(row.count));
  for (std::size_t i = 0; i < row.count; ++i) {
    const relance_value& v = row.values[i];
    w.i32(v.kind).i32(v.scale).i64(v.integer).f64(v.real);
    w.u8(v.text.data ? 1 : 0).str(v.text.data, v.text.size);
  }
}

void WireRow::read(FrameReader& r) {
  const std::uint32_t n = r.u32();
  values_.resize(n);
  texts_.clear();
  for (relance_value& v : values_) {
    v.kind = r.i32();
    v.scale = r.i32();
    v.integer = r.i64();
    v.real = r.f64();
    const bool present = r.u8() != 0;
    const std::string_view t = r.str();
    v.text = present ? str_view(t) : relance_str{nullptr, 0};
  }
  row_ = relance_row{sizeof(relance_row), values_.size(), values_.data()};
}

void WireRow::own_texts() {
  for (relance_value& v : values_)
    if (v.text.data) v.text = str_view(texts_.emplace_back(v.text.data, v.text.size));
}

}  // namespace relance::plugin_host
