#include "cli/merge_commands.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/record_commands.hpp"
#include "cli/record_output.hpp"
#include "cli/table.hpp"
#include "cli/user_profile.hpp"
#include "cli/when.hpp"

namespace relance::cli {
namespace json = boost::json;

namespace {

const std::string merges_path = "/api/v1/contact-merges";

// "leads 4, 5; activities 7" for a merge's `moved` (or an undo's `moved_back`, `left`), the
// rows' names in the user's language.
std::string rows_text(const json::value& groups) {
  std::string out;
  if (!groups.is_array()) return out;
  for (const auto& g : groups.as_array()) {
    std::string ids;
    for (const auto& id : g.at("ids").as_array()) ids += (ids.empty() ? "" : ", ") + json::serialize(id);
    out += (out.empty() ? "" : "; ") + say_word("cli.rows.", g.at("entity").as_string()) + " " + ids;
  }
  return out;
}

// "emails, title" for a list of field names.
std::string names_text(const json::value& names) {
  std::string out;
  if (!names.is_array()) return out;
  for (const auto& n : names.as_array()) out += (out.empty() ? "" : ", ") + std::string(n.as_string());
  return out;
}

// An indented line when `text` says something.
void line(const std::string& label, const std::string& text) {
  if (!text.empty()) std::cout << say("cli.merge.line", {label, text}) << "\n";
}

std::string id_text(const json::value& merge, const char* field) { return json::serialize(merge.at(field)); }

// "12 Ana Lima": a contact of the merge, by id and name.
std::string contact_text(const json::value& contact) {
  std::string name;
  for (const char* f : {"first_name", "last_name"})
    if (const auto* v = contact.as_object().if_contains(f); v && v->is_string() && !v->as_string().empty())
      name += " " + std::string(v->as_string());
  return json::serialize(contact.at("id")) + name;
}

void print_merge(const json::value& m) {
  const std::string survivor = id_text(m, "survivor_id"), merge = id_text(m, "id");
  std::cout << say("cli.merge.merged", {id_text(m, "duplicate_id"), survivor, merge}) << "\n";
  line(say("cli.merge.filled_in"), names_text(m.at("fields")));
  line(say("cli.merge.moved_to", {survivor}), rows_text(m.at("moved")));
  std::cout << say("cli.merge.undo_hint", {merge}) << "\n";
}

void print_undo(const json::value& m) {
  const std::string survivor = id_text(m, "survivor_id"), duplicate = id_text(m, "duplicate_id");
  const json::value& r = m.at("undo_result");
  std::cout << say("cli.merge.undone", {id_text(m, "id"), duplicate}) << "\n";
  line(say("cli.merge.moved_back", {duplicate}), rows_text(r.at("moved_back")));
  line(say("cli.merge.restored", {survivor}), names_text(r.at("restored_fields")));
  line(say("cli.merge.kept"), names_text(r.at("kept_fields")));
  line(say("cli.merge.left", {survivor}), rows_text(r.at("left")));
}

void print_merges(const json::value& page) {
  std::vector<TableRow> rows;
  for (const auto& m : page.at("items").as_array()) {
    const json::value& undone = m.at("undone_at");
    rows.push_back({id_text(m, "id"), contact_text(m.at("survivor_after")), contact_text(m.at("duplicate")),
                    local_time(m.at("merged_at").as_string()),
                    undone.is_string() ? local_time(undone.as_string()) : std::string()});
  }
  std::cout << render_table({say("cli.column.merge"), say("cli.column.contact"), say("cli.column.merged_from"),
                             say("cli.column.merged_at"), say("cli.column.undone_at")},
                            rows);
  if (page.at("next_cursor").is_string())
    std::cerr << say("cli.list.more_cursor", {page.at("next_cursor").as_string()}) << "\n";
}

// Each group of duplicates: its contacts, why they are one, and the merges that join them.
void print_duplicates(const json::value& doc) {
  const json::array& groups = doc.at("groups").as_array();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const json::value& g = groups[i];
    std::cout << (i ? "\n" : "") << say("cli.duplicates.group", {std::to_string(i + 1), names_text(g.at("reasons"))})
              << "\n";
    for (const auto& c : g.at("contacts").as_array()) std::cout << "  " << contact_text(c) << "\n";
    const json::array& ids = g.at("contact_ids").as_array();
    for (std::size_t k = 1; k < ids.size(); ++k)
      std::cout << "  " << say("cli.duplicates.merge_hint", {json::serialize(ids[0]), json::serialize(ids[k])}) << "\n";
  }
  const auto total = doc.at("groups_total").to_number<std::int64_t>();
  const char* sentence = total == 0   ? "cli.duplicates.total.none"
                         : total == 1 ? "cli.duplicates.total.one"
                                      : "cli.duplicates.total.other";
  const std::string scanned = std::to_string(doc.at("contacts_scanned").to_number<std::int64_t>());
  std::cout << (groups.empty() ? "" : "\n") << say(sentence, {std::to_string(total), scanned});
  if (static_cast<std::int64_t>(groups.size()) < total)
    std::cout << " " << say("cli.duplicates.shown", {std::to_string(groups.size())});
  std::cout << "\n";
}

}  // namespace

