// Tenancy: every route of the OpenAPI document, crossed with every role (member, org-admin,
// staff, admin, and no token at all) and with objects of the caller's own organisation, of
// another organisation, of another organisation but shared with the region, and with ids
// that do not exist. The expectations are a table written here by hand, one row per
// (method, path); the test fails when the document has a route the table lacks, or the
// table a route the document lacks, so a new route cannot ship without saying who may use
// it.
//
// What the table encodes (DESIGN.md, "Security model"; storage/schema.cpp, Sharing):
// - another organisation's object answers exactly like a missing one (404, same body),
//   unless the rules let the caller read it: region staff read other organisations'
//   companies, leads and outcomes with personal fields removed ("redacted": true) unless the
//   lead (the outcome's lead) is shared with the region, their
//   contacts, activities and follow-ups only through a lead shared with the region, and
//   every organisation's events; everyone reads the region's events and exchange rates; the
//   admin reads users and organisations of the whole instance;
// - a write to an object the caller can see but not change answers 403, to one it cannot
//   see 404;
// - signed-in routes answer 401 with a problem document and WWW-Authenticate without a
//   valid token;
// - a read-only personal token is refused (403) on every write route and reads like its
//   role;
// - plugins are managed by the instance admin for every organisation and by an org-admin for
//   their own (services/plugin_service.cpp); anyone else is refused (403) before anything is
//   looked up. The daemon runs with a plugin folder holding the journal fixture only.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "temp_dir.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

// ---------------------------------------------------------------------------------------
// The table.

// One expected answer. A positive number is the HTTP status; `red` is a 200 whose personal
// fields are absent and that says "redacted": true; `na` is a column that does not apply.
constexpr int na = 0;
constexpr int ok = 200;
constexpr int made = 201;
constexpr int queued = 202;
constexpr int gone = 204;
constexpr int expired = 410;
constexpr int red = -200;
constexpr int auth = 401;
constexpr int deny = 403;
constexpr int nf = 404;
constexpr int bad = 400;
constexpr int unfit = 422;

// What one role gets on one route. For a route without {id}, only `own` is used: the
// status of the call. For a route with {id}, the answer for an object of the caller's own
// organisation, of another organisation, of another organisation but linked to a lead
// shared with the region (only for contacts, leads, activities, follow-ups and outcomes), and for an
// id that does not exist.
struct Cells {
  int own, other, shared, missing;
  // Implicit, so that a route without {id} is written as its status alone.
  constexpr Cells(int status) : own(status), other(na), shared(na), missing(na) {}  // NOLINT
  constexpr Cells(int own_object, int other_org, int shared_with_region, int no_object)
      : own(own_object), other(other_org), shared(shared_with_region), missing(no_object) {}
};

// The caller's own organisation is Alpha for the member and the org-admin, the region for
// staff and the admin. "Another organisation" is Beta for the first two, Alpha for the
// region's users.
struct Row {
  std::string_view method;
  std::string_view path;
  Cells member, org_admin, staff, admin, anonymous;
};

constexpr Cells anon{auth, auth, na, auth};         // signed-in route with {id}
constexpr Cells anon_shared{auth, auth, auth, auth};  // ...whose objects can be shared
constexpr Cells not_manager{deny, deny, na, deny};    // a plugin route with {id}, for a member or staff

