#!/usr/bin/python3
"""Reads an .ics file with icalendar (the real reader) and prints what it sees as one JSON document.

    read_ics.py FILE

Output (stable: the API-level tests read it too):

    {"calendar": {"version": "2.0", "prodid": "...", "calscale": "GREGORIAN",
                  "timezones": ["Europe/Paris", ...]},          (TZIDs of the VTIMEZONEs)
     "datasets": {"followups": [ITEM, ...]}}

one ITEM per VTODO or VEVENT, in file order, with the properties as icalendar decodes them
(text unescaped, lines unfolded). A property the component does not have is absent:

    "component":   "VTODO" or "VEVENT"
    "uid", "summary", "description", "status": text
    "dtstamp", "created", "last_modified", "completed": UTC, "2026-03-20T16:45:30Z"
    "percent_complete": 100
    for each of "due", "dtstart", "dtend", when present:
      "<p>":               the local date-time as written, "2026-03-29T09:00:00"
      "<p>_tzid":          its TZID, or "UTC" for a "...Z" value
      "<p>_utc":           the UTC instant icalendar gives it ("2026-03-29T07:00:00Z";
                           icalendar resolves a TZID by its IANA name)
      "<p>_utc_vtimezone": the UTC instant through the file's own VTIMEZONE of that TZID
                           (icalendar's Timezone.to_tz()); null when the file has none
    "alarms": [{"action": "DISPLAY", "description": "...", "trigger": "-PT30M",
                "trigger_minutes": -30, "related": "START" or "END"}]
"""
import datetime
import json
import sys

import icalendar

UTC = datetime.timezone.utc


def utc_text(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def duration_text(td):
    """-PT30M for minus 30 minutes (what the file says, in minutes)."""
    minutes = int(td.total_seconds() // 60)
    return ("-" if minutes < 0 else "") + "PT%dM" % abs(minutes)


def main():
    with open(sys.argv[1], "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    zones = {}
    for tz in cal.walk("VTIMEZONE"):
        zones[str(tz["TZID"])] = tz.to_tz()
    calendar = {"version": str(cal.get("VERSION")), "prodid": str(cal.get("PRODID")),
                "calscale": str(cal.get("CALSCALE")), "timezones": list(zones)}
    items = []
    for comp in cal.subcomponents:
        if comp.name not in ("VTODO", "VEVENT"):
            continue
        item = {"component": comp.name}
        for prop in ("UID", "SUMMARY", "DESCRIPTION", "STATUS"):
            if prop in comp:
                item[prop.lower()] = str(comp[prop])
        for prop in ("DTSTAMP", "CREATED", "LAST-MODIFIED", "COMPLETED"):
            if prop in comp:
                item[prop.lower().replace("-", "_")] = utc_text(comp[prop].dt)
        if "PERCENT-COMPLETE" in comp:
            item["percent_complete"] = int(comp["PERCENT-COMPLETE"])
        for prop in ("DUE", "DTSTART", "DTEND"):
            if prop not in comp:
                continue
            key = prop.lower()
            dt = comp[prop].dt
            tzid = comp[prop].params.get("TZID")
            item[key] = dt.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S")
            item[key + "_tzid"] = str(tzid) if tzid else ("UTC" if dt.tzinfo is not None else None)
            item[key + "_utc"] = utc_text(dt) if dt.tzinfo is not None else None
            if tzid:
                zone = zones.get(str(tzid))
                item[key + "_utc_vtimezone"] = utc_text(zone.localize(dt.replace(tzinfo=None))) if zone else None
            else:
                item[key + "_utc_vtimezone"] = item[key + "_utc"]
        alarms = []
        for alarm in comp.walk("VALARM"):
            trigger = alarm["TRIGGER"]
            alarms.append({"action": str(alarm.get("ACTION")), "description": str(alarm.get("DESCRIPTION")),
                           "trigger": duration_text(trigger.dt),
                           "trigger_minutes": int(trigger.dt.total_seconds() // 60),
                           "related": str(trigger.params.get("RELATED", "START"))})
        item["alarms"] = alarms
        items.append(item)
    json.dump({"calendar": calendar, "datasets": {"followups": items}}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
