// The demo's cast, all of it invented: start-ups, partner companies, people, places. Names
// of companies are coined words (no real firm's name) and their web domains end in
// .example (RFC 2606), phone numbers are in the ranges kept for fiction (US 555-01xx,
// France 01 99 00 xx xx).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "demo/random.hpp"

namespace relance::demo {

struct StartupProfile {
  std::string_view name;
  std::string_view sector;  // deeptech, health, mobility, climate, software...
  std::string_view city;    // where in Auvergne-Rhône-Alpes
  std::string_view pitch;
};
// Thirty start-ups of the region, in a fixed order (the first ones are the biggest).
std::span<const StartupProfile> startups();

struct PartnerProfile {
  std::string_view name;
  std::string_view kind;  // vc-fund, accelerator, corporate, university
  std::string_view city;
  std::string_view sector;
};
// The funds, accelerators, corporates and universities the start-ups meet in California.
std::span<const PartnerProfile> partners();

struct Person {
  std::string first_name, last_name;
};
Person person(Random& r, bool american);
// "zoe.nguyen": the person's name folded to what an email's local part holds.
std::string email_local_part(const Person& p);
// A name for the start-ups' own colleagues (French).
Person colleague(Random& r);

// A customer company of a start-up's pipeline: "Granite Robotics Inc.".
std::string customer_company(Random& r);
std::string_view customer_sector(Random& r);
// "granite-robotics.example"
std::string domain_of(std::string_view company);

std::string_view job_title(Random& r, std::string_view company_kind);
// A US number (+1 415 555 01xx) or a French one (+33 1 99 00 xx xx), written as people do.
std::string phone(Random& r, bool american);

struct Place {
  std::string_view city, country, time_zone;
};
Place bay_area_place(Random& r);
Place french_place(Random& r);

// Short free texts with accents and, now and then, an emoji.
std::string_view contact_note(Random& r);
std::string_view lead_note(Random& r);
std::string_view activity_note(Random& r);

}  // namespace relance::demo
