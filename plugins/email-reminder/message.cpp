// The two emails: see message.hpp. Texts in English and French (Words), the text and HTML
// bodies written side by side by one Writer so that they say the same, then the MIME
// structure (mime.hpp) and, for followup.due, the .ics attachment (calendar.hpp).
#include "message.hpp"

#include <relance/plugin.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "calendar.hpp"

namespace email_reminder {

namespace json = boost::json;

namespace {

// ---- Words.

struct Words {
  const char* lang;
  const char* weekdays[7];  // Sunday first
  const char* months[12];
  const char* due_subject;  // followed by the title
  const char* due_heading;
  const char* when;
  const char* at_for;  // "00:00 for Pat Lee": the contact's local time
  const char* on;      // "on Saturday 28 March": the contact's day when it differs
  const char* the_contact;
  const char* lead;
  const char* contact;
  const char* notes;
  const char* mark_done;
  const char* snooze;
  const char* digest_subject;  // followed by the day
  const char* today;
  const char* overdue;
  const char* stale;
  const char* no_activity;      // stale lead without any activity
  const char* quiet_for;        // followed by "<n> days"
  const char* day, *days;
  const char* footer;
  const char* colon;  // " :" in French typography
  const char* times_in;  // the digest's zone: "Times: Europe/Paris (CET)"
};

constexpr Words english{
    "en",
    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"},
    "Follow-up due: ",
    "Follow-up due",
    "When",
    "for",
    "on",
    "the contact",
    "Lead",
    "Contact",
    "Notes",
    "Mark done",
    "Snooze one day",
    "Your follow-ups for ",
    "Today",
    "Overdue",
    "Stale leads",
    "no activity recorded",
    "no activity for ",
    "day",
    "days",
    "Sent by Relance, your follow-up reminder.",
    ":",
    "Times",
};

constexpr Words french{
    "fr",
    {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
     "décembre"},
    "Relance : à faire aujourd'hui — ",
    "À faire aujourd'hui",
    "Quand",
    "pour",
    "le",
    "le contact",
    "Lead",
    "Contact",
    "Notes",
    "Marquer comme fait",
    "Reporter d'un jour",
    "Vos relances du ",
    "Aujourd'hui",
    "En retard",
    "Leads sans nouvelles",
    "aucune activité enregistrée",
    "sans nouvelles depuis ",
    "jour",
    "jours",
    "Envoyé par Relance, votre aide-mémoire de relances.",
    "\xC2\xA0:",  // no-break space before the colon
    "Heures",
};

const Words& words_for(std::string_view locale) {
  return locale.substr(0, 2) == "fr" && (locale.size() == 2 || locale[2] == '-' || locale[2] == '_') ? french
                                                                                                     : english;
}

// "Monday 30 March", "lundi 30 mars" ("lundi 1er juin"); with_year adds " 2026".
std::string day_text(const Words& w, const LocalTime& t, bool with_year) {
  std::string out = w.weekdays[t.weekday];
  out += ' ';
  out += std::to_string(t.day);
  if (&w == &french && t.day == 1) out += "er";
  out += ' ';
  out += w.months[t.month - 1];
  if (with_year) out += " " + std::to_string(t.year);
  return out;
}

std::string clock_text(const LocalTime& t) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", t.hour, t.minute);
  return text;
}

// "Europe/Paris (CET)": the zone a message's times are read on, as it is at `when`.
std::string zone_text(const std::string& zone, Instant when) {
  const auto t = local_time(when, zone);
  return t && !t->zone_abbreviation.empty() && t->zone_abbreviation != zone ? zone + " (" + t->zone_abbreviation + ")"
                                                                           : zone;
}

// The weekly region digest's own words, beside the Words of the same language. A count
// takes the singular for 1 ("1 lead", "1 piste") and the plural otherwise.
struct RegionWords {
  const char* subject;  // followed by the day
  const char* outcomes;
  const char* stale;
  const char* stale_lead[2];  // "1 lead with no activity for 30 days", "3 leads with no activity for "
  const char* or_more;        // "... 14 days or more"
  const char* oldest;         // ", the oldest for 40 days"
  const char* quiet;
  const char* never;          // a start-up that never logged an activity
  const char* last_activity;
  const char* jobs[2];
  const char* kinds[7][2];    // outcome kind -> its name
};

constexpr RegionWords english_region{
    "Region digest, week to ",
    "New outcomes this week",
    "Leads gone stale, by start-up",
    {"lead with no activity for ", "leads with no activity for "},
    " or more",
    ", the oldest for ",
    "Start-ups with no activity",
    "no activity ever recorded",
    "last activity ",
    {"job", "jobs"},
    {{"investment", "Investment"}, {"partnership", "Partnership"}, {"customer-contract", "Customer contract"},
     {"pilot", "Pilot"}, {"hire", "Hire"}, {"us-subsidiary", "US subsidiary"}, {"other", "Other"}},
};

constexpr RegionWords french_region{
    "Synthèse régionale, semaine au ",
    "Nouveaux résultats de la semaine",
    "Pistes sans nouvelles, par start-up",
    {"piste sans activité depuis ", "pistes sans activité depuis "},
    " ou plus",
    ", la plus ancienne depuis ",
    "Start-ups sans activité",
    "aucune activité jamais enregistrée",
    "dernière activité il y a ",
    {"emploi", "emplois"},
    {{"investment", "Investissement"}, {"partnership", "Partenariat"}, {"customer-contract", "Contrat client"},
     {"pilot", "Pilote"}, {"hire", "Recrutement"}, {"us-subsidiary", "Filiale aux États-Unis"}, {"other", "Autre"}},
};

// "1 job", "3 jobs": the count and its word in the number it takes.
std::string counted(int64_t n, const char* const (&word)[2]) {
  return std::to_string(n) + " " + word[n == 1 ? 0 : 1];
}

// An amount as people write it: "250000", "1250.50". The daemon writes money as a decimal
// string ("250000.00", docs/api.md); a number is taken too.
std::string amount_text(const json::value& v) {
  std::string out;
  if (v.is_string()) {
    out = std::string(v.get_string());
  } else if (v.is_number()) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f", v.to_number<double>());
    out = text;
  }
  if (out.size() > 3 && out.compare(out.size() - 3, 3, ".00") == 0) out.resize(out.size() - 3);
  return out;
}

