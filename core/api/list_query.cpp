#include "api/list_query.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <optional>

#include "domain/problem.hpp"
#include "domain/text.hpp"

namespace relance::api {
namespace json = boost::json;

namespace {

// A cursor: the page's order (so that it cannot be used with another) and where it ended,
// as base64url JSON [sort, descending, sort value, id].
struct Cursor {
  std::string sort;
  bool descending = false;
  services::ListPosition end;
};

std::string encode_cursor(const Cursor& c) {
  json::array a{json::string(c.sort), c.descending, nullptr, c.end.id};
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (!std::is_same_v<T, storage::Null>) a[2] = v;
      },
      c.end.sort_value);
  return domain::base64url_encode(json::serialize(a));
}

Cursor decode_cursor(const std::string& text) {
  auto raw = domain::base64url_decode(text);
  boost::system::error_code ec;
  json::value v = raw ? json::parse(*raw, ec) : json::value();
  if (!raw || ec || !v.is_array() || v.get_array().size() != 4 || !v.get_array()[0].is_string() ||
      !v.get_array()[1].is_bool() || !v.get_array()[3].is_int64())
    throw Problem::bad_request("cursor is not one this server gave", "cursor");
  const json::array& a = v.get_array();
  Cursor c{std::string(a[0].get_string()), a[1].get_bool(), {storage::Null{}, a[3].get_int64()}};
  if (a[2].is_int64()) c.end.sort_value = a[2].get_int64();
  else if (a[2].is_double()) c.end.sort_value = a[2].get_double();
  else if (a[2].is_string()) c.end.sort_value = std::string(a[2].get_string());
  return c;
}

}  // namespace

services::ListRequest parse_list_request(const storage::Entity& e, const QueryParams& query) {
  services::ListRequest r;
  std::optional<Cursor> cursor;
  for (const auto& [key, raw] : query) {
    if (key == "q") {
      r.search = domain::list_search(e, raw);
    } else if (key == "limit") {
      r.limit = domain::parse_limit(key, raw);
    } else if (key == "sort") {
      const bool descending = !raw.empty() && raw[0] == '-';
      const std::string name = descending ? raw.substr(1) : raw;
      const auto sort = domain::list_sort(e, name);
      if (!sort) throw Problem::bad_request("cannot sort " + std::string(e.name) + " by " + name, key);
      r.sort = *sort;
      r.descending = descending;
    } else if (key == "cursor") {
      cursor = decode_cursor(raw);
    } else if (auto condition = domain::list_condition(e, key, raw)) {
      r.conditions.push_back(std::move(*condition));
    } else {
      throw Problem::bad_request("unknown query parameter " + key, key);
    }
  }
  if (cursor) {
    if (cursor->sort != r.sort || cursor->descending != r.descending)
      throw Problem::bad_request("cursor belongs to another sort order", "cursor");
    r.after = std::move(cursor->end);
  }
  return r;
}

std::string next_cursor(const services::ListRequest& request, const services::ListPosition& end) {
  return encode_cursor(Cursor{std::string(request.sort), request.descending, end});
}

bool read_id_paging(services::IdPaging& paging, const std::string& key, const std::string& value) {
  if (key == "cursor") {
    const auto n = domain::parse_int64(value);
    if (!n || *n < 1) throw Problem::bad_request("cursor is not one this server gave", "cursor");
    paging.before_id = *n;
    return true;
  }
  if (key == "limit") {
    paging.limit = domain::parse_limit(key, value);
    return true;
  }
  return false;
}

}  // namespace relance::api
