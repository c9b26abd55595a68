#include "demo/pipeline.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "demo/bulk_writer.hpp"
#include "services/record_service.hpp"

namespace relance::demo {
namespace json = boost::json;
namespace ent = storage::entities;
namespace chr = std::chrono;
using sv = std::string_view;

namespace {

// Records per transaction: large enough that a commit's fsync costs little per record,
// small enough that a batch is checked while the one before is written.
constexpr std::size_t contacts_per_batch = 10000;
constexpr std::size_t leads_per_batch = 2500;  // a lead's step writes its whole history

constexpr std::array<sv, 6> stages{"new", "contacted", "meeting", "proposal", "won", "lost"};
constexpr int won = 4, lost = 5;

struct Company {
  std::int64_t id = 0;  // set by the writer
  std::string name, domain;
  sv kind;
  bool american = true;
};

// A contact that a lead will be about, kept from the contacts' pass to the leads'.
struct LeadSeed {
  std::int64_t contact_id = 0;  // set by the writer
  std::size_t company = 0;
  Instant met_at;
  std::int64_t source_event = 0;
  std::string first_name;
};

struct Lead {
  std::int64_t id = 0;  // set by the writer
  std::size_t seed = 0;
  std::size_t owner = 0;  // index in members
  Instant created;
  int stage = 0;          // where it ends
  bool outcome = false;
};

struct StartupRecords {
  std::vector<Company> companies;
  std::vector<LeadSeed> seeds;
  std::vector<Lead> leads;
};

Instant before_now(const Calendar& c, Instant t, chr::minutes margin = chr::minutes(1)) {
  return std::min(t, c.now - margin);
}

std::string money(std::int64_t units) { return std::to_string(units) + ".00"; }

// The service's own steps inside the batch: a new record, its id kept where asked.
BulkWriter::Step insert_step(const auth::Principal& p, const storage::Entity& e, storage::Row row,
                             std::int64_t* id = nullptr) {
  return [p, &e, row = std::move(row), id](storage::WriteTxn& tx, const BulkWriter::At&) mutable {
    services::insert_record(tx, p, e, row);
    if (id) *id = row.id;
  };
}

void update(storage::WriteTxn& tx, const auth::Principal& p, const services::OrgSettings& org,
            const storage::Entity& e, std::int64_t id, json::object fields) {
  const services::WriteOutcome o =
      services::update_record(tx, p, org, services::UpdateRecord{e, id, std::move(fields), std::nullopt},
                              storage::Scope::org(p.org_id));
  if (o.kind != services::WriteOutcome::Kind::updated)
    throw std::runtime_error("demo: the update of " + std::string(e.singular) + " " + std::to_string(id) +
                             " was refused: " + o.detail);
}

class Writer {
 public:
  Writer(storage::Store& store, events::FixedClock& clock, const Calendar& calendar, const RegionEvents& region,
         std::vector<Startup>& startups, const Random& random, const Progress& progress)
      : store_(store), clock_(clock), cal_(calendar), region_(region), startups_(startups), random_(random),
        progress_(progress), records_(startups.size()) {}

  Counts run() {
    std::size_t contacts = 0, leads = 0;
    for (const Startup& s : startups_) {
      contacts += static_cast<std::size_t>(s.contacts);
      leads += static_cast<std::size_t>(s.leads);
    }
    phase("companies", 0, [&](std::size_t i, BulkWriter& w) { companies(i, w); }, contacts_per_batch);
    phase("contacts", contacts, [&](std::size_t i, BulkWriter& w) { contacts_of(i, w); }, contacts_per_batch);
    phase("leads", leads, [&](std::size_t i, BulkWriter& w) { leads_of(i, w); }, contacts_per_batch);
    phase("lead histories", leads, [&](std::size_t i, BulkWriter& w) { histories(i, w); }, leads_per_batch);
    return counts_;
  }

 private:
  template <class Fill>
  void phase(const char* name, std::size_t expected, Fill fill, std::size_t batch) {
    const auto started = chr::steady_clock::now();
    BulkWriter w(store_, clock_, batch, progress_, name, expected);
    for (std::size_t i = 0; i < startups_.size(); ++i) fill(i, w);
    w.finish();
    char took[32];
    std::snprintf(took, sizeof took, "%.1f", chr::duration<double>(chr::steady_clock::now() - started).count());
    if (progress_) progress_(std::string(name) + ": " + std::to_string(w.written()) + " written in " + took + " s");
  }

