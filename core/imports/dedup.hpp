// Deduplication of imported contacts: when a row of a file is the same person as a contact
// the organisation already has, or as an earlier row of the same file, and what an update
// of that contact changes.
//
// Same person: the same normalised email (emails are lower-cased by the readers), the same
// E.164 phone, or the same case- and accent-folded first and last name at the same
// (folded) company name. A row matches through the first key that hits, in that order.
//
// What an update changes (mode create-or-update or update-only) is the rule a contact merge
// follows too (domain/completing_patch.hpp):
//  - a field the contact has no value for (first_name, last_name, title, city, country,
//    linkedin_url, notes, met_at, met_where, time_zone, and the company link) takes the
//    row's value; a field that has one keeps it, even when the file says otherwise;
//  - emails, phones and tags of the row the contact does not have yet are added after its
//    own, in the file's order, up to the field's limit (20 emails, 20 phones, 50 tags);
//  - nothing is ever removed or overwritten. A duplicate that brings nothing new is left
//    as it is (no new version, no event): re-importing a file changes nothing.
//
// The index of the organisation's existing contacts is built once per import with
// Store::scan (one snapshot, its own connection).
//
// Thread safety: a DedupIndex is used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "imports/key_table.hpp"
#include "relance/storage/store.hpp"

namespace relance::imports {

struct DedupKey {
  char kind = 0;        // 'e' email, 'p' E.164 phone, 'n' name at a company
  std::string text;     // the email, the phone, or "<first>\x1f<last>\x1f<company>" folded
  std::string company;  // 'n': the company as written, for the sentence
  // Why two contacts sharing this key are one: "same email julia@acme.io", "same phone
  // +1650...", "same name at Acme".
  std::string why() const;
};

// The keys of a contact as stored (emails, phones, first_name, last_name) and the name of
// its company.
std::vector<DedupKey> dedup_keys(const storage::Row& contact, std::string_view company);

// What a key points to: an existing contact, or a row of the file (line) which is, once
// written, the contact `contact_id` (0 until then, or in a dry run).
struct DedupTarget {
  std::int64_t contact_id = 0;
  std::size_t line = 0;  // 0: a contact that was in the database before the import
};
using TargetRef = std::uint32_t;

struct DedupMatch {
  TargetRef ref = 0;
  std::size_t key = 0;  // which of the keys matched
};

// Keys are held as hashes (imports/key_table.hpp), targets in one array: about 60 bytes per
// contact or row, so an organisation of a million contacts importing a million rows stays
// far under the daemon's memory budget.
class DedupIndex {
 public:
  // Reads the organisation's contacts and companies (their keys, and company names).
  void load(storage::Store& store, std::int64_t org_id);
  // Room for `rows` more targets and `keys` more keys (the import counts them while it
  // checks the file), so that neither array grows, copying itself, during the import.
  void reserve(std::size_t rows, std::size_t keys);

  // The first of `keys` (in order) that is known.
  std::optional<DedupMatch> find(const std::vector<DedupKey>& keys) const;
  TargetRef add_target(DedupTarget target);
  // Keys not yet known start pointing at `ref` (the first row with a key wins).
  void add(const std::vector<DedupKey>& keys, TargetRef ref);
  const DedupTarget& target(TargetRef ref) const { return targets_[ref]; }
  // Once a row of the file is written as contact `id`.
  void resolve(TargetRef ref, std::int64_t id) { targets_[ref].contact_id = id; }

  // Companies of the organisation by folded name.
  std::optional<std::int64_t> company(std::string_view name) const;
  void add_company(std::string_view name, std::int64_t id);
  std::string company_name(std::int64_t id) const;

  std::size_t size() const { return keys_.size(); }

 private:
  detail::KeyTable keys_;
  std::vector<DedupTarget> targets_;
  std::unordered_map<std::string, std::int64_t> companies_;  // folded name -> id
  std::unordered_map<std::int64_t, std::string> company_names_;
};

// The folded form of a company name used to link and match ("ACME " == "acme").
std::string company_key(std::string_view name);

// Completes `existing` (a contact as stored) with `incoming` (a row of the file) following
// the rules above, and links `company_id` (0: none) when the contact has no company.
// Returns the indexes of the fields changed, in the schema's order; none when the row brings
// nothing new.
std::vector<std::size_t> complete_contact(storage::Row& existing, storage::Row incoming,
                                          std::int64_t company_id);

}  // namespace relance::imports
