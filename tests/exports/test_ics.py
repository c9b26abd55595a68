#!/usr/bin/python3
"""Driver-level tests of the ics exporter: runs export_driver, then read_ics.py (icalendar).

    test_ics.py DRIVER PLUGIN DATA_DIR CASE

CASE:
  todo       VTODO (the default): every follow-up's UID, texts, status and alarm, and DUE at
             the row's UTC instant, through icalendar's zone and through the file's VTIMEZONE
             (09:00 Europe/Paris on 2026-03-29, the day clocks change, and on 2026-01-15;
             a local time that occurs twice is written in UTC)
  event      VEVENT with alarm_minutes=15 and duration_minutes=45
  vtimezone  every TZID has a VTIMEZONE that gives the tz database's offset at every hour
             of the years the follow-ups fall in
  french     locale fr and alarm_minutes=0: the contact's time in French, no alarm
  lines      CRLF only, no physical line over 75 octets, no UTF-8 sequence split
  refuses    another dataset, or a bad option, fails with a clear reason
"""
import datetime
import functools
import os
import sys
import tempfile
import zoneinfo

import icalendar

from export_test_support import Checks, Driver, check_content_lines, load as load_data, read_back, rows_as_dicts

DRIVER, PLUGIN, DATA, CASE = sys.argv[1:5]
UTC = datetime.timezone.utc
checks = Checks()
check = checks.check
failures = checks.failures
exporter = Driver(DRIVER, PLUGIN)
load = functools.partial(load_data, DATA)


def export(doc, tmp, name):
    """Runs the driver over `doc`; returns (exit code, stderr, path of the output)."""
    return exporter.attempt(doc, os.path.join(tmp, name + ".ics"), checks)


def read(path):
    return read_back("read_ics.py", path)


def instant(text):
    """The UTC datetime of "YYYY-MM-DDTHH:MM:SS.mmmZ", to the second (as iCalendar keeps it)."""
    return datetime.datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