void add_merge_commands(CLI::App& contact_group, std::function<int()>& run) {
  struct Merge {
    std::int64_t id = 0, duplicate = 0;
    bool as_json = false;
  };
  auto m = std::make_shared<Merge>();
  CLI::App* merge = contact_group.add_subcommand(
      "merge", "Merge a duplicate into a contact: the contact keeps its values and takes those it lacks, emails, "
               "phones and tags are joined, the duplicate's leads, activities and follow-ups move to it, and the "
               "duplicate is deleted (undo with unmerge)");
  merge->add_option("id", m->id, "The contact that stays")->required();
  merge->add_option("duplicate_id", m->duplicate, "The contact merged into it, then deleted")->required();
  add_json_flag(merge, m->as_json);
  runs(merge, run, [m] {
    ApiClient api(resolve_endpoint());
    const json::value merged = api.call("POST", "/api/v1/contacts/" + std::to_string(m->id) + "/merge",
                                        json::serialize(json::object{{"duplicate_id", m->duplicate}}))
                                   .json();
    if (m->as_json) print_json(merged);
    else print_merge(merged);
    return int(ok);
  });

  struct Unmerge {
    std::int64_t id = 0;
    bool as_json = false;
  };
  auto u = std::make_shared<Unmerge>();
  CLI::App* unmerge = contact_group.add_subcommand(
      "unmerge", "Undo a merge: the duplicate comes back as it was with what the merge moved, and the contact's "
                 "fields the merge changed get their values back (fields changed since are kept)");
  unmerge->add_option("merge_id", u->id, "The merge's id (shown by merge, listed by merges)")->required();
  add_json_flag(unmerge, u->as_json);
  runs(unmerge, run, [u] {
    ApiClient api(resolve_endpoint());
    const json::value undone = api.call("POST", merges_path + "/" + std::to_string(u->id) + "/undo").json();
    if (u->as_json) print_json(undone);
    else print_undo(undone);
    return int(ok);
  });

  struct List {
    std::int64_t survivor = 0, duplicate = 0, cursor = 0;  // 0: not given
    bool as_json = false;
  };
  auto l = std::make_shared<List>();
  CLI::App* list = contact_group.add_subcommand("merges", "List the organisation's contact merges, newest first");
  list->add_option("--survivor-id", l->survivor, "Only merges into this contact");
  list->add_option("--duplicate-id", l->duplicate, "Only merges of this contact into another");
  list->add_option("--cursor", l->cursor, "Start at this next_cursor of an earlier page");
  add_json_flag(list, l->as_json);
  runs(list, run, [l] {
    std::string query;
    for (const auto& [name, value] : {std::pair{"survivor_id", &l->survivor}, std::pair{"duplicate_id", &l->duplicate},
                                      std::pair{"cursor", &l->cursor}})
      if (*value != 0) query += (query.empty() ? "?" : "&") + std::string(name) + "=" + std::to_string(*value);
    ApiClient api(resolve_endpoint());
    const json::value page = api.call("GET", merges_path + query).json();
    if (l->as_json) print_json(page);
    else print_merges(page);
    return int(ok);
  });

  struct Duplicates {
    int limit = 100;
    bool as_json = false;
  };
  auto d = std::make_shared<Duplicates>();
  CLI::App* duplicates = contact_group.add_subcommand(
      "duplicates", "Find the organisation's contacts that are one person (same email, same phone, or same name "
                    "at the same company), in groups, with the merge commands that join them");
  duplicates->add_option("--limit", d->limit, "Groups shown, 1 to 1000")->check(CLI::Range(1, 1000));
  add_json_flag(duplicates, d->as_json);
  runs(duplicates, run, [d] {
    ApiClient api(resolve_endpoint());
    const json::value doc = api.call("GET", "/api/v1/contact-duplicates?limit=" + std::to_string(d->limit)).json();
    if (d->as_json) print_json(doc);
    else print_duplicates(doc);
    return int(ok);
  });
}

}  // namespace relance::cli