// ---- The document.

const json::object* object_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}
const json::array* array_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}
std::string text_at(const json::object* o, std::string_view key) {
  if (!o) return {};
  const auto* v = o->if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
std::optional<int64_t> integer_at(const json::object* o, std::string_view key) {
  if (!o) return std::nullopt;
  const auto* v = o->if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(v->get_uint64());
  return std::nullopt;
}
// A lead's stage as the recipient reads it: "stage_label" (the daemon's, in the recipient's
// language, since issue 14), else the stage's name.
std::string stage_of(const json::object* lead) {
  std::string label = text_at(lead, "stage_label");
  return label.empty() ? text_at(lead, "stage") : label;
}
// An http(s) link, or empty: anything else (javascript:, a quote) is not put in a message.
std::string link_at(const json::object* links, std::string_view key) {
  std::string url = text_at(links, key);
  const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  if (!web || url.find_first_of(" \"'<>\\\r\n\t") != std::string::npos) return {};
  return url;
}
std::string full_name(const json::object* person) {
  std::string first = text_at(person, "first_name"), last = text_at(person, "last_name");
  if (first.empty()) return last;
  return last.empty() ? first : first + " " + last;
}

// The recipient: a user object ({"email", "display_name", "locale", ...}) with a valid
// address, or INVALID.
mime::Mailbox recipient_of(const json::object* user, const char* role) {
  if (!user) throw relance::Error(RELANCE_INVALID, std::string("the event has no ") + role + ": nobody to send it to");
  const std::string email = text_at(user, "email");
  const auto id = integer_at(user, "id");
  const std::string who = std::string("the ") + role + (id ? " (user " + std::to_string(*id) + ")" : std::string());
  if (email.empty()) throw relance::Error(RELANCE_INVALID, who + " has no email address");
  if (!mime::valid_address(email))
    throw relance::Error(RELANCE_INVALID, who + " has an invalid email address: \"" + email + "\"");
  return mime::Mailbox{text_at(user, "display_name"), email};
}

// ---- Text and HTML side by side.

std::string html_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\r': break;
      case '\n': out += "<br>\n"; break;
      default: out += c;
    }
  }
  return out;
}

struct Writer {
  const Words& w;
  std::string text, html;

