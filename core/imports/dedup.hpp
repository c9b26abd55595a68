// Deduplication of imported contacts: when a row of a file is the same person as a contact
// the organisation already has, or as an earlier row of the same file, and what an update
// of that contact changes.
//
// Same person: the same normalised email (emails are lower-cased by the readers), the same
// E.164 phone, or the same case- and accent-folded first and last name at the same company.
// Same company: domain/company_name.hpp's rule (the normalised name, legal forms left out,
// or the same web domain), so Jane Doe at "Intel" and at "Intel Corporation" is one person.
// A row matches through the first key that hits, in that order.
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

// The organisation's companies as the import links rows to them and the duplicate finder
// compares them: by normalised name (domain::company_name_key) and by web domain
// (domain::company_domain_key of `domain`, else of `website`). Companies sharing either are
// one company, known by the name of the first seen (the oldest, in scan order): the name
// every contact's "same name at" key uses. Held in memory for the run (one scan of the
// companies, then a hash lookup per row): a million-row import costs no query per row.
class CompanyIndex {
 public:
  // Reads the organisation's companies.
  void load(storage::Store& store, std::int64_t org_id);
  // A company of the organisation (or of this import): its name, domain (or website) and id.
  void add(std::string_view name, std::string_view domain, std::int64_t id);
  // The company a name written in a file designates, if the organisation has it.
  std::optional<std::int64_t> find(std::string_view name) const;
  // The name that stands for company `id` and those that are the same company as it.
  std::string name_of(std::int64_t id) const;

 private:
  std::unordered_map<std::string, std::int64_t> by_name_;    // company_name_key -> id
  std::unordered_map<std::string, std::int64_t> by_domain_;  // company_domain_key -> id
  std::unordered_map<std::int64_t, std::string> names_;      // id -> the name it goes by
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

  // Companies of the organisation (see CompanyIndex).
  std::optional<std::int64_t> company(std::string_view name) const { return companies_.find(name); }
  // The name a company written in a file goes by: the organisation's company it designates
  // (CompanyIndex::name_of), else the name as written. A row's keys are made with it. Reads
  // the companies as load() found them: the job's thread calls it while the writer's adds
  // the companies the import creates (which go by their own name).
  std::string company_as_known(std::string_view name) const;
  void add_company(std::string_view name, std::int64_t id) { companies_.add(name, {}, id); }

  std::size_t size() const { return keys_.size(); }

 private:
  detail::KeyTable keys_;
  std::vector<DedupTarget> targets_;
  CompanyIndex companies_;  // the writer's (see company())
  CompanyIndex loaded_;     // the job's: as load() found them
};

// Completes `existing` (a contact as stored) with `incoming` (a row of the file) following
// the rules above, and links `company_id` (0: none) when the contact has no company.
// Returns the indexes of the fields changed, in the schema's order; none when the row brings
// nothing new.
std::vector<std::size_t> complete_contact(storage::Row& existing, storage::Row incoming,
                                          std::int64_t company_id);

}  // namespace relance::imports
