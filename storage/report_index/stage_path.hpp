// A lead's path: the stages it has been in, sorted and joined by the unit separator (no
// stage name holds a control character), as report_leads keeps it (migration 14).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace relance::storage {

inline std::vector<std::string> split_stages(const std::string& joined) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at <= joined.size();) {
    const std::size_t end = std::min(joined.find('\x1f', at), joined.size());
    out.push_back(joined.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace relance::storage
