// Small tables the reports' index numbers its values with: a Dictionary gives each distinct
// value (a stage, a sector, an organisation id) a dense number, so that a lead or an outcome
// holds numbers and a report counts into arrays; Slots gives each row kept (a lead, an
// outcome) a place, a deleted row's place going to the next row; and the texts the rows'
// keys are compared as.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace relance::storage {

template <class T>
class Dictionary {
 public:
  std::uint32_t id(const T& value) {
    const auto [it, added] = ids_.try_emplace(value, static_cast<std::uint32_t>(values_.size()));
    if (added) values_.push_back(value);
    return it->second;
  }
  std::optional<std::uint32_t> find(const T& value) const {
    const auto it = ids_.find(value);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }
  const T& operator[](std::size_t id) const { return values_[id]; }
  const std::vector<T>& values() const { return values_; }
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<T> values_;
  std::unordered_map<T, std::uint32_t> ids_;
};

class Slots {
 public:
  std::optional<std::uint32_t> find(std::int64_t id) const {
    const auto it = at_.find(id);
    if (it == at_.end()) return std::nullopt;
    return it->second;
  }
  // The slot of `id`: its own, else a freed one, else a new one (size() grows by one).
  std::uint32_t put(std::int64_t id) {
    if (const auto it = at_.find(id); it != at_.end()) return it->second;
    std::uint32_t slot = size_;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      ++size_;
    }
    at_.emplace(id, slot);
    return slot;
  }
  // Frees the slot of `id`, if it has one, and returns it.
  std::optional<std::uint32_t> erase(std::int64_t id) {
    const auto it = at_.find(id);
    if (it == at_.end()) return std::nullopt;
    const std::uint32_t slot = it->second;
    at_.erase(it);
    free_.push_back(slot);
    return slot;
  }
  void clear() {
    at_.clear();
    free_.clear();
    size_ = 0;
  }
  std::uint32_t size() const { return size_; }
  std::size_t count() const { return at_.size(); }  // slots taken

 private:
  std::unordered_map<std::int64_t, std::uint32_t> at_;
  std::vector<std::uint32_t> free_;
  std::uint32_t size_ = 0;
};

// "YYYY-MM-DD" (the first ten characters of an instant too) as days since 1970.
inline std::optional<std::int32_t> day_number(const std::string& text) {
  namespace chr = std::chrono;
  unsigned y = 0, m = 0, d = 0;
  if (text.size() < 10 || std::sscanf(text.c_str(), "%4u-%2u-%2u", &y, &m, &d) != 3 || text[4] != '-' ||
      text[7] != '-')
    return std::nullopt;
  const chr::year_month_day ymd{chr::year(static_cast<int>(y)), chr::month(m), chr::day(d)};
  if (!ymd.ok() || (text.size() > 10 && text[10] != 'T')) return std::nullopt;
  return static_cast<std::int32_t>(chr::sys_days(ymd).time_since_epoch().count());
}

// SQLite's lower() and NOCASE without ICU: ASCII letters only, as sectors are compared.
inline std::string fold_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace relance::storage