def utc_text(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def zone(name):
    if not name or name in ("UTC", "Etc/UTC"):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def contact_line(row, french):
    """The line the DESCRIPTION should end with, or None."""
    contact = zone(row["contact_time_zone"])
    if contact is None and row["contact_time_zone"] in ("UTC", "Etc/UTC"):
        contact = zoneinfo.ZoneInfo("UTC")
    if contact is None:
        return None
    due = instant(row["due_at"])
    there = due.astimezone(contact)
    own = zone(row["time_zone"])
    here = due.astimezone(own) if own else due
    text = "Heure locale du contact : " if french else "Contact's local time: "
    if there.date() != here.date():
        text += there.strftime("%Y-%m-%d ")
    return text + there.strftime("%H:%M ") + row["contact_time_zone"]


def check_times(row, item, prop, at, where):
    """`prop` of `item` is the instant `at`, written in the row's zone (or UTC)."""
    own = zone(row["time_zone"])
    local = at.astimezone(own) if own else at
    if own and local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        own, local = None, at  # 02:30 twice in the night clocks go back: only UTC is unambiguous
    expected_tzid = row["time_zone"] if own else "UTC"
    check(item.get(prop + "_tzid") == expected_tzid, where + ": %s TZID %r, expected %r"
          % (prop, item.get(prop + "_tzid"), expected_tzid))
    check(item.get(prop) == local.strftime("%Y-%m-%dT%H:%M:%S"), where + ": %s local %r, expected %s"
          % (prop, item.get(prop), local))
    check(item.get(prop + "_utc") == utc_text(at), where + ": %s is %r through icalendar, expected %s"
          % (prop, item.get(prop + "_utc"), utc_text(at)))
    check(item.get(prop + "_utc_vtimezone") == utc_text(at), where + ": %s is %r through the VTIMEZONE, expected %s"
          % (prop, item.get(prop + "_utc_vtimezone"), utc_text(at)))


def check_items(doc, got, event, alarm, duration, french):
    rows = rows_as_dicts(doc)
    items = got["datasets"]["followups"]
    check(got["calendar"]["version"] == "2.0", "VERSION " + repr(got["calendar"]["version"]))
    check(got["calendar"]["prodid"] == "-//Relance//Follow-ups//EN", "PRODID " + repr(got["calendar"]["prodid"]))
    check(got["calendar"]["calscale"] == "GREGORIAN", "CALSCALE")
    check(len(items) == len(rows), "%d components for %d follow-ups" % (len(items), len(rows)))
    for row, item in zip(rows, items):
        where = "follow-up %d" % row["id"]
        check(item["component"] == ("VEVENT" if event else "VTODO"), where + ": component " + item["component"])
        check(item.get("uid") == "followup-%d@relance" % row["id"], where + ": UID " + repr(item.get("uid")))
        check(item.get("summary") == (row["title"] or None), where + ": SUMMARY " + repr(item.get("summary")))
        stamp = row["updated_at"] or row["created_at"]
        if stamp:
            check(item.get("dtstamp") == utc_text(instant(stamp)), where + ": DTSTAMP " + repr(item.get("dtstamp")))
        else:
            check("dtstamp" in item, where + ": no DTSTAMP")
        notes = (row["notes"] or "").replace("\r\n", "\n").replace("\r", "\n")
        line = contact_line(row, french)
        description = "\n\n".join(x for x in (notes, line) if x) or None
        check(item.get("description") == description, where + ": DESCRIPTION %r, expected %r"
              % (item.get("description"), description))
        due = instant(row["due_at"])
        if event:
            check_times(row, item, "dtstart", due, where)
            check_times(row, item, "dtend", due + datetime.timedelta(minutes=duration), where)
            check("due" not in item, where + ": DUE in a VEVENT")
            status = "CANCELLED" if row["status"] == "cancelled" else "CONFIRMED"
        else:
            check_times(row, item, "due", due, where)
            status = {"open": "NEEDS-ACTION", "snoozed": "NEEDS-ACTION", "done": "COMPLETED",
                      "cancelled": "CANCELLED"}[row["status"]]
            if row["status"] == "done":
                check(item.get("completed") == utc_text(instant(row["done_at"])), where + ": COMPLETED "
                      + repr(item.get("completed")))
                check(item.get("percent_complete") == 100, where + ": PERCENT-COMPLETE")
        check(item.get("status") == status, where + ": STATUS %r, expected %r" % (item.get("status"), status))
        alarmed = alarm > 0 and row["status"] not in ("done", "cancelled")
        if alarmed:
            a = item["alarms"]
            check(len(a) == 1, where + ": %d alarms" % len(a))
            if a:
                check(a[0]["action"] == "DISPLAY" and a[0]["trigger_minutes"] == -alarm
                      and a[0]["trigger"] == "-PT%dM" % alarm, where + ": alarm " + repr(a[0]))
                check(a[0]["related"] == ("START" if event else "END"), where + ": alarm related to " + a[0]["related"])
                check(a[0]["description"] == (row["title"] or ("Relance" if french else "Follow-up")),
                      where + ": alarm description " + repr(a[0]["description"]))
        else:
            check(item["alarms"] == [], where + ": unexpected alarm " + repr(item["alarms"]))


def todo(tmp):
    doc = load("ics_followups.json")
    code, err, out = export(doc, tmp, "todo")
    check(code == 0, "export failed: " + err)
    if code:
        return
    got = read(out)
    check_items(doc, got, event=False, alarm=30, duration=30, french=False)
    items = {i["uid"]: i for i in got["datasets"]["followups"]}
    # The cases the issue names, spelled out.
    dst_day, winter = items["followup-1@relance"], items["followup-2@relance"]
    check((dst_day["due"], dst_day["due_tzid"], dst_day["due_utc"], dst_day["due_utc_vtimezone"]) ==
          ("2026-03-29T09:00:00", "Europe/Paris", "2026-03-29T07:00:00Z", "2026-03-29T07:00:00Z"),
          "09:00 CEST on 2026-03-29: " + repr(dst_day))
    check((winter["due"], winter["due_utc"], winter["due_utc_vtimezone"]) ==
          ("2026-01-15T09:00:00", "2026-01-15T08:00:00Z", "2026-01-15T08:00:00Z"), "09:00 CET: " + repr(winter))
    check(dst_day["description"].endswith("Contact's local time: 00:00 America/Los_Angeles"),
          "the contact's time in Los Angeles: " + repr(dst_day["description"]))


def event(tmp):
    doc = load("ics_followups.json")
    doc["options"] = {"component": "VEVENT", "alarm_minutes": "15", "duration_minutes": "45"}
    code, err, out = export(doc, tmp, "event")
    check(code == 0, "export failed: " + err)
    if not code:
        check_items(doc, read(out), event=True, alarm=15, duration=45, french=False)


def french(tmp):
    doc = load("ics_followups.json")
    doc["locale"] = "fr"
    doc["options"] = {"alarm_minutes": "0"}
    code, err, out = export(doc, tmp, "french")
    check(code == 0, "export failed: " + err)
    if not code:
        check_items(doc, read(out), event=False, alarm=0, duration=30, french=True)


def vtimezone(tmp):
    doc = load("ics_followups.json")
    code, err, out = export(doc, tmp, "vtimezone")
    check(code == 0, "export failed: " + err)
    if code:
        return
    with open(out, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    zones = {str(tz["TZID"]): tz.to_tz() for tz in cal.walk("VTIMEZONE")}
    years = {}
    for row in rows_as_dicts(doc):
        if zone(row["time_zone"]):
            years.setdefault(row["time_zone"], set()).add(instant(row["due_at"]).year)
    check(set(zones) == set(years), "VTIMEZONEs %s for the zones used %s" % (sorted(zones), sorted(years)))
    for name, used in years.items():
        if name not in zones:
            continue
        reference = zoneinfo.ZoneInfo(name)
        for year in sorted(used):
            t = datetime.datetime(year, 1, 1, tzinfo=UTC)
            bad = 0
            while t.year == year:
                expected = t.astimezone(reference).utcoffset()
                got = t.astimezone(zones[name]).utcoffset()
                if got != expected and bad < 3:
                    failures.append("%s at %s: VTIMEZONE offset %s, tz database %s" % (name, t, got, expected))
                    bad += 1
                t += datetime.timedelta(hours=1)


def lines(tmp):
    doc = load("ics_followups.json")
    for options in ({}, {"component": "VEVENT"}):
        doc["options"] = options
        code, err, out = export(doc, tmp, "lines")
        check(code == 0, "export failed: " + err)
        with open(out, "rb") as f:
            data = f.read()
        check(data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n"), "calendar bounds")
        folded = check_content_lines(data, checks)
        check(folded >= 5, "the long title was folded (%d continuation lines)" % folded)


def refuses(tmp):
    code, err, _ = export(load("ics_contacts.json"), tmp, "contacts")
    check(code != 0 and "followups dataset only" in err, "a contacts export: %d %s" % (code, err))
    for options, reason in (({"component": "VJOURNAL"}, "VTODO or VEVENT"),
                            ({"alarm_minutes": "soon"}, "alarm_minutes must be a whole number"),
                            ({"alarm_minutes": "-5"}, "alarm_minutes must be a whole number"),
                            ({"duration_minutes": "0"}, "duration_minutes must be a whole number")):
        doc = load("ics_followups.json")
        doc["options"] = options
        code, err, _ = export(doc, tmp, "bad")
        check(code != 0 and reason in err, "options %r: %d %s" % (options, code, err))


with tempfile.TemporaryDirectory() as tmp:
    {"todo": todo, "event": event, "vtimezone": vtimezone, "french": french, "lines": lines,
     "refuses": refuses}[CASE](tmp)

checks.exit()