  Random rng(std::size_t startup, std::uint64_t part) const { return random_.fork(startup * 16 + part); }

  void companies(std::size_t i, BulkWriter& w) {
    Startup& s = startups_[i];
    Random r = rng(i, 1);
    auto& out = records_[i].companies;
    for (const PartnerProfile& partner : partners())
      if (r.chance(50)) out.push_back(Company{0, std::string(partner.name), domain_of(partner.name), partner.kind, true});
    const std::int64_t customers = std::max<std::int64_t>(3, s.contacts / 12);
    for (std::int64_t n = 0; n < customers; ++n) {
      const std::string name = customer_company(r);
      out.push_back(Company{0, name, domain_of(name), "customer", r.chance(70)});
    }
    const auth::Principal& founder = s.members.front().principal;
    const std::string tag = "sv-" + std::to_string(cal_.year);
    for (Company& c : out) {
      json::object f{{"name", c.name}, {"domain", c.domain}, {"kind", c.kind}, {"country", c.american ? "US" : "FR"},
                     {"website", "https://www." + c.domain + "/"}};
      f["sector"] = c.kind == "customer" ? customer_sector(r) : sv(partner_sector(c.name));
      if (c.kind != "customer") f["tags"] = json::array{tag};
      const Instant at = cal_.accounts_opened + chr::minutes(r.between(60, 60 * 24 * 200));
      w.add(before_now(cal_, at), insert_step(founder, ent::companies,
                                             services::new_record(founder, *s.org, ent::companies, f), &c.id));
    }
    counts_.companies += static_cast<std::int64_t>(out.size());
  }

  static sv partner_sector(const std::string& name) {
    for (const PartnerProfile& p : partners())
      if (p.name == name) return p.sector;
    return "other";
  }

  // Where and when a contact was met.
  void meeting_place(Random& r, const Startup& s, json::object& f, Instant& met_at, std::int64_t& event) {
    const int roll = static_cast<int>(r.between(0, 99));
    if (roll < 65) {
      event = region_.mission;
      met_at = pacific(cal_.mission_first + chr::days{r.between(0, 4)}, static_cast<int>(r.between(8 * 60, 19 * 60)));
      f["met_where"] = r.chance(50) ? "Stand de la région, San Francisco" : "Demo day, Palo Alto";
    } else if (roll < 77) {
      event = region_.fair;
      met_at = Instant(cal_.fair_first + chr::days{r.between(0, 2)}) + chr::minutes(r.between(8 * 60, 17 * 60));
      f["met_where"] = "Salon Alpes Innovation, Lyon";
    } else if (roll < 82) {
      event = region_.conference;
      met_at = Instant(cal_.conference_first + chr::days{r.between(0, 2)}) +
               chr::minutes(r.between(13 * 60, 22 * 60));
      f["met_where"] = "Digital Health Summit, Boston";
    } else if (roll < 85 && s.private_event) {
      event = s.private_event;
      met_at = Instant(s.private_event_day) + chr::minutes(r.between(14 * 60, 20 * 60));
      f["met_where"] = "Démo client";
    } else {
      event = 0;
      met_at = before_now(cal_, cal_.accounts_opened + chr::hours(r.between(24, 24 * 300)), chr::hours(24));
      f["met_where"] = r.chance(50) ? "Visioconférence" : "Introduction par un investisseur";
    }
    if (event) f["source_event_id"] = event;
    f["met_at"] = instant_text(met_at);
  }

