#include "relance/model/row.hpp"

#include <stdexcept>
#include <utility>

namespace relance::storage {

const Value& Row::get(const Entity& e, std::string_view field) const {
  static const Value null_value;
  const auto i = e.index_of(field);
  return i && *i < values.size() ? values[*i] : null_value;
}

const std::string* Row::text(const Entity& e, std::string_view field) const {
  return std::get_if<std::string>(&get(e, field));
}

std::optional<std::int64_t> Row::integer(const Entity& e, std::string_view field) const {
  const auto* v = std::get_if<std::int64_t>(&get(e, field));
  return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

void Row::set(const Entity& e, std::string_view field, Value v) {
  const auto i = e.index_of(field);
  if (!i) throw std::invalid_argument("no field " + std::string(field));
  values.resize(e.fields.size());
  values[*i] = std::move(v);
}

}  // namespace relance::storage