  void heading(const std::string& title) {
    text += title + "\n" + std::string(std::min<std::size_t>(visible_length(title), 72), '=') + "\n\n";
    html += "<h1 style=\"font-size:20px;margin:0 0 16px\">" + html_escape(title) + "</h1>\n";
  }
  void section(const std::string& title, std::size_t count) {
    const std::string line = title + " (" + std::to_string(count) + ")";
    text += line + "\n" + std::string(visible_length(line), '-') + "\n";
    html += "<h2 style=\"font-size:16px;margin:20px 0 8px\">" + html_escape(line) + "</h2>\n";
  }
  void field(const char* label, const std::string& value) {
    text += std::string(label) + w.colon + " " + value + "\n";
    html += "<p style=\"margin:4px 0\"><strong>" + html_escape(label) + w.colon + "</strong> " + html_escape(value) +
            "</p>\n";
  }
  void notes(const std::string& notes) {
    text += "\n" + std::string(w.notes) + w.colon + "\n" + notes + "\n";
    html += "<p style=\"margin:12px 0 4px\"><strong>" + html_escape(w.notes) + w.colon + "</strong></p>\n" +
            "<p style=\"margin:4px 0\">" + html_escape(notes) + "</p>\n";
  }
  // The two action links; in text, indented by `indent`.
  void actions(const std::string& done, const std::string& snooze, const char* indent) {
    if (!done.empty()) text += std::string(indent) + w.mark_done + w.colon + " " + done + "\n";
    if (!snooze.empty()) text += std::string(indent) + w.snooze + w.colon + " " + snooze + "\n";
    if (done.empty() && snooze.empty()) return;
    html += "<p style=\"margin:8px 0\">";
    if (!done.empty()) html += button(done, w.mark_done, "#1a7f37");
    if (!done.empty() && !snooze.empty()) html += " ";
    if (!snooze.empty()) html += button(snooze, w.snooze, "#57606a");
    html += "</p>\n";
  }
  void blank() { text += "\n"; }

  static std::string button(const std::string& url, const char* label, const char* colour) {
    return "<a href=\"" + html_escape(url) + "\" style=\"display:inline-block;padding:6px 12px;border-radius:4px;"
           "color:#ffffff;background:" + colour + ";text-decoration:none\">" + html_escape(label) + "</a>";
  }
  // Characters, not octets: a UTF-8 continuation byte does not count.
  static std::size_t visible_length(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  }

  std::string finish_text() const { return text + "\n-- \n" + w.footer + "\n"; }
  std::string finish_html(const std::string& title) const {
    return std::string("<!DOCTYPE html>\n<html lang=\"") + w.lang + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
           html_escape(title) + "</title>\n</head>\n<body style=\"font-family:-apple-system,Segoe UI,Helvetica,Arial,"
           "sans-serif;font-size:14px;color:#1f2328;max-width:640px\">\n" + html +
           "<p style=\"margin-top:24px;color:#57606a;font-size:12px\">" + html_escape(w.footer) + "</p>\n</body>\n</html>\n";
  }
};

// The message: envelope recipient and header fields, around `body`.
Outgoing assemble(const Context& context, const mime::Mailbox& to, const std::string& subject, const Words& w,
                  int64_t event_id, const mime::Entity& body) {
  std::string headers;
  headers += "Date: " + mime::date(context.now_ms) + "\r\n";
  headers += mime::address_header("From", context.from);
  headers += mime::address_header("To", to);
  headers += mime::header("Subject", subject);
  headers += "Message-ID: <relance.event." + std::to_string(event_id) + "@" + context.message_id_domain + ">\r\n";
  headers += "MIME-Version: 1.0\r\n";
  headers += std::string("Content-Language: ") + w.lang + "\r\n";
  headers += "Auto-Submitted: auto-generated\r\n";     // RFC 3834: no vacation replies
  headers += "X-Auto-Response-Suppress: All\r\n";      // the same, for Exchange
  headers += "X-Relance-Event: " + std::to_string(event_id) + "\r\n";
  return Outgoing{to.address, headers + body.bytes()};
}

std::string boundary(int64_t event_id, const char* what) {
  return "=_relance_" + std::to_string(event_id) + "_" + what;  // "=_" never occurs in QP or base64
}

}  // namespace

