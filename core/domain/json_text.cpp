#include "domain/json_text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <charconv>

namespace relance::domain {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

void append_json_int(std::string& out, std::int64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

std::vector<std::string> read_text_list(std::string_view stored) {
  std::vector<std::string> out;
  if (stored.empty()) return out;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(stored, ec);
  if (ec || !v.is_array()) return out;
  out.reserve(v.get_array().size());
  for (const auto& item : v.get_array())
    if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

std::vector<std::string> row_list(const storage::Row& row, const storage::Entity& e, std::string_view field) {
  const std::string* stored = row.text(e, field);
  return stored ? read_text_list(*stored) : std::vector<std::string>{};
}

}  // namespace relance::domain