// clang-format off
const std::vector<Row> table = {
  // method   path                           member              org-admin           staff                 admin               anonymous
  // Operations: public.
  {"GET",    "/healthz",                     ok,                 ok,                 ok,                   ok,                 ok},
  {"GET",    "/readyz",                      ok,                 ok,                 ok,                   ok,                 ok},
  {"GET",    "/metrics",                     ok,                 ok,                 ok,                   ok,                 ok},
  {"GET",    "/api/v1/openapi.json",         ok,                 ok,                 ok,                   ok,                 ok},
  // The web app: public files ({name} is a file it does not have).
  {"GET",    "/",                            ok,                 ok,                 ok,                   ok,                 ok},
  {"GET",    "/assets/{name}",               nf,                 nf,                 nf,                   nf,                 nf},
  // Sessions. Logging out revokes the caller's own (throw-away) token.
  {"POST",   "/api/v1/auth/login",           ok,                 ok,                 ok,                   ok,                 ok},
  {"POST",   "/api/v1/auth/logout",          gone,               gone,               gone,                 gone,               auth},
  {"GET",    "/api/v1/me",                   ok,                 ok,                 ok,                   ok,                 auth},
  // Personal tokens: "own" is a token of the caller, "other" one of another organisation.
  {"GET",    "/api/v1/tokens",               ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/tokens",               made,               made,               made,                 made,               auth},
  {"DELETE", "/api/v1/tokens/{id}",          {gone,nf,na,nf},    {gone,nf,na,nf},    {gone,nf,na,nf},      {gone,nf,na,nf},    anon},
  // Users: "own" is a colleague of the caller (never the caller), "other" a user of the
  // other organisation. A colleague is visible, so changing one without the right is 403.
  {"GET",    "/api/v1/users",                ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/users",                deny,               made,               deny,                 made,               auth},
  // Staff see every organisation's users, their emails hidden ("redacted") but for the
  // region's own users.
  {"GET",    "/api/v1/users/{id}",           {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,red,na,nf},       {ok,ok,na,nf},      anon},
  {"PATCH",  "/api/v1/users/{id}",           {deny,nf,na,nf},    {ok,nf,na,nf},      {deny,deny,na,nf},    {ok,ok,na,nf},      anon},
  {"DELETE", "/api/v1/users/{id}",           {deny,nf,na,nf},    {ok,nf,na,nf},      {deny,deny,na,nf},    {ok,ok,na,nf},      anon},
  // Set-password links: given by whoever may change the account; asked for by anyone
  // (202 whatever the email); used by whoever holds one (410 for an unknown token); the
  // link's page without its token is a 400 page.
  {"POST",   "/api/v1/users/{id}/password-link", {deny,nf,na,nf}, {made,nf,na,nf},    {deny,deny,na,nf},    {made,made,na,nf},  anon},
  {"POST",   "/api/v1/auth/password-reset",  queued,             queued,             queued,               queued,             queued},
  {"POST",   "/api/v1/auth/password",        expired,            expired,            expired,              expired,            expired},
  {"GET",    "/api/v1/auth/password",        bad,                bad,                bad,                  bad,                bad},
  // Organisations: staff read them all (to measure the mission) and change none.
  {"GET",    "/api/v1/organisations",        ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/organisations",        deny,               deny,               deny,                 made,               auth},
  {"GET",    "/api/v1/organisations/{id}",   {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,ok,na,nf},        {ok,ok,na,nf},      anon},
  {"PATCH",  "/api/v1/organisations/{id}",   {deny,nf,na,nf},    {ok,nf,na,nf},      {deny,deny,na,nf},    {ok,ok,na,nf},      anon},
  {"GET",    "/api/v1/audit",                deny,               ok,                 deny,                 ok,                 auth},
  // Contacts: staff see another organisation's only through a lead shared with the region.
  {"GET",    "/api/v1/contacts",             ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/contacts",             made,               made,               made,                 made,               auth},
  {"GET",    "/api/v1/contacts/{id}",        {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,nf,ok,nf},        {ok,nf,nf,nf},      anon_shared},
  {"PATCH",  "/api/v1/contacts/{id}",        {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,nf,deny,nf},      {ok,nf,nf,nf},      anon_shared},
  {"DELETE", "/api/v1/contacts/{id}",        {gone,nf,nf,nf},    {gone,nf,nf,nf},    {gone,nf,deny,nf},    {gone,nf,nf,nf},    anon_shared},
  // Merges: the contact in the path takes in a new contact of the caller's own organisation
  // (the body's duplicate_id); a contact staff only read is not theirs to merge into.
  {"POST",   "/api/v1/contacts/{id}/merge",  {made,nf,nf,nf},    {made,nf,nf,nf},    {made,nf,deny,nf},    {made,nf,nf,nf},    anon_shared},
  // A contact's files: its organisation's only, never shared (staff reading a shared
  // contact list none of its files and add none).
  {"POST",   "/api/v1/contacts/{id}/attachments", {made,nf,nf,nf}, {made,nf,nf,nf},   {made,nf,deny,nf},    {made,nf,nf,nf},    anon_shared},
  {"GET",    "/api/v1/contacts/{id}/attachments", {ok,nf,nf,nf},   {ok,nf,nf,nf},     {ok,nf,ok,nf},        {ok,nf,nf,nf},      anon_shared},
  {"GET",    "/api/v1/attachments/{id}",     {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,nf,nf,nf},        {ok,nf,nf,nf},      anon_shared},
  {"DELETE", "/api/v1/attachments/{id}",     {gone,nf,nf,nf},    {gone,nf,nf,nf},    {gone,nf,nf,nf},      {gone,nf,nf,nf},    anon_shared},
  // A merge is its organisation's only, never shared, not even with the admin; each undo
  // gets a merge of its own.
  {"GET",    "/api/v1/contact-merges",       ok,                 ok,                 ok,                   ok,                 auth},
  {"GET",    "/api/v1/contact-merges/{id}",  {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,nf,na,nf},        {ok,nf,na,nf},      anon},
  {"POST",   "/api/v1/contact-merges/{id}/undo", {ok,nf,na,nf},  {ok,nf,na,nf},      {ok,nf,na,nf},        {ok,nf,na,nf},      anon},
  // Share requests: staff ask to share another organisation's lead; the request is the
  // start-up's, which its org-admin or the lead's owner answers; staff read every one. The
  // region's "own" request is one staff made of Beta's lead (no request is the region's).
  {"POST",   "/api/v1/share-requests",       deny,               deny,               made,                 deny,               auth},
  {"GET",    "/api/v1/share-requests",       ok,                 ok,                 ok,                   ok,                 auth},
  {"GET",    "/api/v1/share-requests/{id}",  {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,ok,na,nf},        {nf,nf,na,nf},      anon},
  {"POST",   "/api/v1/share-requests/{id}/answer", {ok,nf,na,nf}, {ok,nf,na,nf},    {deny,deny,na,nf},    {nf,nf,na,nf},      anon},
  // Companies: staff read every organisation's, without personal fields.
  {"GET",    "/api/v1/companies",            ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/companies",            made,               made,               made,                 made,               auth},
  {"GET",    "/api/v1/companies/{id}",       {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,red,na,nf},       {ok,nf,na,nf},      anon},
  {"PATCH",  "/api/v1/companies/{id}",       {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,deny,na,nf},      {ok,nf,na,nf},      anon},
  {"DELETE", "/api/v1/companies/{id}",       {gone,nf,na,nf},    {gone,nf,na,nf},    {gone,deny,na,nf},    {gone,nf,na,nf},    anon},
  // Leads: staff read every organisation's; personal fields only of shared ones.
  {"GET",    "/api/v1/leads",                ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/leads",                made,               made,               made,                 made,               auth},
  {"GET",    "/api/v1/leads/{id}",           {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,red,ok,nf},       {ok,nf,nf,nf},      anon_shared},
  {"PATCH",  "/api/v1/leads/{id}",           {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,deny,deny,nf},    {ok,nf,nf,nf},      anon_shared},
  {"DELETE", "/api/v1/leads/{id}",           {gone,nf,nf,nf},    {gone,nf,nf,nf},    {gone,deny,deny,nf},  {gone,nf,nf,nf},    anon_shared},
  // A lead's sharing history: whoever reads the lead.
  {"GET",    "/api/v1/leads/{id}/sharing",   {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,ok,ok,nf},        {ok,nf,nf,nf},      anon_shared},
  // Activities: staff see another organisation's only when their lead is shared.
  {"GET",    "/api/v1/activities",           ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/activities",           made,               made,               made,                 made,               auth},
  {"GET",    "/api/v1/activities/{id}",      {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,nf,ok,nf},        {ok,nf,nf,nf},      anon_shared},
  {"PATCH",  "/api/v1/activities/{id}",      {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,nf,deny,nf},      {ok,nf,nf,nf},      anon_shared},
  {"DELETE", "/api/v1/activities/{id}",      {gone,nf,nf,nf},    {gone,nf,nf,nf},    {gone,nf,deny,nf},    {gone,nf,nf,nf},    anon_shared},
  // Follow-ups: as activities.
  {"GET",    "/api/v1/followups",            ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/followups",            made,               made,               made,                 made,               auth},
  {"GET",    "/api/v1/followups/{id}",       {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,nf,ok,nf},        {ok,nf,nf,nf},      anon_shared},
  {"PATCH",  "/api/v1/followups/{id}",       {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,nf,deny,nf},      {ok,nf,nf,nf},      anon_shared},
  {"DELETE", "/api/v1/followups/{id}",       {gone,nf,nf,nf},    {gone,nf,nf,nf},    {gone,nf,deny,nf},    {gone,nf,nf,nf},    anon_shared},
  // Views of the caller's follow-ups (their own organisation's, or staff's shared ones).
  {"GET",    "/api/v1/followups/today",      ok,                 ok,                 ok,                   ok,                 auth},
  {"GET",    "/api/v1/followups/overdue",    ok,                 ok,                 ok,                   ok,                 auth},
  {"GET",    "/api/v1/followups/upcoming",   ok,                 ok,                 ok,                   ok,                 auth},
  // A reminder email's link (GET shows it, POST confirms it): no token, its signature is
  // the authority; without one, 400 for everybody and every id (followups_test.cpp
  // checks forged, altered, expired and outdated links).
  {"GET",    "/api/v1/followups/{id}/action", {bad,bad,bad,bad}, {bad,bad,bad,bad}, {bad,bad,bad,bad},   {bad,bad,bad,bad},  {bad,bad,bad,bad}},
  {"POST",   "/api/v1/followups/{id}/action", {bad,bad,bad,bad}, {bad,bad,bad,bad}, {bad,bad,bad,bad},   {bad,bad,bad,bad},  {bad,bad,bad,bad}},
  // Outcomes: what the mission produced; staff read every organisation's, personal fields
  // only of those whose lead is shared (as the lead's own).
  {"GET",    "/api/v1/outcomes",             ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/outcomes",             made,               made,               made,                 made,               auth},
  {"GET",    "/api/v1/outcomes/{id}",        {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,red,ok,nf},       {ok,nf,nf,nf},      anon_shared},
  {"PATCH",  "/api/v1/outcomes/{id}",        {ok,nf,nf,nf},      {ok,nf,nf,nf},      {ok,deny,deny,nf},    {ok,nf,nf,nf},      anon_shared},
  {"DELETE", "/api/v1/outcomes/{id}",        {gone,nf,nf,nf},    {gone,nf,nf,nf},    {gone,deny,deny,nf},  {gone,nf,nf,nf},    anon_shared},
  // Events (trade missions, fairs): the region's are every organisation's to read
  // (region_data_test.cpp); a start-up's are its own, and staff read them; only their
  // organisation changes them.
  {"GET",    "/api/v1/events",               ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/events",               made,               made,               made,                 made,               auth},
  {"GET",    "/api/v1/events/{id}",          {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,ok,na,nf},        {ok,nf,na,nf},      anon},
  {"PATCH",  "/api/v1/events/{id}",          {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,deny,na,nf},      {ok,nf,na,nf},      anon},
  {"DELETE", "/api/v1/events/{id}",          {gone,nf,na,nf},    {gone,nf,na,nf},    {gone,deny,na,nf},    {gone,nf,na,nf},    anon},
  // Exchange rates: the region's alone (both "own" and "other" are rates region staff
  // keep): everyone reads them, region staff and the admin change them; anyone else is
  // refused (403) before anything is looked up.
  {"GET",    "/api/v1/exchange-rates",       ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/exchange-rates",       deny,               deny,               made,                 made,               auth},
  {"GET",    "/api/v1/exchange-rates/{id}",  {ok,ok,na,nf},      {ok,ok,na,nf},      {ok,ok,na,nf},        {ok,ok,na,nf},      anon},
  {"PATCH",  "/api/v1/exchange-rates/{id}",  {deny,deny,na,deny}, {deny,deny,na,deny}, {ok,ok,na,nf},      {ok,ok,na,nf},      anon},
  {"DELETE", "/api/v1/exchange-rates/{id}",  {deny,deny,na,deny}, {deny,deny,na,deny}, {gone,gone,na,nf},  {gone,gone,na,nf},  anon},
  // Cadence rules: an organisation's own, never shared, not even with the admin.
  {"GET",    "/api/v1/cadence_rules",        ok,                 ok,                 ok,                   ok,                 auth},
  {"POST",   "/api/v1/cadence_rules",        made,               made,               made,                 made,               auth},
  {"GET",    "/api/v1/cadence_rules/{id}",   {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,nf,na,nf},        {ok,nf,na,nf},      anon},
  {"PATCH",  "/api/v1/cadence_rules/{id}",   {ok,nf,na,nf},      {ok,nf,na,nf},      {ok,nf,na,nf},        {ok,nf,na,nf},      anon},
  {"DELETE", "/api/v1/cadence_rules/{id}",   {gone,nf,na,nf},    {gone,nf,na,nf},    {gone,nf,na,nf},      {gone,nf,na,nf},    anon},
  // Plugins: the instance admin manages them for every organisation, an org-admin for their
  // own only; members and staff are refused (403) before anything is looked up, so even for
  // a missing id. "own" is the journal instance the admin enabled for the caller's
  // organisation, "other" the other organisation's, which an org-admin cannot tell from a
  // missing one (404); DELETE gets a fresh instance each call. These instances answer
  // INVALID to company.created, so they have real dead letters: on the routes with a second
  // {id}, that id is a dead letter of the same instance (a fresh one for each DELETE), and
  // in the "missing" column both ids are missing. A replay is queued (202) because the
  // instance is delivering: Tenancy::target_path waits until it is (409 otherwise).
  // method   path                                                      member       org-admin          staff        admin                  anonymous
  {"GET",    "/api/v1/plugins",                                         deny,        ok,                deny,        ok,                    auth},
  {"GET",    "/api/v1/plugin-instances",                                deny,        ok,                deny,        ok,                    auth},
  {"POST",   "/api/v1/plugin-instances",                                deny,        made,              deny,        made,                  auth},
  {"GET",    "/api/v1/plugin-instances/{id}",                           not_manager, {ok,nf,na,nf},     not_manager, {ok,ok,na,nf},         anon},
  {"PATCH",  "/api/v1/plugin-instances/{id}",                           not_manager, {ok,nf,na,nf},     not_manager, {ok,ok,na,nf},         anon},
  {"DELETE", "/api/v1/plugin-instances/{id}",                           not_manager, {gone,nf,na,nf},   not_manager, {gone,gone,na,nf},     anon},
  {"POST",   "/api/v1/plugin-instances/{id}/resume",                    not_manager, {ok,nf,na,nf},     not_manager, {ok,ok,na,nf},         anon},
  {"POST",   "/api/v1/plugin-instances/{id}/skip",                      not_manager, {ok,nf,na,nf},     not_manager, {ok,ok,na,nf},         anon},
  {"GET",    "/api/v1/plugin-instances/{id}/dead-letters",              not_manager, {ok,nf,na,nf},     not_manager, {ok,ok,na,nf},         anon},
  {"POST",   "/api/v1/plugin-instances/{id}/dead-letters/replay",       not_manager, {queued,nf,na,nf}, not_manager, {queued,queued,na,nf}, anon},
  {"POST",   "/api/v1/plugin-instances/{id}/dead-letters/{event_id}/replay", not_manager, {queued,nf,na,nf}, not_manager, {queued,queued,na,nf}, anon},
  {"DELETE", "/api/v1/plugin-instances/{id}/dead-letters/{event_id}",    not_manager, {gone,nf,na,nf},   not_manager, {gone,gone,na,nf},     anon},
  // The settings a plugin documents ({plugin}: the journal fixture), and an instance's test:
  // the journal offers none, so 422 once the caller may manage the instance.
  {"GET",    "/api/v1/plugins/{plugin}/settings",                       deny,        ok,                deny,        ok,                    auth},
  {"POST",   "/api/v1/plugin-instances/{id}/test",                      not_manager, {unfit,nf,na,nf},  not_manager, {unfit,unfit,na,nf},   anon},
  // Exports: everyone signed in exports what they may read (the rows follow the lists'
  // rules; exports_test.cpp checks them). Each format is an operation of its own: here the
  // journal fixture's, of contacts; {format} is one no plugin offers.
  {"GET",    "/api/v1/exports",                                         ok,          ok,                ok,          ok,                    auth},
  {"GET",    "/api/v1/exports/journal-tsv",                             ok,          ok,                ok,          ok,                    auth},
  {"GET",    "/api/v1/exports/{format}",                                nf,          nf,                nf,          nf,                    auth},
  // Imports: anyone who writes imports into their own organisation; a job is its
  // organisation's only (imports_test.cpp checks the rest).
  {"POST",   "/api/v1/imports",                                         queued,      queued,            queued,      queued,                auth},
  {"GET",    "/api/v1/imports/{id}",                                    {ok,nf,na,nf}, {ok,nf,na,nf},   {ok,nf,na,nf}, {ok,nf,na,nf},       anon},
  {"GET",    "/api/v1/imports/{id}/report",                             {ok,nf,na,nf}, {ok,nf,na,nf},   {ok,nf,na,nf}, {ok,nf,na,nf},       anon},
  // A file's columns as an import would read them: the file's first lines only, no row of
  // anyone's; every role signed in, a read-only token too (it writes nothing).
  {"POST",   "/api/v1/import-columns",                                  ok,          ok,                ok,          ok,                    auth},
  // Duplicates on demand: every role reads its own organisation's (a read-only token too).
  {"GET",    "/api/v1/contact-duplicates",                              ok,          ok,                ok,          ok,                    auth},
  // Reports: everyone signed in reads them; a start-up's members see their own start-up by
  // name and the mission's totals, staff and the admin every start-up (reports_test.cpp).
  {"GET",    "/api/v1/reports/funnel",                                  ok,          ok,                ok,          ok,                    auth},
  {"GET",    "/api/v1/reports/outcomes",                                ok,          ok,                ok,          ok,                    auth},
  {"GET",    "/api/v1/reports/followup-discipline",                     ok,          ok,                ok,          ok,                    auth},
  {"GET",    "/api/v1/reports/stale",                                   ok,          ok,                ok,          ok,                    auth},
  {"GET",    "/api/v1/reports/mission-summary",                         ok,          ok,                ok,          ok,                    auth},
};
// clang-format on

// Collections whose objects the table also tries linked to a lead shared with the region.
const std::set<std::string> shareable = {"contacts", "leads", "activities", "followups", "outcomes", "attachments"};
const std::vector<std::string> record_collections = {"contacts",  "companies", "leads",  "activities",
                                                     "followups", "outcomes",  "events", "cadence_rules"};

constexpr std::int64_t missing_id = 1'999'999'999;
// The plugin of the tenancy daemon (plugin_env below).
constexpr std::string_view journal_plugin = "org.relance.fixture.journal";

const Row* find_row(std::string_view method, std::string_view path) {
  for (const Row& r : table)
    if (r.method == method && r.path == path) return &r;
  return nullptr;
}

// Where the first id placeholder ("{id}", "{event_id}") of `path` starts, and its length.
std::pair<std::size_t, std::size_t> id_placeholder(std::string_view path) {
  for (std::size_t at = path.find('{'); at != std::string_view::npos; at = path.find('{', at + 1)) {
    const auto end = path.find('}', at);
    if (end == std::string_view::npos) break;
    if (path.substr(at, end - at + 1).ends_with("id}")) return {at, end - at + 1};
  }
  return {std::string_view::npos, 0};
}

bool has_id(std::string_view path) { return id_placeholder(path).first != std::string_view::npos; }

// "/api/v1/contacts/{id}" -> "contacts"; "/api/v1/auth/login" -> "auth"; "/healthz" -> "".
std::string collection_of(std::string_view path) {
  constexpr std::string_view prefix = "/api/v1/";
  if (!path.starts_with(prefix)) return {};
  path.remove_prefix(prefix.size());
  return std::string(path.substr(0, path.find('/')));
}

// The first id placeholder of `path` replaced by `id`; false when there is none.
bool fill_id(std::string& path, std::int64_t id) {
  const auto [at, length] = id_placeholder(path);
  if (at == std::string::npos) return false;
  path.replace(at, length, std::to_string(id));
  return true;
}

// Every {id} of `pattern` replaced by `id` (the dead-letter routes have two), and the
// export format by one the tenancy daemon offers, with the dataset it needs.
std::string with_id(std::string_view pattern, std::int64_t id) {
  std::string p(pattern);
  while (fill_id(p, id)) {
  }
  if (const auto at = p.find("{format}"); at != std::string::npos) p.replace(at, 8, "pdf");
  if (p.starts_with("/api/v1/exports/")) p += "?dataset=contacts";
  if (const auto at = p.find("{plugin}"); at != std::string::npos) p.replace(at, 8, journal_plugin);
  if (const auto at = p.find("{name}"); at != std::string::npos) p.replace(at, 6, "app-NOSUCHFILE.js");
  return p;
}

std::string describe(int cell) {
  if (cell == red) return "200 with personal fields redacted";
  if (cell == na) return "(not applicable)";
  return std::to_string(cell);
}

// A read-only token: the answer of its role on reads, 403 on every write. Logging in needs
// no token, and logging out only revokes the token it is sent with, which a read-only
// token may do to itself. A reminder's link needs no token either (its signature is the
// authority): a token sent with it changes nothing. Reading a file's columns
// (import-columns) is a POST that writes nothing: a read-only token may.
Cells read_only(const Row& row, Cells normal) {
  if (row.method == "GET" || row.path == "/api/v1/auth/login" || row.path == "/api/v1/auth/logout" ||
      row.path == "/api/v1/import-columns" ||
      row.path == "/api/v1/followups/{id}/action" || row.path == "/api/v1/auth/password-reset" ||
      row.path == "/api/v1/auth/password")
    return normal;
  auto refused = [](int c) { return c == na ? na : deny; };
  return Cells{refused(normal.own), refused(normal.other), refused(normal.shared),
               refused(normal.missing)};
}

// ---------------------------------------------------------------------------------------
// The OpenAPI document.

struct Operation {
  std::string method;  // upper case
  std::string path;
  bool signed_in = false;
};

std::vector<Operation> operations_of(const json::object& doc) {
  std::vector<Operation> out;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      std::string m(method);
      for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back(Operation{m, std::string(path), op.as_object().contains("security")});
    }
  }
  return out;
}

// The personal fields of the objects a collection's GET /{id} returns ("x-personal-data").
std::map<std::string, std::vector<std::string>> personal_fields_of(const json::object& doc) {
  std::map<std::string, std::vector<std::string>> out;
  const auto& schemas = doc.at("components").as_object().at("schemas").as_object();
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    if (!has_id(path) || !item.as_object().contains("get")) continue;
    const json::value* ref = nullptr;
    try {
      ref = &item.at("get").at("responses").at("200").at("content").at("application/json").at(
          "schema").at("$ref");
    } catch (const std::exception&) {
      continue;
    }
    std::string name(ref->as_string());
    name = name.substr(name.rfind('/') + 1);
    auto& fields = out[collection_of(path)];
    for (const auto& [field, schema] : schemas.at(name).at("properties").as_object())
      if (schema.as_object().contains("x-personal-data")) fields.emplace_back(field);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The world the table runs against.

std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }

HttpClient client_with(std::uint16_t port, std::string token) {
  HttpClient c(port);
  c.set_token(std::move(token));
  return c;
}

// The plugin folder of the daemon: a copy of the journal fixture (tests/plugins/journal.cpp)
// and nothing else.

std::map<std::string, std::string> plugin_env(const TempDir& folder) {
  const std::filesystem::path fixtures = RELANCE_FIXTURE_PLUGINS;
  std::filesystem::copy_file(fixtures / "fixture_journal.so", folder.path() / "fixture_journal.so");
  return {{"RELANCE_PLUGINS_DIRECTORIES", folder.path().string()}};
}

// Polls `done` until it holds or `timeout` passes; returns its last answer.
template <class F>
bool eventually(F&& done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

std::vector<json::object> list_all(HttpClient& as, const std::string& path);

enum class Link { none, unshared_lead, shared_lead };

// The bytes of a contact's file: a PNG's signature is all the server checks.
std::string card_png() { return std::string("\x89PNG\r\n\x1A\n", 8) + "card"; }

// One organisation and the objects it owns.
struct Org {
  std::string name;  // "alpha"
  std::int64_t id = 0;
  HttpClient* writer = nullptr;  // a read-write client of one of its users
  std::int64_t colleague = 0;    // a user of the organisation no test logs in as
  std::map<std::string, std::int64_t> plain;   // collection -> object linked to an unshared lead
  std::map<std::string, std::int64_t> shared;  // collection -> object linked to a shared lead

  // A word only this organisation's personal fields contain.
  std::string secret() const { return "secret" + name + "word"; }

  // A new object of `collection`, linked (for contacts: pointed at) by a new lead when
  // `link` asks for one. Objects made with Link::none are referenced by nothing.
  std::int64_t make(const std::string& collection, Link link) {
    HttpClient& as = *writer;
    auto new_lead = [&](json::object extra) {
      json::object body{{"title", "Lead of " + name},
                        {"notes", "lead notes " + secret()},
                        {"shared_with_region", link == Link::shared_lead}};
      for (const auto& kv : extra) body[kv.key()] = kv.value();
      return id_of(World::create(as, "leads", body));
    };
    if (collection == "contacts") {
      const auto contact = id_of(World::create(
          as, "contacts",
          {{"first_name", "Fixture"},
           {"last_name", "Person of " + name},
           {"emails", json::array{"fixture@" + name + ".test"}},
           {"phones", json::array{"+16505550100"}},
           {"notes", "contact notes " + secret()}}));
      if (link != Link::none) new_lead({{"contact_id", contact}});
      return contact;
    }
    if (collection == "leads") return new_lead({});
    if (collection == "attachments") {  // the card's photo of a contact (linked as `link` says)
      const auto r = as.request("POST", "/api/v1/contacts/" + std::to_string(make("contacts", link)) + "/attachments",
                                card_png(), {{"Content-Type", "image/png"}});
      REQUIRE(r.status == 201);
      return id_of(r.json().as_object());
    }
    if (collection == "companies")
      return id_of(World::create(as, "companies",
                                 {{"name", "Company of " + name}, {"notes", "company notes " + secret()}}));
    if (collection == "events") return id_of(World::create(as, "events", {{"name", "Fair of " + name}}));
    if (collection == "cadence_rules")
      return id_of(World::create(as, "cadence_rules", {{"kind", "after-meeting"}, {"days", 3}}));
    json::object body;
    if (collection == "activities")
      body = {{"kind", "note"}, {"subject", "Fixture"}, {"notes", "activity notes " + secret()}};
    else if (collection == "followups")
      body = {{"title", "Fixture follow-up"},
              {"due_at", "2031-01-01T09:00:00Z"},
              {"notes", "follow-up notes " + secret()}};
    else if (collection == "outcomes")
      body = {{"kind", "pilot"}, {"notes", "outcome notes " + secret()}};
    else
      throw std::logic_error("no fixture for " + collection);
    if (link != Link::none) body["lead_id"] = new_lead({});
    return id_of(World::create(as, collection, body));
  }

  // A merge of two new contacts of this organisation.
  std::int64_t new_merge() {
    const auto survivor = make("contacts", Link::none);
    const auto duplicate = make("contacts", Link::none);
    auto r = writer->post("/api/v1/contacts/" + std::to_string(survivor) + "/merge",
                          json::object{{"duplicate_id", duplicate}});
    INFO("merge " << duplicate << " into " << survivor << ": " << r.status << " " << r.body);
    REQUIRE(r.status == 201);
    return id_of(r.json().as_object());
  }
};

enum class Column { own, other, shared, missing };

std::string_view column_name(Column c) {
  switch (c) {
    case Column::own: return "an object of the caller's own organisation";
    case Column::other: return "an object of another organisation";
    case Column::shared: return "an object of another organisation linked to a shared lead";
    case Column::missing: return "an id that does not exist";
  }
  return "";
}

int cell_of(const Cells& c, Column col) {
  switch (col) {
    case Column::own: return c.own;
    case Column::other: return c.other;
    case Column::shared: return c.shared;
    case Column::missing: return c.missing;
  }
  return na;
}

// Who calls: a role (its column of the table), its token, and its two organisations.
struct Caller {
  std::string name;
  HttpClient* http = nullptr;    // sends the calls
  HttpClient* writer = nullptr;  // the same user with a read-write token (for its own tokens)
  Org* own = nullptr;
  Org* other = nullptr;
  Cells Row::*column = nullptr;
  bool read_only = false;
};

struct Tenancy {
  TempDir plugin_folder;
  World w{plugin_env(plugin_folder)};
  HttpClient anonymous{w.daemon.port()};
  json::object doc;
  std::vector<Operation> operations;
  std::map<std::string, std::vector<std::string>> personal;
  Org region, alpha, beta;
  // Organisation id -> the journal instance the admin enabled for it, and a dead letter of
  // that instance.
  std::map<std::int64_t, std::int64_t> instance_of, dead_letter_of;
  int counter = 0;

  Tenancy() {
    doc = anonymous.get("/api/v1/openapi.json").json().as_object();
    operations = operations_of(doc);
    personal = personal_fields_of(doc);
    // The redaction checks read the personal fields from the document: make sure it has them.
    REQUIRE(std::count(personal["contacts"].begin(), personal["contacts"].end(), "first_name") == 1);
    REQUIRE(std::count(personal["leads"].begin(), personal["leads"].end(), "notes") == 1);
    REQUIRE(std::count(personal["companies"].begin(), personal["companies"].end(), "notes") == 1);
    REQUIRE(std::count(personal["outcomes"].begin(), personal["outcomes"].end(), "notes") == 1);
    region = Org{"region", w.region_id, &w.staff, 0, {}, {}};
    alpha = Org{"alpha", w.alpha_id, &w.alpha_member, 0, {}, {}};
    beta = Org{"beta", w.beta_id, &w.beta_member, 0, {}, {}};
    for (Org* o : {&region, &alpha, &beta}) {
      o->colleague = id_of(World::create(w.admin, "users",
                                         {{"org_id", o->id},
                                          {"email", "colleague@" + o->name + ".test"},
                                          {"password", "password-of-a-colleague"},
                                          {"display_name", "Colleague"}}));
      for (const std::string& c : record_collections) {
        o->plain[c] = o->make(c, Link::unshared_lead);
        if (shareable.contains(c)) o->shared[c] = o->make(c, Link::shared_lead);
      }
      o->plain["contact-merges"] = o->new_merge();
      o->plain["attachments"] = o->make("attachments", Link::unshared_lead);
      o->shared["attachments"] = o->make("attachments", Link::shared_lead);
    }
    for (Org* o : {&alpha, &beta}) o->plain["share-requests"] = new_share_request(*o);
    region.plain["share-requests"] = new_share_request(beta);
    // Enabled after the objects above, so that delivery starts after them.
    for (Org* o : {&region, &alpha, &beta}) {
      instance_of[o->id] = new_instance(*o, "Journal of " + o->name);
      dead_letter_of[o->id] = new_dead_letter(*o);
    }
  }

  // A request of staff to share a new lead of `of` (a start-up), pending.
  std::int64_t new_share_request(Org& of) {
    const std::int64_t lead = of.make("leads", Link::unshared_lead);
    return id_of(World::create(w.staff, "share-requests", {{"lead_id", lead}, {"message", "Fixture request"}}));
  }

  // A journal instance of `org`, enabled by the admin, that answers INVALID to every
  // company.created event (and is sent nothing else): each company the organisation
  // creates becomes one of its dead letters at once.
  std::int64_t new_instance(const Org& org, const std::string& name) {
    return id_of(World::create(w.admin, "plugin-instances",
                               {{"plugin", journal_plugin},
                                {"name", name},
                                {"org_id", org.id},
                                {"events", json::array{"company.created"}},
                                {"settings", {{"reject", "company.created"}}}}));
  }

  std::string dead_letters_of(const Org& org) const {
    return "/api/v1/plugin-instances/" + std::to_string(instance_of.at(org.id)) + "/dead-letters";
  }

  // A new dead letter of the organisation's instance: the event id of a company it just
  // rejected, once the instance lists it.
  std::int64_t new_dead_letter(Org& org) {
    const auto company = id_of(World::create(
        *org.writer, "companies", {{"name", "Rejected company " + std::to_string(++counter)}}));
    std::int64_t event = 0;
    const bool listed = eventually([&] {
      for (const json::object& d : list_all(w.admin, dead_letters_of(org))) {
        if (d.contains("entity_id") && d.at("entity_id") == company && d.at("type") == "company.created") {
          event = d.at("event_id").as_int64();
          return true;
        }
      }
      return false;
    });
    INFO("the company " << company << " of " << org.name << " never became a dead letter of "
                        << dead_letters_of(org));
    REQUIRE(listed);
    return event;
  }

  // Waits until the instance delivers (a reload after a change is asynchronous): a replay
  // of an instance that does not deliver answers 409.
  void wait_delivering(std::int64_t instance) {
    std::string state;
    const bool delivering = eventually([&] {
      auto r = w.admin.get("/api/v1/plugin-instances/" + std::to_string(instance));
      if (r.status != 200) return false;
      state = std::string(r.json().at("delivery").at("state").as_string());
      return state == "idle" || state == "delivering";
    });
    INFO("plugin instance " << instance << " is " << state);
    REQUIRE(delivering);
  }

  std::vector<Caller> callers() {
    return {
        Caller{"member", &w.alpha_member, &w.alpha_member, &alpha, &beta, &Row::member, false},
        Caller{"org-admin", &w.alpha_admin, &w.alpha_admin, &alpha, &beta, &Row::org_admin, false},
        Caller{"staff", &w.staff, &w.staff, &region, &alpha, &Row::staff, false},
        Caller{"admin", &w.admin, &w.admin, &region, &alpha, &Row::admin, false},
        Caller{"anonymous", &anonymous, &w.alpha_member, &alpha, &beta, &Row::anonymous, false},
    };
  }

  std::string new_token(HttpClient& as, const std::string& scope) {
    auto t = World::create(as, "tokens", {{"name", "tenancy"}, {"scope", scope}});
    return std::string(t.at("token").as_string());
  }

  // The id the call of `row` by `c` uses in `col`. DELETE gets a new object each time so
  // that no call depends on an earlier one.
  std::int64_t target(const Row& row, Caller& c, Column col) {
    if (col == Column::missing) return missing_id;
    Org& org = col == Column::own ? *c.own : *c.other;
    const std::string coll = collection_of(row.path);
    if (coll == "organisations") return org.id;
    if (coll == "users") return org.colleague;
    if (coll == "tokens") {
      HttpClient& as = col == Column::own ? *c.writer : *org.writer;
      return id_of(World::create(as, "tokens", {{"name", "to revoke"}}));
    }
    if (coll == "imports") {
      HttpClient& as = col == Column::own ? *c.writer : *org.writer;
      auto r = as.request("POST", "/api/v1/imports", import_csv(), {{"Content-Type", "text/csv"}});
      REQUIRE(r.status == 202);
      return id_of(r.json().as_object());
    }
    if (coll == "contact-merges") return row.path.ends_with("/undo") ? org.new_merge() : org.plain.at(coll);
    if (coll == "exchange-rates") return id_of(World::create(w.staff, coll, new_rate()));
    // An answer is given once: each call answers a new request.
    if (coll == "share-requests" && row.path.ends_with("/answer"))
      return new_share_request(&org == &region ? beta : org);
    if (coll == "plugin-instances") {
      if (row.method == "DELETE" && row.path == "/api/v1/plugin-instances/{id}")
        return new_instance(org, "To remove " + std::to_string(++counter));
      return instance_of.at(org.id);
    }
    if (row.method == "DELETE")
      return org.make(coll, col == Column::own     ? Link::none
                            : col == Column::other ? Link::unshared_lead
                                                   : Link::shared_lead);
    return col == Column::shared ? org.shared.at(coll) : org.plain.at(coll);
  }

  // The path the call of `row` by `c` in `col` goes to. The first {id} is target()'s; a
  // second one (the dead-letter routes) is a dead letter of that same instance, a new one
  // for each DELETE. In the "missing" column, every id is missing.
  std::string target_path(const Row& row, Caller& c, Column col) {
    if (col == Column::missing) return with_id(row.path, missing_id);
    const std::int64_t id = target(row, c, col);
    std::string path(row.path);
    fill_id(path, id);
    if (has_id(path)) {
      if (collection_of(row.path) != "plugin-instances")
        throw std::logic_error("the test has no second id for " + std::string(row.path));
      Org& org = col == Column::own ? *c.own : *c.other;
      fill_id(path, row.method == "DELETE" ? new_dead_letter(org) : dead_letter_of.at(org.id));
    }
    if (collection_of(row.path) == "plugin-instances" && row.path.ends_with("/replay")) wait_delivering(id);
    return path;
  }

  // A body that passes validation, so that the status reflects permissions only.
  std::optional<json::object> body_for(const Row& row) {
    const std::string coll = collection_of(row.path);
    const std::string n = std::to_string(++counter);
    if (row.method == "POST") {
      if (row.path == "/api/v1/auth/login")
        return json::object{{"email", "member@alpha.test"}, {"password", "password-of-member@alpha.test"}};
      if (row.path == "/api/v1/auth/logout") return std::nullopt;
      if (row.path == "/api/v1/auth/password-reset") return json::object{{"email", "nobody-" + n + "@tenancy.test"}};
      if (row.path == "/api/v1/auth/password")
        return json::object{{"token", "rl_not-a-link-" + n}, {"password", "a-new-password-" + n}};
      if (row.path.ends_with("/password-link")) return std::nullopt;
      if (coll == "tokens") return json::object{{"name", "new token " + n}};
      if (coll == "users")
        return json::object{{"email", "new-" + n + "@tenancy.test"},
                            {"password", "password-of-a-new-user"},
                            {"display_name", "New user " + n}};
      if (coll == "organisations") return json::object{{"name", "Organisation " + n}};
      if (coll == "contacts") return json::object{{"first_name", "New"}, {"last_name", "Contact " + n}};
      if (coll == "companies") return json::object{{"name", "New company " + n}};
      if (coll == "leads") return json::object{{"title", "New lead " + n}};
      if (coll == "activities") return json::object{{"kind", "note"}, {"subject", "New " + n}};
      if (coll == "followups")
        return json::object{{"title", "New follow-up " + n}, {"due_at", "2031-02-01T09:00:00Z"}};
      if (coll == "outcomes") return json::object{{"kind", "pilot"}};
      if (coll == "events") return json::object{{"name", "New fair " + n}};
      if (coll == "cadence_rules") return json::object{{"kind", "stale-stage"}, {"stage", "contacted"}, {"days", 14}};
      if (coll == "exchange-rates") return new_rate();
      if (row.path == "/api/v1/plugin-instances")
        return json::object{{"plugin", journal_plugin}, {"name", "New instance " + n}};
      if (coll == "plugin-instances" && row.path.ends_with("/test")) return json::object{{"to", "lea@alpha.test"}};
      if (coll == "plugin-instances" && row.path.ends_with("/skip")) return json::object{{"to", 1}};
      if (coll == "plugin-instances") return std::nullopt;  // resume, replays
      if (coll == "contact-merges") return std::nullopt;    // undo
      if (row.path == "/api/v1/share-requests")
        return json::object{{"lead_id", alpha.make("leads", Link::unshared_lead)}, {"message", "New request " + n}};
      if (coll == "share-requests") return json::object{{"accept", false}, {"reason", "Not now " + n}};
    } else if (row.method == "PATCH") {
      if (coll == "users") return json::object{{"display_name", "Renamed " + n}};
      if (coll == "organisations") return json::object{{"default_region", "FR"}};
      if (coll == "contacts") return json::object{{"city", "Lyon " + n}};
      if (coll == "companies") return json::object{{"sector", "Robotics " + n}};
      if (coll == "leads") return json::object{{"title", "Renamed lead " + n}};
      if (coll == "activities") return json::object{{"subject", "Renamed " + n}};
      if (coll == "followups") return json::object{{"title", "Renamed follow-up " + n}};
      if (coll == "outcomes") return json::object{{"jobs", 3}};
      if (coll == "events") return json::object{{"city", "Grenoble " + n}};
      if (coll == "cadence_rules") return json::object{{"days", 21}};
      if (coll == "exchange-rates") return json::object{{"rate", "0.8" + n}};
      if (coll == "plugin-instances") return json::object{{"name", "Renamed instance " + n}};
    } else {
      return std::nullopt;  // GET, DELETE
    }
    throw std::logic_error("the test has no body for " + std::string(row.method) + " " +
                           std::string(row.path));
  }

  // A rate of the region's table, of a day no other has (one rate per currency and day).
  json::object new_rate() {
    const int n = ++counter;
    char from[32];
    std::snprintf(from, sizeof from, "%04d-%02d-%02d", 1990 + n / 336, 1 + n / 28 % 12, 1 + n % 28);
    return json::object{{"currency", "GBP"}, {"rate", "1.1" + std::to_string(n)}, {"valid_from", from}};
  }

  // A one-row CSV file that imports (a new contact each time).
  std::string import_csv() { return "First Name,Email\nAnn,ann-" + std::to_string(++counter) + "@import.test\n"; }

  HttpResponse send(const Row& row, Caller& c, const std::string& target_path) {
    if (row.path == "/api/v1/contacts/{id}/merge") {
      // The duplicate: a new contact of the caller's own organisation, so that the answer
      // says what the caller may do to the contact in the path.
      const json::object body{{"duplicate_id", c.own->make("contacts", Link::none)}};
      return c.http->request("POST", target_path, json::serialize(body));
    }
    if (row.method == "POST" && row.path == "/api/v1/contacts/{id}/attachments")
      return c.http->request("POST", target_path, card_png(), {{"Content-Type", "image/png"}});
    if (row.method == "POST" && (row.path == "/api/v1/imports" || row.path == "/api/v1/import-columns"))
      return c.http->request("POST", target_path, import_csv(), {{"Content-Type", "text/csv"}});
    const auto body = body_for(row);
    const std::string text = body ? json::serialize(*body) : std::string();
    if (row.path == "/api/v1/auth/logout" && !c.http->token().empty()) {
      // Logging out revokes the token it is sent with: use a throw-away one.
      HttpClient once =
          client_with(w.daemon.port(), new_token(*c.writer, c.read_only ? "read" : "read-write"));
      return once.request(std::string(row.method), target_path, text);
    }
    return c.http->request(std::string(row.method), target_path, text);
  }
};

std::string clip(const std::string& s) { return s.size() > 600 ? s.substr(0, 600) + "..." : s; }

// Checks one answer against its cell; returns false when the status differs.
bool check_answer(const HttpResponse& r, int expected, bool read_of_object,
                  const std::vector<std::string>& personal) {
  const int status = expected == red ? 200 : expected;
  CHECK(r.status == status);
  if (r.status != status) return false;
  if (status >= 400) {
    CHECK(r.header("content-type").rfind("application/problem+json", 0) == 0);
    json::value v;
    REQUIRE_NOTHROW(v = r.json());
    REQUIRE(v.is_object());
    CHECK(v.as_object().contains("title"));
    CHECK(v.at("status") == status);
    if (status == 401) CHECK(r.header("www-authenticate").rfind("Bearer", 0) == 0);
  }
  if (read_of_object && status == 200) {
    const json::object o = r.json().as_object();
    if (expected == red) {
      CHECK(o.contains("redacted"));
      if (o.contains("redacted")) CHECK(o.at("redacted") == true);
      for (const std::string& f : personal) {
        INFO("personal field " << f << " must be absent");
        CHECK_FALSE(o.contains(f));
      }
    } else {
      CHECK_FALSE(o.contains("redacted"));
    }
  }
  return true;
}

// Runs every row of `row` for `c`: the call without {id}, or the four objects with one.
void run_row(Tenancy& t, const Row& row, Caller& c, Cells expect) {
  const std::string coll = collection_of(row.path);
  const auto personal_it = t.personal.find(coll);
  const std::vector<std::string> no_fields;
  const auto& personal = personal_it == t.personal.end() ? no_fields : personal_it->second;
  if (!has_id(row.path)) {
    const HttpResponse r = t.send(row, c, with_id(row.path, missing_id));  // no id to fill
    INFO(c.name << " -> " << row.method << " " << row.path << ": expected "
                << describe(expect.own) << ", got " << r.status << " " << clip(r.body));
    check_answer(r, expect.own, false, personal);
    return;
  }
  const HttpResponse missing = t.send(row, c, with_id(row.path, missing_id));
  {
    INFO(c.name << " -> " << row.method << " " << row.path << " on " << column_name(Column::missing)
                << ": expected " << describe(expect.missing) << ", got " << missing.status << " "
                << clip(missing.body));
    check_answer(missing, expect.missing, false, personal);
  }
  for (Column col : {Column::other, Column::shared, Column::own}) {
    const int cell = cell_of(expect, col);
    if (cell == na) continue;
    const std::string path = t.target_path(row, c, col);
    const HttpResponse r = t.send(row, c, path);
    INFO(c.name << " -> " << row.method << " " << path << " (" << row.path
                << ") on " << column_name(col) << ": expected " << describe(cell) << ", got "
                << r.status << " " << clip(r.body));
    // An import's report and a contact's file are not JSON objects.
    const bool object = row.method == "GET" && !row.path.ends_with("/report") && row.path != "/api/v1/attachments/{id}";
    const bool status_ok = check_answer(r, cell, object, personal);
    if (status_ok && cell == nf && col != Column::own) {
      INFO("another organisation's object must answer exactly like a missing one: "
           << clip(missing.body));
      CHECK(r.status == missing.status);
      CHECK(r.body == missing.body);
      CHECK(r.header("content-type") == missing.header("content-type"));
    }
  }
}

// Runs the whole table for `callers`, in the order of the OpenAPI document. An operation
// without a row fails.
void run_table(Tenancy& t, std::vector<Caller>& callers) {
  for (const Operation& op : t.operations) {
    const Row* row = find_row(op.method, op.path);
    if (!row) {
      FAIL_CHECK("the tenancy table has no row for " << op.method << " " << op.path
                                                    << ": add one saying what each role gets");
      continue;
    }
    for (Caller& c : callers) {
      const Cells normal = (*row).*(c.column);
      run_row(t, *row, c, c.read_only ? read_only(*row, normal) : normal);
    }
  }
}

// The body with the number `id` (as a whole number, not a part of one) replaced by "<id>".
std::string problem_detail_without(const HttpResponse& r, std::int64_t id) {
  const std::string& body = r.body;
  const std::string needle = std::to_string(id);
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string out;
  std::size_t i = 0;
  while (i < body.size()) {
    if (body.compare(i, needle.size(), needle) == 0 && (i == 0 || !digit(body[i - 1])) &&
        (i + needle.size() == body.size() || !digit(body[i + needle.size()]))) {
      out += "<id>";
      i += needle.size();
    } else {
      out += body[i++];
    }
  }
  return out;
}

// Every item of a list, following the cursors.
std::vector<json::object> list_all(HttpClient& as, const std::string& path) {
  std::vector<json::object> out;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    std::string target = path + (path.find('?') == std::string::npos ? "?" : "&") + "limit=200";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto r = as.get(target);
    INFO("GET " << target << " -> " << r.status << " " << clip(r.body));
    REQUIRE(r.status == 200);
    auto page_doc = r.json().as_object();
    for (const auto& item : page_doc.at("items").as_array()) out.push_back(item.as_object());
    if (page_doc.at("next_cursor").is_null()) break;
    cursor = std::string(page_doc.at("next_cursor").as_string());
  }
  return out;
}

bool lists_id(const std::vector<json::object>& items, std::int64_t id) {
  return std::any_of(items.begin(), items.end(),
                     [&](const json::object& o) { return o.at("id").as_int64() == id; });
}

}  // namespace

// ---------------------------------------------------------------------------------------

TEST_CASE("the tenancy table has exactly one row for every operation of the OpenAPI document") {
  TempDir plugin_folder;  // the document of the daemon the table runs against: its formats
  Daemon daemon(plugin_env(plugin_folder));
  daemon.start();
  HttpClient anonymous = daemon.client();
  const auto doc = anonymous.get("/api/v1/openapi.json").json().as_object();
  const auto ops = operations_of(doc);
  REQUIRE(ops.size() > 10);

  for (const Operation& op : ops) {
    INFO("the OpenAPI document has " << op.method << " " << op.path);
    CHECK(find_row(op.method, op.path) != nullptr);
  }
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const Row& row : table) {
    INFO("the table has a row for " << row.method << " " << row.path);
    CHECK(seen.insert({row.method, row.path}).second);  // one row per operation
    const bool documented = std::any_of(ops.begin(), ops.end(), [&](const Operation& op) {
      return op.method == row.method && op.path == row.path;
    });
    CHECK(documented);
    // Well formed: a route with {id} says what happens to every kind of object, and to
    // shared ones exactly where objects can be shared; a route without only has a status.
    const bool id = has_id(row.path);
    const bool can_share = shareable.contains(collection_of(row.path));
    for (Cells Row::*role : {&Row::member, &Row::org_admin, &Row::staff, &Row::admin, &Row::anonymous}) {
      const Cells& c = row.*role;
      CHECK(c.own != na);
      CHECK((c.other != na) == id);
      CHECK((c.missing != na) == id);
      CHECK((c.shared != na) == (id && can_share));
    }
  }
}

TEST_CASE(
    "every route answers every role as the tenancy table says, for objects of its own "
    "organisation, another organisation and none") {
  Tenancy t;
  auto callers = t.callers();
  run_table(t, callers);
}

TEST_CASE("a read-only personal token is refused every write route and reads like its role") {
  Tenancy t;
  std::vector<HttpClient> read_only_clients;
  read_only_clients.reserve(4);
  std::vector<Caller> callers;
  for (Caller& c : t.callers()) {
    if (c.name == "anonymous") continue;
    read_only_clients.push_back(client_with(t.w.daemon.port(), t.new_token(*c.writer, "read")));
    // The token really is read-only, and belongs to the same user.
    auto me = read_only_clients.back().get("/api/v1/me");
    REQUIRE(me.status == 200);
    CHECK(me.json().at("token_scope") == "read");
    c.name += " (read-only token)";
    c.http = &read_only_clients.back();
    c.read_only = true;
    callers.push_back(c);
  }
  run_table(t, callers);
}

TEST_CASE(
    "calls without a valid token to signed-in routes answer 401 with a problem document and "
    "WWW-Authenticate, whatever the id") {
  Daemon daemon;
  daemon.start();
  HttpClient admin = daemon.admin();
  const auto doc = admin.get("/api/v1/openapi.json").json().as_object();
  // A token that worked once and was revoked by logging out.
  HttpClient revoked = daemon.admin();
  REQUIRE(revoked.request("POST", "/api/v1/auth/logout").status == 204);

  HttpClient nobody = daemon.client();
  HttpClient bogus = client_with(daemon.port(), "not-a-token-this-server-gave");
  HttpClient malformed = daemon.client();  // an Authorization header that is not Bearer
  struct Attempt {
    const char* who;
    HttpClient* http;
    Headers headers;
  };
  std::vector<Attempt> attempts{{"no token", &nobody, {}},
                                {"an unknown token", &bogus, {}},
                                {"a revoked token", &revoked, {}},
                                {"Basic credentials", &malformed, {{"Authorization", "Basic YTpi"}}}};
  for (const Operation& op : operations_of(doc)) {
    const Row* row = find_row(op.method, op.path);
    if (row) {
      // The table's anonymous column agrees with the document's security requirement.
      INFO(op.method << " " << op.path << (op.signed_in ? " requires" : " does not require")
                     << " a token in the OpenAPI document");
      CHECK((row->anonymous.own == auth) == op.signed_in);
    }
    if (!op.signed_in) continue;
    for (std::int64_t id : {std::int64_t{1}, std::int64_t{2}, missing_id}) {
      const std::string target = with_id(op.path, id);
      const std::string body = op.method == "POST" || op.method == "PATCH" ? "{}" : "";
      for (Attempt& a : attempts) {
        auto r = a.http->request(op.method, target, body, a.headers);
        INFO(op.method << " " << target << " with " << a.who << " -> " << r.status << " "
                       << clip(r.body));
        CHECK(r.status == 401);
        CHECK(r.header("content-type").rfind("application/problem+json", 0) == 0);
        CHECK(r.header("www-authenticate").rfind("Bearer", 0) == 0);
        CHECK(r.json().at("status") == 401);
      }
      if (!has_id(op.path)) break;
    }
  }
}

TEST_CASE(
    "every list shows exactly the objects a read by id shows the caller, with the same "
    "redaction") {
  Tenancy t;
  auto callers = t.callers();
  std::vector<std::string> collections;
  for (const Operation& op : t.operations) {
    if (op.method != "GET" || !op.path.ends_with("/{id}")) continue;
    const std::string base = op.path.substr(0, op.path.size() - 5);
    if (std::any_of(t.operations.begin(), t.operations.end(),
                    [&](const Operation& list) { return list.method == "GET" && list.path == base; }))
      collections.push_back(collection_of(op.path));
  }
  REQUIRE(collections.size() >= record_collections.size());

  for (Caller& c : callers) {
    if (c.name == "anonymous") continue;
    for (const std::string& coll : collections) {
      const std::string base = "/api/v1/" + coll;
      // A list the table refuses this role (plugin instances, to members and staff): refused
      // here too, and there is nothing to compare.
      const Row* list_row = find_row("GET", base);
      REQUIRE(list_row);
      if (const int cell = ((*list_row).*(c.column)).own; cell != ok) {
        const auto r = c.http->get(base);
        INFO(c.name << " -> GET " << base << ": expected " << describe(cell) << ", got "
                    << r.status << " " << clip(r.body));
        CHECK(r.status == cell);
        continue;
      }
      const auto items = list_all(*c.http, base);
      std::set<std::int64_t> candidates;
      for (const auto& o : items) candidates.insert(o.at("id").as_int64());
      for (Org* o : {&t.region, &t.alpha, &t.beta}) {
        if (coll == "organisations") candidates.insert(o->id);
        if (coll == "users") candidates.insert(o->colleague);
        if (coll == "plugin-instances") candidates.insert(t.instance_of.at(o->id));
        for (const auto* objects : {&o->plain, &o->shared})
          if (auto it = objects->find(coll); it != objects->end()) candidates.insert(it->second);
      }
      for (std::int64_t id : candidates) {
        auto r = c.http->get(base + "/" + std::to_string(id));
        const bool listed = lists_id(items, id);
        INFO(c.name << " -> GET " << base << "/" << id << " answered " << r.status << " "
                    << clip(r.body) << "; the list " << (listed ? "shows" : "does not show")
                    << " it");
        CHECK((r.status == 200) == listed);
        CHECK((r.status == 200 || r.status == 404));
        if (r.status == 200 && listed) {
          const auto one = r.json().as_object();
          const auto& item = *std::find_if(items.begin(), items.end(), [&](const json::object& o) {
            return o.at("id").as_int64() == id;
          });
          CHECK(one.contains("redacted") == item.contains("redacted"));
          for (const auto& kv : item) {
            INFO("field " << kv.key());
            CHECK(one.contains(kv.key()));
          }
          CHECK(one.size() == item.size());
        }
      }
      // Nothing the caller may not read appears: other organisations' rows only where the
      // table lets this role read them.
      for (const auto& o : items) {
        if (!o.contains("org_id") || coll == "events") continue;
        const std::int64_t org = o.at("org_id").as_int64();
        if (org == c.own->id) continue;
        INFO(c.name << " lists " << coll << " " << o.at("id") << " of organisation " << org);
        const Row* row = find_row("GET", "/api/v1/" + coll + "/{id}");
        REQUIRE(row);
        const Cells cells = (*row).*(c.column);
        const bool may = cells.other == ok || cells.other == red || cells.shared == ok;
        CHECK(may);
      }
    }
  }
}

TEST_CASE(
    "region staff never see the personal data of another organisation's unshared lead, and "
    "see its contact once the lead is shared with the region") {
  World w;
  HttpClient& founder = w.alpha_member;
  const auto company = id_of(World::create(
      founder, "companies", {{"name", "Quixote Ventures"}, {"notes", "founder loves kombucha"}}));
  const auto contact = id_of(World::create(founder, "contacts",
                                           {{"first_name", "Zelda"},
                                            {"last_name", "Marplewood"},
                                            {"emails", json::array{"zelda@marplewood.test"}},
                                            {"phones", json::array{"+16505550123"}},
                                            {"company_id", company},
                                            {"notes", "met at the ferrybuilding"}}));
  const auto lead = id_of(World::create(founder, "leads",
                                        {{"title", "Seed round"},
                                         {"contact_id", contact},
                                         {"company_id", company},
                                         {"notes", "termsheet capped at eight millions"}}));
  const auto activity = id_of(World::create(
      founder, "activities",
      {{"kind", "meeting"}, {"lead_id", lead}, {"contact_id", contact}, {"notes", "zelda hesitant"}}));
  const auto followup = id_of(World::create(
      founder, "followups",
      {{"title", "Send the deck"}, {"due_at", "2031-01-05T17:00:00Z"}, {"lead_id", lead}}));
  const std::vector<std::string> secrets{"Zelda", "Marplewood", "marplewood.test", "6505550123",
                                         "ferrybuilding", "termsheet", "kombucha", "hesitant"};
  auto leaks = [&](const std::string& body) {
    for (const auto& s : secrets)
      if (body.find(s) != std::string::npos) return s;
    return std::string();
  };
  const auto not_found = w.staff.get("/api/v1/contacts/" + std::to_string(missing_id));
  REQUIRE(not_found.status == 404);
  auto ids_in = [](const HttpResponse& r) {
    std::set<std::int64_t> ids;
    const json::value page = r.json();
    for (const auto& item : page.at("items").as_array()) ids.insert(item.at("id").as_int64());
    return ids;
  };
  auto path = [](const char* coll, std::int64_t id) {
    return std::string("/api/v1/") + coll + "/" + std::to_string(id);
  };

  SECTION("while the lead is not shared, staff see the lead and its company without personal data") {
    auto r = w.staff.get(path("leads", lead));
    REQUIRE(r.status == 200);
    CHECK(r.json().at("title") == "Seed round");
    CHECK(r.json().at("redacted") == true);
    CHECK_FALSE(r.json().as_object().contains("notes"));
    CHECK(leaks(r.body).empty());

    r = w.staff.get("/api/v1/leads");
    REQUIRE(r.status == 200);
    CHECK(ids_in(r).contains(lead));
    CHECK(leaks(r.body).empty());
    r = w.staff.get("/api/v1/companies");
    REQUIRE(r.status == 200);
    CHECK(ids_in(r).contains(company));
    CHECK(leaks(r.body).empty());

    // The contact, its activity and its follow-up: not there at all.
    for (auto [coll, id] : {std::pair{"contacts", contact}, std::pair{"activities", activity},
                            std::pair{"followups", followup}}) {
      INFO("staff read " << coll << " " << id);
      r = w.staff.get(path(coll, id));
      CHECK(r.status == 404);
      CHECK(r.body == not_found.body);
      r = w.staff.get(std::string("/api/v1/") + coll);
      REQUIRE(r.status == 200);
      CHECK_FALSE(ids_in(r).contains(id));
      CHECK(leaks(r.body).empty());
    }

    // Searching for personal data finds nothing: it would tell what the hidden fields say.
    for (const char* q : {"zelda", "marplewood", "ferrybuilding", "Zelda%20Marplewood"}) {
      INFO("staff search contacts ?q=" << q);
      r = w.staff.get(std::string("/api/v1/contacts?q=") + q);
      REQUIRE(r.status == 200);
      CHECK(ids_in(r).empty());
    }
    for (auto [coll, q] : {std::pair{"leads", "termsheet"}, std::pair{"companies", "kombucha"},
                           std::pair{"activities", "hesitant"}}) {
      INFO("staff search " << coll << " ?q=" << q << " (a word only in a personal field)");
      r = w.staff.get(std::string("/api/v1/") + coll + "?q=" + q);
      REQUIRE(r.status == 200);
      CHECK(ids_in(r).empty());
    }
    // Words of fields that are not personal still find the lead.
    r = w.staff.get("/api/v1/leads?q=seed");
    REQUIRE(r.status == 200);
    CHECK(ids_in(r).contains(lead));

    SECTION("once the founder shares the lead, staff read its contact, with name and emails") {
      r = founder.patch(path("leads", lead), json::object{{"shared_with_region", true}});
      REQUIRE(r.status == 200);

      r = w.staff.get(path("contacts", contact));
      REQUIRE(r.status == 200);
      CHECK(r.json().at("first_name") == "Zelda");
      CHECK(r.json().at("last_name") == "Marplewood");
      CHECK(r.json().at("emails").as_array() == json::array{"zelda@marplewood.test"});
      CHECK_FALSE(r.json().as_object().contains("redacted"));
      r = w.staff.get("/api/v1/contacts");
      CHECK(ids_in(r).contains(contact));
      r = w.staff.get("/api/v1/contacts?q=zelda");
      CHECK(ids_in(r) == std::set<std::int64_t>{contact});

      r = w.staff.get(path("leads", lead));
      REQUIRE(r.status == 200);
      CHECK(r.json().at("notes") == "termsheet capped at eight millions");
      CHECK_FALSE(r.json().as_object().contains("redacted"));
      CHECK(w.staff.get(path("activities", activity)).status == 200);
      CHECK(w.staff.get(path("followups", followup)).status == 200);

      // Shared with the region, not with other start-ups nor with the instance admin.
      for (HttpClient* outsider : {&w.beta_member, &w.beta_admin, &w.admin}) {
        for (auto [coll, id] : {std::pair{"contacts", contact}, std::pair{"leads", lead},
                                std::pair{"activities", activity}, std::pair{"companies", company}}) {
          INFO("an outsider reads " << coll << " " << id);
          r = outsider->get(path(coll, id));
          CHECK(r.status == 404);
          CHECK(r.body == not_found.body);
        }
        r = outsider->get("/api/v1/contacts?q=zelda");
        REQUIRE(r.status == 200);
        CHECK(ids_in(r).empty());
      }
      // Staff still change none of it.
      CHECK(w.staff.patch(path("contacts", contact), json::object{{"city", "Paris"}}).status == 403);
      CHECK(w.staff.del(path("leads", lead)).status == 403);

      SECTION("and lose it again when the founder stops sharing") {
        r = founder.patch(path("leads", lead), json::object{{"shared_with_region", false}});
        REQUIRE(r.status == 200);
        r = w.staff.get(path("contacts", contact));
        CHECK(r.status == 404);
        CHECK(r.body == not_found.body);
        r = w.staff.get("/api/v1/contacts?q=zelda");
        CHECK(ids_in(r).empty());
        r = w.staff.get(path("leads", lead));
        CHECK(r.json().at("redacted") == true);
        CHECK_FALSE(r.json().as_object().contains("notes"));
      }
    }
  }
}

TEST_CASE(
    "a member revokes only their own tokens, an org-admin any token of the organisation, and "
    "nobody a token of another organisation") {
  World w;
  struct Token {
    std::int64_t id;
    std::string secret;
  };
  auto token_of = [](HttpClient& as) {
    auto t = World::create(as, "tokens", {{"name", "someone's script"}});
    return Token{id_of(t), std::string(t.at("token").as_string())};
  };
  auto revoke = [](HttpClient& as, const Token& t) {
    return as.del("/api/v1/tokens/" + std::to_string(t.id));
  };
  auto works = [&](const Token& t) {
    return client_with(w.daemon.port(), t.secret).get("/api/v1/me").status == 200;
  };
  const auto missing = revoke(w.alpha_member, Token{missing_id, {}});
  REQUIRE(missing.status == 404);

  SECTION("within the organisation") {
    const auto admins = token_of(w.alpha_admin);
    auto r = revoke(w.alpha_member, admins);
    CHECK(r.status == 404);  // a colleague's token is not the member's to see
    CHECK(r.body == missing.body);
    CHECK(works(admins));

    const auto members = token_of(w.alpha_member);
    CHECK(revoke(w.alpha_admin, members).status == 204);
    CHECK_FALSE(works(members));
    CHECK(revoke(w.alpha_admin, members).status == 204);  // twice is harmless

    SECTION("and from outside it") {
      const auto alphas = token_of(w.alpha_admin);
      for (HttpClient* outsider : {&w.beta_admin, &w.beta_member, &w.staff, &w.admin}) {
        r = revoke(*outsider, alphas);
        CHECK(r.status == 404);
        CHECK(r.body == missing.body);
      }
      CHECK(works(alphas));
    }
  }
}

TEST_CASE(
    "an id of another organisation's object in a body is refused exactly like an id that "
    "does not exist") {
  World w;
  Org alpha{"alpha", w.alpha_id, &w.alpha_member, 0, {}, {}};
  Org beta{"beta", w.beta_id, &w.beta_member, 0, {}, {}};
  for (const char* c : {"contacts", "companies", "leads"}) {
    alpha.plain[c] = alpha.make(c, Link::unshared_lead);
    alpha.shared[c] = alpha.make(c, Link::shared_lead);
    beta.plain[c] = beta.make(c, Link::unshared_lead);
  }
  const auto beta_user = w.beta_member.get("/api/v1/me").json().at("id").as_int64();
  const auto own_lead = alpha.plain.at("leads");

  struct Reference {
    const char* collection;
    json::object body;  // without the reference
    const char* field;
    const char* target;  // collection the field points to
  };
  const std::vector<Reference> references{
      {"contacts", {{"first_name", "Ref"}}, "company_id", "companies"},
      {"leads", {{"title", "Ref"}}, "contact_id", "contacts"},
      {"leads", {{"title", "Ref"}}, "company_id", "companies"},
      {"leads", {{"title", "Ref"}}, "owner_id", "users"},
      {"activities", {{"kind", "note"}}, "lead_id", "leads"},
      {"activities", {{"kind", "note"}}, "contact_id", "contacts"},
      {"followups", {{"title", "Ref"}, {"due_at", "2031-01-01T09:00:00Z"}}, "lead_id", "leads"},
      {"followups", {{"title", "Ref"}, {"due_at", "2031-01-01T09:00:00Z"}}, "assignee_id", "users"},
      {"outcomes", {{"kind", "hire"}}, "lead_id", "leads"},
      {"outcomes", {{"kind", "hire"}}, "partner_company_id", "companies"},
  };
  // Who links to what: a founder to the other start-up's objects; staff to a start-up's
  // objects that they can even read (shared, or redacted).
  struct Attempt {
    const char* who;
    HttpClient* as;
    Org* victim;
    bool shared;
  };
  std::vector<Attempt> attempts{{"alpha member", &w.alpha_member, &beta, false},
                                {"staff", &w.staff, &alpha, true},
                                {"staff", &w.staff, &alpha, false}};
  for (const Attempt& a : attempts) {
    for (const Reference& ref : references) {
      std::int64_t foreign = 0;
      if (std::string_view(ref.target) == "users")
        foreign = a.victim == &beta ? beta_user : w.alpha_member.get("/api/v1/me").json().at("id").as_int64();
      else
        foreign = (a.shared ? a.victim->shared : a.victim->plain).at(ref.target);
      json::object with_foreign = ref.body, with_missing = ref.body;
      with_foreign[ref.field] = foreign;
      with_missing[ref.field] = missing_id;
      const std::string coll = std::string("/api/v1/") + ref.collection;
      auto theirs = a.as->post(coll, with_foreign);
      auto nobody = a.as->post(coll, with_missing);
      INFO(a.who << " creates " << ref.collection << " with " << ref.field << " = "
                 << ref.target << " " << foreign << " of " << a.victim->name << ": "
                 << theirs.status << " " << clip(theirs.body) << "; with a missing id: "
                 << nobody.status << " " << clip(nobody.body));
      CHECK(theirs.status == 422);
      CHECK(nobody.status == 422);
      CHECK(problem_detail_without(theirs, foreign) == problem_detail_without(nobody, missing_id));
    }
  }
  // Changing an own object to point at another organisation's: same answer.
  auto theirs = w.alpha_member.patch("/api/v1/leads/" + std::to_string(own_lead),
                                     json::object{{"contact_id", beta.plain.at("contacts")}});
  auto nobody = w.alpha_member.patch("/api/v1/leads/" + std::to_string(own_lead),
                                     json::object{{"contact_id", missing_id}});
  INFO(theirs.body << " / " << nobody.body);
  CHECK(theirs.status == 422);
  CHECK(problem_detail_without(theirs, beta.plain.at("contacts")) ==
        problem_detail_without(nobody, missing_id));
}

TEST_CASE(
    "another start-up's event is refused as a reference exactly like an event that does not "
    "exist, the region's events are not, and an event's owner can always delete it") {
  World w;
  // A start-up's event is its own: another start-up neither reads nor uses it; the region's
  // are there for all to use.
  const auto betas = id_of(World::create(w.beta_member, "events", {{"name", "Beta's own fair"}}));
  const auto regions = id_of(World::create(w.staff, "events", {{"name", "The region's mission"}}));
  REQUIRE(w.alpha_member.get("/api/v1/events/" + std::to_string(betas)).status == 404);
  const std::int64_t missing_id = 987654321;
  const auto own_lead = id_of(World::create(w.alpha_member, "leads", {{"title", "Own lead"}}));
  const auto own_rule = id_of(World::create(w.alpha_member, "cadence_rules", {{"kind", "after-meeting"}, {"days", 3}}));

  struct Reference {
    const char* collection;
    json::object body;  // without the reference
    const char* field;
  };
  const std::vector<Reference> references{
      {"contacts", {{"first_name", "Met"}}, "source_event_id"},
      {"leads", {{"title", "Met"}}, "source_event_id"},
      {"cadence_rules", {{"kind", "mission-deadline"}, {"days", 7}}, "event_id"},
  };
  for (const Reference& ref : references) {
    const std::string coll = std::string("/api/v1/") + ref.collection;
    auto with = [&](std::int64_t event) {
      json::object body = ref.body;
      body[ref.field] = event;
      return body;
    };
    auto theirs = w.alpha_member.post(coll, with(betas));
    auto nobody = w.alpha_member.post(coll, with(missing_id));
    INFO(ref.collection << "." << ref.field << ": " << theirs.status << " " << clip(theirs.body)
                        << "; with a missing id: " << nobody.status << " " << clip(nobody.body));
    CHECK(theirs.status == 422);
    CHECK(nobody.status == 422);
    CHECK(problem_detail_without(theirs, betas) == problem_detail_without(nobody, missing_id));
    CHECK(theirs.json().at("field") == ref.field);
    CHECK(w.alpha_member.post(coll, with(regions)).status == 201);
  }
  // Changing an own record to point at it: the same.
  for (const auto& [path, field] : {std::pair{"/api/v1/leads/" + std::to_string(own_lead), "source_event_id"},
                                    std::pair{"/api/v1/cadence_rules/" + std::to_string(own_rule), "event_id"}}) {
    auto theirs = w.alpha_member.patch(path, json::object{{field, betas}});
    auto nobody = w.alpha_member.patch(path, json::object{{field, missing_id}});
    INFO(path << ": " << theirs.body << " / " << nobody.body);
    CHECK(theirs.status == 422);
    CHECK(problem_detail_without(theirs, betas) == problem_detail_without(nobody, missing_id));
  }
  // Nothing of alpha's points at beta's fair, so beta deletes it.
  CHECK(w.beta_member.del("/api/v1/events/" + std::to_string(betas)).status == 204);
  CHECK(w.alpha_member.get("/api/v1/events/" + std::to_string(betas)).status == 404);
}

TEST_CASE(
    "on the dead-letter routes the event id must be a dead letter of that very instance, and a "
    "replay of an instance that does not deliver answers 409") {
  TempDir folder;
  World w(plugin_env(folder));
  auto enable = [&](std::int64_t org, const std::string& name, const char* reject) {
    return id_of(World::create(w.admin, "plugin-instances",
                               {{"plugin", journal_plugin},
                                {"name", name},
                                {"org_id", org},
                                {"events", json::array{"company.created"}},
                                {"settings", {{"reject", reject}}}}));
  };
  const std::int64_t alphas = enable(w.alpha_id, "alpha journal", "company.created");
  const std::int64_t alphas_second = enable(w.alpha_id, "alpha second journal", "");  // accepts it
  const std::int64_t betas = enable(w.beta_id, "beta journal", "company.created");
  auto letters = [](std::int64_t instance) {
    return "/api/v1/plugin-instances/" + std::to_string(instance) + "/dead-letters";
  };
  const auto company = id_of(World::create(w.alpha_member, "companies", {{"name", "Rejected"}}));
  std::int64_t letter = 0;
  REQUIRE(eventually([&] {
    for (const json::object& d : list_all(w.alpha_admin, letters(alphas)))
      if (d.at("entity_id") == company) letter = d.at("event_id").as_int64();
    return letter != 0;
  }));
  // Both of Alpha's instances are sent the event; only the first makes it a dead letter.
  REQUIRE(eventually([&] {
    const auto second = w.alpha_admin.get("/api/v1/plugin-instances/" + std::to_string(alphas_second));
    return second.json().at("delivery").at("pending").as_int64() == 0 &&
           second.json().at("delivery").at("delivered_since_start").as_int64() == 1;
  }));
  CHECK(list_all(w.alpha_admin, letters(alphas_second)).empty());
  const std::string one = "/" + std::to_string(letter);
  const std::string none = "/" + std::to_string(missing_id);

  for (HttpClient* manager : {&w.alpha_admin, &w.admin}) {
    // The dead letter through another instance of the same organisation, and an event id
    // that is no dead letter at all, on an instance the caller manages: 404.
    for (const std::string& path : {letters(alphas_second) + one, letters(alphas) + none}) {
      auto r = manager->post(path + "/replay", json::object{});
      INFO("POST " << path << "/replay -> " << r.status << " " << clip(r.body));
      CHECK(r.status == 404);
      r = manager->del(path);
      INFO("DELETE " << path << " -> " << r.status << " " << clip(r.body));
      CHECK(r.status == 404);
    }
  }
  // Alpha's dead letter through Beta's instance: the admin manages both, and it is not one
  // of Beta's dead letters.
  CHECK(w.admin.post(letters(betas) + one + "/replay", json::object{}).status == 404);
  CHECK(w.admin.del(letters(betas) + one).status == 404);
  CHECK(w.alpha_admin.post(letters(alphas) + one + "/replay", json::object{}).status == 202);

  // Disabled, the instance does not deliver: replays answer 409 once the daemon has stopped
  // it (the reload is asynchronous), while the dead letter can still be dropped.
  REQUIRE(w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(alphas),
                              json::object{{"enabled", false}}).status == 200);
  CHECK(eventually([&] {
    return w.alpha_admin.post(letters(alphas) + "/replay", json::object{}).status == 409;
  }));
  auto r = w.alpha_admin.post(letters(alphas) + one + "/replay", json::object{});
  INFO(r.body);
  CHECK(r.status == 409);
  CHECK(r.header("content-type").rfind("application/problem+json", 0) == 0);
  CHECK(w.alpha_admin.post(letters(alphas) + none + "/replay", json::object{}).status == 404);
  CHECK(w.alpha_admin.del(letters(alphas) + one).status == 204);
  CHECK(w.alpha_admin.del(letters(alphas) + one).status == 404);
}

// ---------------------------------------------------------------------------------------
// Accounts: who changes which account, field by field (docs/api.md, "Users and roles").
//
// A user changes only accounts at or below their own role, never an admin's unless they
// are one: an org-admin manages the members and org-admins of their own organisation, the
// instance admin everyone (staff accounts included), members and staff only themselves.
// On one's own account, the role and the disabled flag are another administrator's, the
// email an org-admin's, and a new password needs the current one. A refused change of a
// visible account is 403 and changes nothing; an account the caller cannot see is 404.

namespace {

constexpr int clash = 409;

// The changes tried, one column each. "role" moves the target to another role the caller
// could give (a member to org-admin, anyone else to member); "role=admin" tries to raise
// the target to admin. "password" is a reset of someone else's password, or the change of
// one's own with the right current_password.
constexpr std::array<std::string_view, 9> account_changes{
    "email", "display_name", "locale", "time_zone", "role",
    "role=admin", "disabled", "password", "DELETE"};

using AccountCells = std::array<int, account_changes.size()>;

struct AccountRow {
  std::string_view actor;   // "member", "org-admin" (of Alpha), "region org-admin", "staff", "admin"
  std::string_view target;  // a role of the actor's organisation (staff and admin: the region's),
                            // "self", or "other org" (a member of Beta)
  AccountCells expect;
};

constexpr AccountCells all(int status) {
  AccountCells a{};
  a.fill(status);
  return a;
}

// What a member and staff do to their own account: their name, locale, time zone and
// password; an org-admin and the admin their email too.
constexpr AccountCells self_without_email{deny, ok, ok, ok, deny, deny, deny, ok, clash};
constexpr AccountCells self_with_email{ok, ok, ok, ok, deny, deny, deny, ok, clash};

// clang-format off
const std::vector<AccountRow> account_table = {
  // A start-up's member: only themselves; colleagues are visible (403), the rest hidden.
  {"member",           "member",    all(deny)},
  {"member",           "org-admin", all(deny)},
  {"member",           "staff",     all(nf)},
  {"member",           "admin",     all(nf)},
  {"member",           "self",      self_without_email},
  {"member",           "other org", all(nf)},
  // A start-up's org-admin: its members and org-admins, never above org-admin.
  {"org-admin",        "member",    {ok, ok, ok, ok, ok, deny, ok, ok, ok}},
  {"org-admin",        "org-admin", {ok, ok, ok, ok, ok, deny, ok, ok, ok}},
  {"org-admin",        "staff",     all(nf)},
  {"org-admin",        "admin",     all(nf)},
  {"org-admin",        "self",      self_with_email},
  {"org-admin",        "other org", all(nf)},
  // The region's org-admin sees the staff and the instance admin, and changes neither.
  {"region org-admin", "member",    {ok, ok, ok, ok, ok, deny, ok, ok, ok}},
  {"region org-admin", "org-admin", {ok, ok, ok, ok, ok, deny, ok, ok, ok}},
  {"region org-admin", "staff",     all(deny)},
  {"region org-admin", "admin",     all(deny)},
  {"region org-admin", "self",      self_with_email},
  {"region org-admin", "other org", all(nf)},
  // Staff: only themselves, even among the staff.
  {"staff",            "member",    all(deny)},
  {"staff",            "org-admin", all(deny)},
  {"staff",            "staff",     all(deny)},
  {"staff",            "admin",     all(deny)},
  {"staff",            "self",      self_without_email},
  {"staff",            "other org", all(deny)},  // staff see start-ups' users (names, roles)
  // The instance admin: everyone, another admin included; their own role and disabled
  // flag are another admin's to change.
  {"admin",            "member",    all(ok)},
  {"admin",            "org-admin", all(ok)},
  {"admin",            "staff",     all(ok)},
  {"admin",            "admin",     all(ok)},
  {"admin",            "self",      self_with_email},
  {"admin",            "other org", all(ok)},
};
// clang-format on

struct AccountActor {
  std::string name;
  HttpClient* http;
  std::string password;
  bool of_startup;  // Alpha's; otherwise the region's
  std::int64_t id = 0;
};

std::string user_path(std::int64_t id) { return "/api/v1/users/" + std::to_string(id); }

}  // namespace

TEST_CASE(
    "every role changes exactly the accounts at or below its own, field by field, and a "
    "refused change changes nothing") {
  World w;
  HttpClient region_admin = w.add_user(w.region_id, "orgadmin@region.test", "org-admin");
  auto new_user = [&](std::int64_t org, const std::string& email, const std::string& role) {
    return id_of(World::create(w.admin, "users",
                               {{"org_id", org},
                                {"email", email},
                                {"role", role},
                                {"password", "password-of-a-target"},
                                {"display_name", "Target " + email}}));
  };
  // The targets: accounts no test logs in as, one of each role where it can be.
  const std::map<std::string_view, std::int64_t> alpha_targets{
      {"member", new_user(w.alpha_id, "member.target@alpha.test", "member")},
      {"org-admin", new_user(w.alpha_id, "admin.target@alpha.test", "org-admin")}};
  const std::map<std::string_view, std::int64_t> region_targets{
      {"member", new_user(w.region_id, "member.target@region.test", "member")},
      {"org-admin", new_user(w.region_id, "admin.target@region.test", "org-admin")}};
  const std::int64_t staff_target = new_user(w.region_id, "staff.target@region.test", "staff");
  const std::int64_t admin_target = new_user(w.region_id, "admin.target@relance.test", "admin");
  const std::int64_t other_org_target = new_user(w.beta_id, "member.target@beta.test", "member");

  std::vector<AccountActor> actors{
      {"member", &w.alpha_member, "password-of-member@alpha.test", true},
      {"org-admin", &w.alpha_admin, "password-of-admin@alpha.test", true},
      {"region org-admin", &region_admin, "password-of-orgadmin@region.test", false},
      {"staff", &w.staff, "password-of-staff@region.test", false},
      {"admin", &w.admin, admin_password, false},
  };
  for (AccountActor& a : actors) a.id = a.http->get("/api/v1/me").json().at("id").as_int64();
  auto actor_named = [&](std::string_view name) -> AccountActor& {
    for (AccountActor& a : actors)
      if (a.name == name) return a;
    throw std::logic_error("no actor " + std::string(name));
  };
  auto target_of = [&](const AccountActor& a, std::string_view target) {
    if (target == "self") return a.id;
    if (target == "staff") return staff_target;
    if (target == "admin") return admin_target;
    if (target == "other org") return other_org_target;
    return (a.of_startup ? alpha_targets : region_targets).at(target);
  };

  int counter = 0;
  for (const AccountRow& row : account_table) {
    AccountActor& actor = actor_named(row.actor);
    const std::int64_t target = target_of(actor, row.target);
    const std::string path = user_path(target);
    const auto missing = actor.http->patch(user_path(missing_id), json::object{{"display_name", "x"}});
    REQUIRE(missing.status == 404);
    for (std::size_t col = 0; col < account_changes.size(); ++col) {
      const std::string_view change = account_changes[col];
      const int expected = row.expect[col];
      // The target as the instance admin reads it, before and after.
      const json::object before = w.admin.get(path).json().as_object();
      const std::string n = std::to_string(++counter);
      json::object body;
      if (change == "email") body = {{"email", "changed-" + n + "@accounts.test"}};
      else if (change == "display_name") body = {{"display_name", "Renamed " + n}};
      else if (change == "locale") body = {{"locale", "fr"}};  // the targets have none
      else if (change == "time_zone") body = {{"time_zone", "Asia/Tokyo"}};
      else if (change == "role")
        body = {{"role", before.at("role") == "member" ? "org-admin" : "member"}};
      else if (change == "role=admin") body = {{"role", "admin"}};
      else if (change == "disabled") body = {{"disabled", true}};
      else if (change == "password" && row.target == "self")
        body = {{"password", actor.password}, {"current_password", actor.password}};
      else if (change == "password") body = {{"password", "a-replacement-password-" + n}};
      const auto r = change == "DELETE" ? actor.http->del(path) : actor.http->patch(path, body);
      const json::object after = w.admin.get(path).json().as_object();
      INFO(row.actor << " changes " << change << " of " << row.target << " (user " << target
                     << ") with " << (change == "DELETE" ? "DELETE" : json::serialize(body))
                     << ": expected " << expected << ", got " << r.status << " " << clip(r.body));
      CHECK(r.status == expected);
      if (r.status >= 400) CHECK(r.header("content-type").rfind("application/problem+json", 0) == 0);
      if (expected == nf) CHECK(r.body == missing.body);
      if (expected != ok) {
        INFO("the target before: " << json::serialize(before) << "; after: " << json::serialize(after));
        CHECK(after == before);
        continue;
      }
      // Accepted: written, unless it asked for what already was (an admin made admin).
      const bool no_op = change == "role=admin" && before.at("role") == "admin";
      CHECK(after.at("version").as_int64() == before.at("version").as_int64() + (no_op ? 0 : 1));
      // Put back what the change moved, as the admin, so that the next change starts from
      // the same account (a password stays changed: nobody logs in as a target).
      auto value_of = [](const json::object& o, const char* field) {
        return o.contains(field) ? o.at(field) : json::value();
      };
      json::object restore;
      for (const char* field : {"email", "display_name", "locale", "time_zone", "role", "disabled"})
        if (value_of(after, field) != value_of(before, field)) restore[field] = value_of(before, field);
      if (!restore.empty()) {
        const auto put_back = w.admin.patch(path, restore);
        INFO("putting back " << json::serialize(restore) << ": " << put_back.status << " "
                             << clip(put_back.body));
        REQUIRE(put_back.status == 200);
      }
    }
  }
  // The callers themselves still work: a change of one's own password keeps the session
  // that made it.
  for (AccountActor& a : actors) CHECK(a.http->get("/api/v1/me").status == 200);
}

TEST_CASE(
    "an org-admin of the region cannot take over the instance admin or a staff account, and "
    "the admin still logs in with their password") {
  World w;
  HttpClient region_admin = w.add_user(w.region_id, "orgadmin@region.test", "org-admin");
  const std::int64_t admin_id = w.admin.get("/api/v1/me").json().at("id").as_int64();
  const std::int64_t staff_id = w.staff.get("/api/v1/me").json().at("id").as_int64();
  for (const std::int64_t victim : {admin_id, staff_id}) {
    const std::string path = user_path(victim);
    const std::string as_it_was = w.admin.get(path).body;
    for (const json::object& body : {json::object{{"password", "taken-over-password"}},
                                     json::object{{"email", "attacker@region.test"}},
                                     json::object{{"role", "member"}},
                                     json::object{{"disabled", true}}}) {
      const auto r = region_admin.patch(path, body);
      INFO("user " << victim << ": " << json::serialize(body) << " -> " << r.status << " " << r.body);
      CHECK(r.status == 403);
      CHECK(r.json().at("detail").as_string().find("only the instance admin") != json::string::npos);
    }
    CHECK(region_admin.del(path).status == 403);
    CHECK(w.admin.get(path).body == as_it_was);
  }
  // The admin's password and sessions are as they were.
  CHECK(w.admin.get("/api/v1/me").status == 200);
  CHECK(w.daemon.client().post("/api/v1/auth/login",
                               json::object{{"email", admin_email}, {"password", admin_password}})
            .status == 200);
  CHECK(w.daemon.client().post("/api/v1/auth/login",
                               json::object{{"email", admin_email}, {"password", "taken-over-password"}})
            .status == 401);
  // Nor can the region's org-admin raise anyone, themselves included, to staff or admin.
  const std::int64_t own_id = region_admin.get("/api/v1/me").json().at("id").as_int64();
  const std::int64_t member = id_of(World::create(
      region_admin, "users", {{"email", "member@region.test"}, {"password", "password-of-a-member"}}));
  for (const std::int64_t whom : {own_id, member})
    for (const char* role : {"staff", "admin"})
      CHECK(region_admin.patch(user_path(whom), json::object{{"role", role}}).status == 403);
  CHECK(region_admin.post("/api/v1/users", json::object{{"email", "new.admin@region.test"},
                                                        {"password", "password-of-an-admin"},
                                                        {"role", "admin"}})
            .status == 403);
}