std::optional<Outgoing> followup_due(const json::object& doc, int64_t event_id, const Context& context) {
  const json::object* followup = object_at(doc, "data");
  const json::object* due = object_at(doc, "due");
  const json::object* assignee = object_at(doc, "assignee");
  const json::object* contact = object_at(doc, "contact");
  const json::object* lead = object_at(doc, "lead");
  const json::object* links = object_at(doc, "links");
  if (!followup) throw relance::Error(RELANCE_INVALID, "followup.due without the follow-up (data)");
  const auto id = integer_at(followup, "id");
  if (!id) throw relance::Error(RELANCE_INVALID, "followup.due: the follow-up has no id");
  const mime::Mailbox to = recipient_of(assignee, "assignee");
  const Words& w = words_for(text_at(assignee, "locale"));

  // When: due.at (else data.due_at) in due.time_zone (else the assignee's, else the
  // follow-up's, else UTC), and in the contact's zone when known.
  std::string at = text_at(due, "at");
  if (at.empty()) at = text_at(followup, "due_at");
  const auto instant = parse_instant(at);
  if (!instant) throw relance::Error(RELANCE_INVALID, "followup.due: no valid due time (due.at): \"" + at + "\"");
  std::string zone = text_at(due, "time_zone");
  if (zone.empty()) zone = text_at(assignee, "time_zone");
  if (zone.empty()) zone = text_at(followup, "time_zone");
  auto here = zone.empty() ? std::nullopt : local_time(*instant, zone);
  if (!here) {
    zone = "UTC";
    here = local_time(*instant, zone);
  }
  std::string when = day_text(w, *here, true) + ", " + clock_text(*here) + " (" + zone + ")";
  std::string contact_zone = text_at(due, "contact_time_zone");
  if (contact_zone.empty()) contact_zone = text_at(contact, "time_zone");
  const std::string contact_name = full_name(contact);
  if (const auto there = contact_zone.empty() || contact_zone == zone ? std::nullopt : local_time(*instant, contact_zone)) {
    when += " — " + clock_text(*there);
    if (there->day != here->day || there->month != here->month) when += std::string(" ") + w.on + " " + day_text(w, *there, false);
    when += std::string(" ") + w.at_for + " " + (contact_name.empty() ? w.the_contact : contact_name) + " (" +
            contact_zone + ")";
  }

  const std::string title = text_at(followup, "title");
  const std::string subject = w.due_subject + title;
  Writer out{w, {}, {}};
  out.heading(title.empty() ? w.due_heading : title);
  out.field(w.when, when);
  std::string lead_text;
  if (lead) {
    lead_text = text_at(lead, "title");
    const std::string stage = stage_of(lead);
    if (!stage.empty()) lead_text += " (" + stage + ")";
    out.field(w.lead, lead_text);
  }
  std::string contact_text;
  if (contact) {
    contact_text = contact_name;
    if (const json::array* emails = array_at(*contact, "emails"); emails && !emails->empty() && (*emails)[0].is_string())
      contact_text += (contact_text.empty() ? "" : " ") + ("<" + std::string((*emails)[0].get_string()) + ">");
    if (!contact_text.empty()) out.field(w.contact, contact_text);
  }
  const std::string notes = text_at(followup, "notes");
  if (!notes.empty()) out.notes(notes);
  out.blank();
  out.actions(link_at(links, "done"), link_at(links, "snooze"), "");

  Todo todo;
  todo.id = *id;
  todo.title = title;
  todo.status = text_at(followup, "status");
  todo.due = *instant;
  todo.time_zone = zone;
  todo.stamp = Instant{std::chrono::seconds{context.now_ms / 1000}};
  todo.description = notes;
  if (!lead_text.empty()) todo.description += (todo.description.empty() ? "" : "\n") + (std::string(w.lead) + w.colon + " " + lead_text);
  if (!contact_text.empty()) todo.description += (todo.description.empty() ? "" : "\n") + (std::string(w.contact) + w.colon + " " + contact_text);

  mime::Entity ics;
  const std::string file = "followup-" + std::to_string(*id) + ".ics";
  ics.headers = "Content-Type: text/calendar; charset=UTF-8; method=PUBLISH;\r\n name=\"" + file + "\"\r\n" +
                "Content-Disposition: attachment; filename=\"" + file + "\"\r\n" +
                "Content-Transfer-Encoding: base64\r\n";
  ics.body = mime::base64(calendar(todo));

  const mime::Entity alternative = mime::multipart(
      "alternative", boundary(event_id, "alt"),
      {mime::text("plain", out.finish_text()), mime::text("html", out.finish_html(subject))});
  return assemble(context, to, subject, w, event_id, mime::multipart("mixed", boundary(event_id, "mixed"), {alternative, ics}));
}

