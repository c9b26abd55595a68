#!/usr/bin/python3
"""Reads a .vcf file with vobject (the real reader) and prints what it sees as one JSON document.

    read_vcard.py FILE

Output (stable: the API-level tests read it too):

    {"datasets": {"contacts": [CARD, ...]}}

one CARD per vCard, in file order, with the properties as vobject decodes them (text
unescaped, lines unfolded). A property the card does not have is absent, except the lists
(emails, phones, categories), which are [] when empty:

    "version":    "4.0" or "3.0"
    "uid":        "urn:relance:contact:42"
    "fn":         "Zoé Châteauneuf-Müller"
    "n":          {"family": "Châteauneuf-Müller", "given": "Zoé"}
    "emails":     [{"value": "a@x.fr", "types": ["work"], "pref": true}, ...]
    "phones":     [{"value": "tel:+33612345678", "number": "+33612345678",
                    "types": ["work", "voice"], "pref": true}, ...]
                  (value as written; number without the "tel:" of a 4.0 URI)
    "title", "note", "url", "rev", "prodid": text
    "org":        "Müller & Fils, SARL" (the organisation's name, its first component)
    "adr":        {"locality": "Lyon", "country": "FR"}
    "categories": ["vc", "deep tech"]

types are lower-cased, without "pref"; pref is true for PREF=1 (4.0) or TYPE=pref (3.0).
"""
import json
import sys

import vobject


def params(prop):
    types = []
    for t in prop.params.get("TYPE", []):
        types.extend(x.strip().lower() for x in t.split(","))
    pref = "pref" in types or "1" in prop.params.get("PREF", [])
    return [t for t in types if t != "pref"], pref


def card_of(card):
    out = {"emails": [], "phones": [], "categories": []}
    for prop in card.getChildren():
        name = prop.name.upper()
        if name == "VERSION":
            out["version"] = prop.value
        elif name in ("UID", "FN", "TITLE", "NOTE", "URL", "REV", "PRODID"):
            out[name.lower()] = prop.value
        elif name == "ORG":
            out["org"] = prop.value[0] if isinstance(prop.value, list) else prop.value
        elif name == "N":
            out["n"] = {"family": prop.value.family, "given": prop.value.given}
        elif name == "EMAIL":
            types, pref = params(prop)
            out["emails"].append({"value": prop.value, "types": types, "pref": pref})
        elif name == "TEL":
            types, pref = params(prop)
            value = prop.value
            number = value[4:] if value.lower().startswith("tel:") else value
            out["phones"].append({"value": value, "number": number, "types": types, "pref": pref})
        elif name == "ADR":
            out["adr"] = {"locality": prop.value.city, "country": prop.value.country}
        elif name == "CATEGORIES":
            out["categories"].extend(prop.value)
    return out


def main():
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        text = f.read()
    cards = [card_of(c) for c in vobject.readComponents(text)]
    json.dump({"datasets": {"contacts": cards}}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