  void contacts_of(std::size_t i, BulkWriter& w) {
    Startup& s = startups_[i];
    StartupRecords& rec = records_[i];
    Random r = rng(i, 2);
    rec.seeds.resize(static_cast<std::size_t>(s.leads));
    std::int64_t next_lead = 0;
    const std::string tag = "sv-" + std::to_string(cal_.year);
    for (std::int64_t n = 0; n < s.contacts; ++n) {
      const std::size_t ci = static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(rec.companies.size()) - 1));
      const Company& company = rec.companies[ci];
      const Person who = person(r, company.american);
      const Place place = company.american ? bay_area_place(r) : french_place(r);
      json::object f{{"first_name", who.first_name},
                     {"last_name", who.last_name},
                     {"emails", json::array{email_local_part(who) + "@" + company.domain}},
                     {"company_id", company.id},
                     {"title", job_title(r, company.kind)},
                     {"city", place.city},
                     {"country", place.country},
                     {"time_zone", place.time_zone}};
      if (r.chance(60)) f["phones"] = json::array{phone(r, company.american)};
      if (r.chance(30)) f["notes"] = contact_note(r);
      Instant met_at;
      std::int64_t event = 0;
      meeting_place(r, s, f, met_at, event);
      if (event == region_.mission) f["tags"] = json::array{tag};
      if (r.chance(40)) {
        f["lawful_basis"] = "consent";
        f["consent_at"] = instant_text(met_at);
        f["consent_note"] = "Carte de visite donnée, accord oral pour être recontacté";
      } else {
        f["lawful_basis"] = "legitimate-interest";
      }
      const Member& by = s.members[static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(s.members.size()) - 1))];
      // Lead k is about contact k * contacts / leads: the leads spread over the contacts.
      std::int64_t* id = nullptr;
      if (next_lead < s.leads && n == next_lead * s.contacts / s.leads) {
        LeadSeed& seed = rec.seeds[static_cast<std::size_t>(next_lead++)];
        seed.company = ci;
        seed.met_at = met_at;
        seed.source_event = event;
        seed.first_name = who.first_name;
        id = &seed.contact_id;
      }
      const Instant at = before_now(cal_, met_at + chr::minutes(r.between(10, 600)));
      w.add(at, insert_step(by.principal, ent::contacts, services::new_record(by.principal, *s.org, ent::contacts, f), id));
    }
    counts_.contacts += s.contacts;
  }

  std::string lead_title(Random& r, const Company& c) {
    if (c.kind == "vc-fund") return r.chance(50) ? "Levée de fonds — " + c.name : "Seed round with " + c.name;
    if (c.kind == "accelerator") return "Programme d'accélération " + c.name;
    if (c.kind == "university") return "Collaboration R&D avec " + c.name;
    if (c.kind == "corporate") return r.chance(50) ? "Pilote avec " + c.name : "Partnership with " + c.name + " 🤝";
    if (c.kind == "customer") return r.chance(50) ? "Contrat " + c.name : "Déploiement chez " + c.name;
    return "Implantation US avec " + c.name + " 🇺🇸";
  }

  int final_stage(Random& r) {
    const int roll = static_cast<int>(r.between(0, 99));
    return roll < 22 ? 0 : roll < 44 ? 1 : roll < 63 ? 2 : roll < 78 ? 3 : lost;
  }

  void leads_of(std::size_t i, BulkWriter& w) {
    Startup& s = startups_[i];
    StartupRecords& rec = records_[i];
    Random r = rng(i, 3);
    rec.leads.resize(static_cast<std::size_t>(s.leads));
    // Every outcome comes of a won lead; a tenth of the leads are won at least.
    const std::int64_t won_leads = std::min(s.leads, std::max(s.outcomes, (s.leads + 5) / 10));
    const std::string tag = "sv-" + std::to_string(cal_.year);
    for (std::size_t k = 0; k < rec.leads.size(); ++k) {
      Lead& lead = rec.leads[k];
      const LeadSeed& seed = rec.seeds[k];
      const Company& company = rec.companies[seed.company];
      // Won leads are spread over the list (every `step`-th), the others drawn.
      const bool is_won = won_leads > 0 && static_cast<std::int64_t>(k) * won_leads % s.leads < won_leads;
      lead.seed = k;
      lead.stage = is_won ? won : final_stage(r);
      lead.owner = static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(s.members.size()) - 1));
      lead.created = before_now(cal_, seed.met_at + chr::minutes(r.between(60, 48 * 60)), chr::hours(2));
      json::object f{{"title", lead_title(r, company)},
                     {"contact_id", seed.contact_id},
                     {"company_id", company.id},
                     {"owner_id", s.members[lead.owner].principal.user_id},
                     {"stage", stages[0]},
                     {"shared_with_region", r.chance(is_won ? 60 : 40)}};
      if (r.chance(70)) {
        const bool big = company.kind == "vc-fund";
        f["value"] = money(big ? r.between(250, 3000) * 1000 : r.between(10, 500) * 1000);
        f["currency"] = r.chance(60) ? "USD" : "EUR";
        f["expected_close"] = date_text(chr::floor<chr::days>(lead.created) + chr::days{r.between(30, 180)});
      }
      if (seed.source_event) f["source_event_id"] = seed.source_event;
      if (seed.source_event == region_.mission) f["tags"] = json::array{tag};
      if (r.chance(30)) f["notes"] = lead_note(r);
      const auth::Principal& p = s.members[lead.owner].principal;
      w.add(lead.created, insert_step(p, ent::leads, services::new_record(p, *s.org, ent::leads, f), &lead.id));
    }
    // The outcomes go to the first won leads.
    std::int64_t left = s.outcomes;
    for (Lead& lead : rec.leads)
      if (left > 0 && lead.stage == won) {
        lead.outcome = true;
        --left;
      }
    counts_.leads += s.leads;
  }

  // One thing that happens to a lead, at its instant: the history is written in time order.
  struct Happening {
    Instant at;
    std::function<void(storage::WriteTxn&)> write;
  };

  std::vector<Happening> stage_moves(Random& r, const Startup& s, const Lead& lead, const auth::Principal& p,
                                     Instant& won_at) {
    std::vector<int> path;
    if (lead.stage == lost) {
      const int reached = static_cast<int>(r.between(0, 3));
      for (int k = 1; k <= reached; ++k) path.push_back(k);
      path.push_back(lost);
    } else {
      for (int k = 1; k <= lead.stage; ++k) path.push_back(k);
    }
    // Days to weeks between moves; squeezed when the mission is recent.
    std::vector<chr::minutes> gaps;
    chr::minutes total{0};
    for (std::size_t k = 0; k < path.size(); ++k) {
      gaps.push_back(chr::minutes(r.between(1 * 24 * 60, 21 * 24 * 60)));
      total += gaps.back();
    }
    const auto room = chr::duration_cast<chr::minutes>(cal_.now - chr::hours(1) - lead.created);
    std::vector<Happening> out;
    Instant t = lead.created;
    for (std::size_t k = 0; k < path.size(); ++k) {
      auto gap = gaps[k];
      if (total > room) gap = chr::minutes(std::max<std::int64_t>(1, gap.count() * room.count() / total.count()));
      t += gap;
      const sv stage = stages[static_cast<std::size_t>(path[k])];
      if (path[k] == won) won_at = t;
      out.push_back({t, [p, org = s.org, id = lead.id, stage](storage::WriteTxn& tx) {
                       update(tx, p, *org, ent::leads, id, json::object{{"stage", stage}});
                     }});
    }
    counts_.stage_changes += static_cast<std::int64_t>(path.size());
    return out;
  }

  void activity(std::vector<Happening>& out, const Startup& s, const auth::Principal& p, const Lead& lead,
                const LeadSeed& seed, sv kind, std::string subject, Instant occurred, Instant logged,
                std::string_view notes = {}) {
    if (occurred >= cal_.now) return;
    json::object f{{"kind", kind},
                   {"subject", std::move(subject)},
                   {"occurred_at", instant_text(occurred)},
                   {"lead_id", lead.id},
                   {"contact_id", seed.contact_id}};
    if (!notes.empty()) f["notes"] = notes;
    out.push_back({before_now(cal_, std::max(logged, lead.created)),
                   [p, row = services::new_record(p, *s.org, ent::activities, f)](storage::WriteTxn& tx) mutable {
                     services::insert_record(tx, p, ent::activities, row);
                   }});
    ++counts_.activities;
  }

  void activities(Random& r, std::vector<Happening>& out, const Startup& s, const auth::Principal& p,
                  const Lead& lead, const LeadSeed& seed) {
    const Company& company = records_[static_cast<std::size_t>(&s - startups_.data())].companies[seed.company];
    Instant ref = Instant(cal_.mission_last + chr::days{1});
    if (seed.source_event && r.chance(75)) {
      ref = seed.met_at;
      activity(out, s, p, lead, seed, "meeting", "Rencontre avec " + seed.first_name + " (" + company.name + ")",
               seed.met_at, lead.created + chr::minutes(5), r.chance(50) ? activity_note(r) : sv{});
    }
    if (!seed.source_event) ref = lead.created;
    // The first follow-up after the meeting: most within three days, some within the week,
    // some later, some never (the discipline report tells them apart).
    const int roll = static_cast<int>(r.between(0, 99));
    chr::minutes delay{-1};
    if (roll < 45) delay = chr::minutes(r.between(6 * 60, 70 * 60));
    else if (roll < 70) delay = chr::minutes(r.between(73 * 60, 160 * 60));
    else if (roll < 85) delay = chr::minutes(r.between(8 * 24 * 60, 30 * 24 * 60));
    if (delay.count() > 0) {
      const Instant at = ref + delay;
      const bool call = r.chance(50);
      activity(out, s, p, lead, seed, call ? "call" : "email",
               call ? "Appel de suivi avec " + seed.first_name : "Follow-up email to " + seed.first_name, at,
               at + chr::minutes(r.between(1, 90)));
    }
    if (lead.stage >= 2 && lead.stage != lost)
      activity(out, s, p, lead, seed, "meeting", "Visio de découverte — " + company.name,
               lead.created + chr::hours(r.between(24 * 7, 24 * 20)), lead.created + chr::hours(24 * 21),
               activity_note(r));
    if (r.chance(40)) {
      const auto span = chr::duration_cast<chr::minutes>(cal_.now - lead.created).count();
      const Instant at = lead.created + chr::minutes(r.between(1, std::max<std::int64_t>(2, span - 1)));
      activity(out, s, p, lead, seed, "note", "Note sur " + company.name, at, at, activity_note(r));
    }
  }

  // A follow-up of the lead: done on time, done late, overdue now, upcoming, snoozed or cancelled.
  void followup(Random& r, std::vector<Happening>& out, const Startup& s, const auth::Principal& p, const Lead& lead,
                const LeadSeed& seed, int roll) {
    const Company& company = records_[static_cast<std::size_t>(&s - startups_.data())].companies[seed.company];
    static constexpr std::array<sv, 4> titles{"Relancer {} : envoyer le deck", "Call {} back about the pilot 📞",
                                              "Préparer la proposition pour {}", "Send the term sheet questions to {}"};
    const std::size_t which = static_cast<std::size_t>(r.between(0, 3));
    std::string title(titles[which]);
    title.replace(title.find("{}"), 2, which == 2 ? company.name : seed.first_name);
    const Instant latest = cal_.now - chr::hours(2);
    const auto room = chr::duration_cast<chr::minutes>(latest - lead.created).count();
    auto after_lead = [&](std::int64_t lo, std::int64_t hi) {  // minutes after the lead, before now
      return lead.created + chr::minutes(std::clamp<std::int64_t>(r.between(lo, hi), 1, std::max<std::int64_t>(1, room)));
    };
    Instant created, due;
    std::string status = "open";
    Instant done_at{};
    if (roll < 35) {  // done on time
      created = after_lead(60, 20 * 24 * 60);
      due = created + chr::hours(r.between(48, 240));
      done_at = due - chr::hours(r.between(1, 40));
    } else if (roll < 50) {  // done late
      created = after_lead(60, 20 * 24 * 60);
      due = created + chr::hours(r.between(24, 168));
      done_at = due + chr::hours(r.between(24, 240));
    } else if (roll < 70) {  // overdue now
      created = std::max(lead.created + chr::minutes(1), cal_.now - chr::days{r.between(3, 45)});
      due = created + (cal_.now - created) * r.between(10, 90) / 100;
    } else if (roll < 88) {  // upcoming
      created = std::max(lead.created + chr::minutes(1), cal_.now - chr::days{r.between(1, 10)});
      due = cal_.now + chr::minutes(r.between(60, 21 * 24 * 60));
    } else if (roll < 94) {
      status = "snoozed";
      created = std::max(lead.created + chr::minutes(1), cal_.now - chr::days{r.between(1, 10)});
      due = cal_.now + chr::days{r.between(2, 14)};
    } else {
      status = "cancelled";
      created = after_lead(60, 30 * 24 * 60);
      due = created + chr::days{5};
    }
    created = before_now(cal_, created, chr::hours(1));
    if (done_at != Instant{}) {
      done_at = std::clamp(done_at, created + chr::minutes(5), latest);
      due = std::min(due, latest);
    }
    json::object f{{"title", title},
                   {"due_at", instant_text(due)},
                   {"time_zone", "Europe/Paris"},
                   {"status", status},
                   {"assignee_id", p.user_id},
                   {"lead_id", lead.id},
                   {"contact_id", seed.contact_id}};
    if (r.chance(20)) f["notes"] = "À faire avant le comité du mois 🗓️";
    out.push_back({created, [p, org = s.org, row = services::new_record(p, *s.org, ent::followups, f), done_at,
                             clock = &clock_](storage::WriteTxn& tx) mutable {
                     services::insert_record(tx, p, ent::followups, row);
                     if (done_at != Instant{}) {
                       clock->set(done_at);
                       update(tx, p, *org, ent::followups, row.id, json::object{{"status", "done"}});
                     }
                   }});
    ++counts_.followups;
  }

  void outcome(Random& r, std::vector<Happening>& out, const Startup& s, const auth::Principal& p, const Lead& lead,
               const LeadSeed& seed, Instant won_at) {
    const Company& company = records_[static_cast<std::size_t>(&s - startups_.data())].companies[seed.company];
    const Instant at = before_now(cal_, won_at + chr::hours(r.between(1, 120)));
    sv kind;
    std::int64_t amount = 0, jobs = 0;
    if (company.kind == "vc-fund") {
      kind = "investment";
      amount = r.between(250, 4000) * 1000;
    } else if (company.kind == "corporate") {
      kind = r.chance(50) ? "partnership" : "pilot";
      amount = r.between(20, 400) * 1000;
    } else if (company.kind == "customer") {
      kind = r.chance(70) ? "customer-contract" : "pilot";
      amount = r.between(10, 800) * 1000;
    } else if (company.kind == "university") {
      kind = r.chance(60) ? "partnership" : "hire";
      if (kind == "hire") jobs = r.between(1, 4);
      else amount = r.between(15, 200) * 1000;
    } else if (company.kind == "accelerator") {
      kind = "partnership";
      amount = r.between(5, 120) * 1000;
    } else {
      kind = "us-subsidiary";
      amount = r.between(10, 100) * 1000;
      jobs = r.between(1, 8);
    }
    if (kind != "hire" && r.chance(10)) jobs = r.between(1, 6);
    json::object f{{"kind", kind}, {"occurred_on", date_text(chr::floor<chr::days>(at))},
                   {"evidence", r.chance(50) ? "Communiqué de presse" : "Contrat signé"}};
    if (company.kind != "partner" && company.kind != "public-body") f["partner_company_id"] = company.id;
    if (amount) {
      f["amount"] = money(amount);
      const int roll = static_cast<int>(r.between(0, 99));
      f["currency"] = roll < 55 ? "USD" : roll < 95 ? "EUR" : roll < 98 ? "GBP" : "CHF";
    }
    if (jobs) f["jobs"] = jobs;
    if (seed.source_event && seed.source_event != s.private_event) f["event_id"] = seed.source_event;
    if (r.chance(30)) f["notes"] = "Annonce prévue à la rentrée 🎉";
    f["lead_id"] = lead.id;
    out.push_back({at, [p, row = services::new_record(p, *s.org, ent::outcomes, f)](storage::WriteTxn& tx) mutable {
                     services::insert_record(tx, p, ent::outcomes, row);
                   }});
    ++counts_.outcomes;
  }

  void histories(std::size_t i, BulkWriter& w) {
    Startup& s = startups_[i];
    StartupRecords& rec = records_[i];
    Random r = rng(i, 4);
    for (const Lead& lead : rec.leads) {
      const LeadSeed& seed = rec.seeds[lead.seed];
      const auth::Principal& p = s.members[lead.owner].principal;
      Instant won_at{};
      std::vector<Happening> story = stage_moves(r, s, lead, p, won_at);
      activities(r, story, s, p, lead, seed);
      const bool closed = lead.stage == won || lead.stage == lost;
      const int roll = static_cast<int>(r.between(0, 99));
      followup(r, story, s, p, lead, seed, closed ? (roll < 90 ? roll * 50 / 90 : 95) : roll);
      if (!closed && r.chance(20)) followup(r, story, s, p, lead, seed, static_cast<int>(r.between(50, 87)));
      if (lead.outcome) outcome(r, story, s, p, lead, seed, won_at);
      std::stable_sort(story.begin(), story.end(), [](const Happening& a, const Happening& b) { return a.at < b.at; });
      const Instant first = story.empty() ? lead.created : story.front().at;
      w.add(first, [story = std::move(story)](storage::WriteTxn& tx, const BulkWriter::At& at) {
        for (const Happening& h : story) {
          at(h.at);
          h.write(tx);
        }
      });
    }
  }

  storage::Store& store_;
  events::FixedClock& clock_;
  const Calendar& cal_;
  const RegionEvents& region_;
  std::vector<Startup>& startups_;
  const Random& random_;
  const Progress& progress_;
  std::vector<StartupRecords> records_;
  Counts counts_;
};

}  // namespace

Counts write_pipelines(storage::Store& store, events::FixedClock& clock, const Calendar& calendar,
                       const RegionEvents& region, std::vector<Startup>& startups, const Random& random,
                       const Progress& progress) {
  return Writer(store, clock, calendar, region, startups, random, progress).run();
}

}  // namespace relance::demo