std::optional<Outgoing> digest_due(const json::object& doc, int64_t event_id, const Context& context) {
  const json::object* data = object_at(doc, "data");
  if (!data) throw relance::Error(RELANCE_INVALID, "digest.due without data");
  static const json::array none;
  const json::array* today = array_at(*data, "today");
  const json::array* overdue = array_at(*data, "overdue");
  const json::array* stale = array_at(*data, "stale_leads");
  if (!today) today = &none;
  if (!overdue) overdue = &none;
  if (!stale) stale = &none;
  if (today->empty() && overdue->empty() && stale->empty()) return std::nullopt;  // nothing to say

  const json::object* user = object_at(*data, "user");
  const mime::Mailbox to = recipient_of(user, "user");
  const Words& w = words_for(text_at(user, "locale"));
  const std::string date = text_at(data, "date");
  const auto day = parse_local(date);
  if (!day) throw relance::Error(RELANCE_INVALID, "digest.due: no valid date: \"" + date + "\"");
  const std::string subject = w.digest_subject + day_text(w, *day, false);

  Writer out{w, {}, {}};
  out.heading(subject);
  // The times below are the user's wall clock: say which, with the abbreviation of that day.
  if (const std::string zone = text_at(user, "time_zone"); !zone.empty()) {
    const auto midday = parse_instant(date + "T12:00:00Z");
    out.field(w.times_in, zone_text(zone, midday.value_or(Instant{std::chrono::seconds{context.now_ms / 1000}})));
  }
  // A follow-up: "09:00 Call Pat — Seed round" (an overdue one with its day), the links.
  auto followups = [&](const char* title, const json::array& items, bool with_day) {
    if (items.empty()) return;
    out.section(title, items.size());
    out.html += "<ul style=\"padding-left:20px;margin:0\">\n";
    for (const json::value& v : items) {
      const json::object* item = v.if_object();
      if (!item) continue;
      std::string when = text_at(item, "local");
      if (const auto t = parse_local(when); t && when.size() > 10)
        when = (with_day ? day_text(w, *t, false) + ", " : std::string()) + clock_text(*t);
      std::string line = when.empty() ? text_at(item, "title") : when + " " + text_at(item, "title");
      if (const std::string lead = text_at(item, "lead_title"); !lead.empty()) line += " — " + lead;
      const json::object* links = object_at(*item, "links");
      out.text += "- " + line + "\n";
      out.html += "<li style=\"margin:0 0 10px\">" + html_escape(line) + "<br>\n";
      out.actions(link_at(links, "done"), link_at(links, "snooze"), "  ");
      out.html += "</li>\n";
    }
    out.html += "</ul>\n";
    out.blank();
  };
  followups(w.today, *today, false);
  followups(w.overdue, *overdue, true);
  if (!stale->empty()) {
    out.section(w.stale, stale->size());
    out.html += "<ul style=\"padding-left:20px;margin:0\">\n";
    for (const json::value& v : *stale) {
      const json::object* item = v.if_object();
      if (!item) continue;
      std::string line = text_at(item, "title");
      if (const std::string stage = stage_of(item); !stage.empty()) line += " (" + stage + ")";
      const auto days = integer_at(item, "days");
      const bool never = text_at(item, "last_activity_at").empty();
      if (never || !days) {
        line += std::string(": ") + w.no_activity;
      } else {
        line += std::string(": ") + w.quiet_for + std::to_string(*days) + " " + (*days == 1 ? w.day : w.days);
      }
      out.text += "- " + line + "\n";
      out.html += "<li style=\"margin:0 0 6px\">" + html_escape(line) + "</li>\n";
    }
    out.html += "</ul>\n";
  }

  return assemble(context, to, subject, w, event_id,
                  mime::multipart("alternative", boundary(event_id, "alt"),
                                  {mime::text("plain", out.finish_text()), mime::text("html", out.finish_html(subject))}));
}

