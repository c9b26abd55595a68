#include "domain/row_snapshot.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace relance::domain {
namespace json = boost::json;

namespace {

json::value cell_json(const storage::Value& v) {
  return std::visit(
      [](const auto& x) -> json::value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, storage::Null>) return nullptr;
        else if constexpr (std::is_same_v<T, std::string>) return json::string(x);
        else return x;
      },
      v);
}

storage::Value cell_of(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_double()) return v.get_double();
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return storage::Null{};
  throw std::runtime_error("a row snapshot holds a cell that is no stored value");
}

}  // namespace

std::string row_snapshot(const storage::Entity& e, const storage::Row& row) {
  json::object cells;
  for (std::size_t i = 0; i < e.fields.size() && i < row.values.size(); ++i)
    cells[e.fields[i].name] = cell_json(row.values[i]);
  return json::serialize(json::object{{"id", row.id},
                                      {"org_id", row.org_id},
                                      {"version", row.version},
                                      {"created_at", row.created_at},
                                      {"updated_at", row.updated_at},
                                      {"created_by", row.created_by},
                                      {"updated_by", row.updated_by},
                                      {"cells", std::move(cells)}});
}

storage::Row row_from_snapshot(const storage::Entity& e, std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object() || !v.as_object().contains("cells") || !v.at("cells").is_object())
    throw std::runtime_error("not a row snapshot");
  const json::object& o = v.as_object();
  storage::Row row;
  try {
    row.id = o.at("id").as_int64();
    row.org_id = o.at("org_id").as_int64();
    row.version = o.at("version").as_int64();
    row.created_at = std::string(o.at("created_at").as_string());
    row.updated_at = std::string(o.at("updated_at").as_string());
    row.created_by = o.at("created_by").as_int64();
    row.updated_by = o.at("updated_by").as_int64();
  } catch (const std::exception&) {
    throw std::runtime_error("a row snapshot lacks its server-kept columns");
  }
  row.values.resize(e.fields.size());
  const json::object& cells = o.at("cells").as_object();
  for (std::size_t i = 0; i < e.fields.size(); ++i)
    if (auto it = cells.find(e.fields[i].name); it != cells.end()) row.values[i] = cell_of(it->value());
  return row;
}

}  // namespace relance::domain