std::optional<Outgoing> region_digest_due(const json::object& doc, int64_t event_id, const Context& context) {
  const json::object* data = object_at(doc, "data");
  if (!data) throw relance::Error(RELANCE_INVALID, "region_digest.due without data");
  static const json::array none;
  const json::array* outcomes = array_at(*data, "outcomes");
  const json::array* stale = array_at(*data, "stale_by_startup");
  const json::array* quiet = array_at(*data, "quiet_startups");
  if (!outcomes) outcomes = &none;
  if (!stale) stale = &none;
  if (!quiet) quiet = &none;
  if (outcomes->empty() && stale->empty() && quiet->empty()) return std::nullopt;  // nothing to say

  const json::object* user = object_at(*data, "user");
  const mime::Mailbox to = recipient_of(user, "user");
  const Words& w = words_for(text_at(user, "locale"));
  const RegionWords& r = &w == &french ? french_region : english_region;
  const std::string date = text_at(data, "date");
  const auto day = parse_local(date);
  if (!day) throw relance::Error(RELANCE_INVALID, "region_digest.due: no valid date: \"" + date + "\"");
  const std::string subject = r.subject + day_text(w, *day, true);
  const char* const day_words[2] = {w.day, w.days};
  auto days_text = [&](int64_t n) { return counted(n, day_words); };
  Writer out{w, {}, {}};
  out.heading(subject);
  auto section = [&](const char* title, const json::array& items, auto&& line_of) {
    if (items.empty()) return;
    out.section(title, items.size());
    out.html += "<ul style=\"padding-left:20px;margin:0\">\n";
    for (const json::value& v : items) {
      const std::string line = line_of(v.if_object());
      out.text += "- " + line + "\n";
      out.html += "<li style=\"margin:0 0 6px\">" + html_escape(line) + "</li>\n";
    }
    out.html += "</ul>\n";
    out.blank();
  };
  // "Alpha Robotics — Investment: 250000 USD (225000 EUR), 3 jobs (2026-06-12)": the amount
  // as the start-up wrote it, and its euros when the region has a rate for its currency.
  section(r.outcomes, *outcomes, [&](const json::object* o) {
    const std::string kind = text_at(o, "kind");
    std::string line = text_at(o, "org_name") + " — ";
    std::string kind_name = kind;
    for (const auto& k : r.kinds)
      if (kind == k[0]) kind_name = k[1];
    line += kind_name;
    const json::value* amount = o ? o->if_contains("amount") : nullptr;
    if (const std::string a = amount ? amount_text(*amount) : std::string(); !a.empty()) {
      const std::string currency = text_at(o, "currency");
      line += w.colon + std::string(" ") + a + " " + currency;
      const json::value* eur = o ? o->if_contains("amount_eur") : nullptr;
      if (const std::string e = eur ? amount_text(*eur) : std::string(); !e.empty() && currency != "EUR")
        line += " (" + e + " EUR)";
    }
    if (const auto jobs = integer_at(o, "jobs"); jobs && *jobs > 0) line += ", " + counted(*jobs, r.jobs);
    if (const std::string on = text_at(o, "occurred_on"); !on.empty()) line += " (" + on + ")";
    return line;
  });
  const int64_t stale_days = integer_at(data, "stale_days").value_or(14);
  // "Alpha Robotics: 1 lead with no activity for 30 days", "Beta Foods: 2 leads with no
  // activity for 14 days or more, the oldest for 40 days".
  section(r.stale, *stale, [&](const json::object* s) {
    const int64_t leads = integer_at(s, "leads").value_or(0);
    const std::string oldest = days_text(integer_at(s, "oldest_days").value_or(0));
    std::string line = text_at(s, "org_name") + w.colon + " " + counted(leads, r.stale_lead);
    return leads == 1 ? line + oldest : line + days_text(stale_days) + r.or_more + r.oldest + oldest;
  });
  section(r.quiet, *quiet, [&](const json::object* q) {
    const auto days = integer_at(q, "days");
    return text_at(q, "org_name") + w.colon + " " + (days ? r.last_activity + days_text(*days) : std::string(r.never));
  });

  return assemble(context, to, subject, w, event_id,
                  mime::multipart("alternative", boundary(event_id, "alt"),
                                  {mime::text("plain", out.finish_text()), mime::text("html", out.finish_html(subject))}));
}

Outgoing test_message(const mime::Mailbox& to, const Context& context) {
  std::string headers;
  headers += "Date: " + mime::date(context.now_ms) + "\r\n";
  headers += mime::address_header("From", context.from);
  headers += mime::address_header("To", to);
  headers += mime::header("Subject", "Relance : message de test / test message");
  headers += "Message-ID: <relance.test." + std::to_string(context.now_ms) + "@" + context.message_id_domain + ">\r\n";
  headers += "MIME-Version: 1.0\r\n";
  headers += "Auto-Submitted: auto-generated\r\n";
  const mime::Entity body = mime::text(
      "plain", "Ce message a été envoyé par Relance pour vérifier les réglages des rappels par email.\n"
               "This message was sent by Relance to check the email reminders' settings.\n");
  return Outgoing{to.address, headers + body.bytes()};
}

}  // namespace email_reminder
