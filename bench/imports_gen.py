#!/usr/bin/env python3
"""Data of bench/imports.sh: a contact CSV as a founder has it, and the same rows as stored.

  imports_gen.py --count N --seed S --csv FILE --ceil-contacts FILE --ceil-companies FILE

--csv: the file imported through the API, read by the generic preset
(core/imports/presets/generic.toml): First Name, Last Name, Email, Phone, Company, Title,
City, Country. French and American names with accents, emails in mixed case and unique,
phones written as people write them (06 12 34 56 78, +33 4 72 10 20 30, +1 (415) 555-...,
no phone on some rows), companies among a few thousand, titles, cities, country names.

--ceil-contacts / --ceil-companies: the same rows as the daemon stores them (emails
lower-cased as a JSON list, phones in E.164 as a JSON list, country as ISO 3166-1 alpha-2,
the company as its index in --ceil-companies), for sqlite3's .import: the ceiling inserts
exactly these rows.

No row is a duplicate of another under the import's rules (same email, same phone, or same
folded first name + last name + company), so every row is created: the run checks
`created == N`. Deterministic for a given --seed. Standard library only.
"""
import argparse
import csv
import json
import random
import sys
import unicodedata

sys.path.insert(0, __import__("os").path.dirname(__file__))
from helper import FIRST_NAMES, LAST_NAMES  # noqa: E402  (the word lists of core_api.sh)

CITIES = [  # (city, ISO code, the country as written in the file)
    ("Lyon", "FR", "France"), ("Grenoble", "FR", "France"), ("Saint-Étienne", "FR", "France"),
    ("Clermont-Ferrand", "FR", "France"), ("Annecy", "FR", "France"), ("Chambéry", "FR", "France"),
    ("Villeurbanne", "FR", "France"), ("Valence", "FR", "France"), ("Paris", "FR", "France"),
    ("Vénissieux", "FR", "France"), ("Aix-les-Bains", "FR", "France"), ("Montélimar", "FR", "FR"),
    ("Évian-les-Bains", "FR", "France"), ("Bourg-en-Bresse", "FR", "france"),
    ("San Francisco", "US", "United States"), ("Palo Alto", "US", "USA"),
    ("Mountain View", "US", "United States"), ("San José", "US", "United States"),
    ("Menlo Park", "US", "US"), ("Berkeley", "US", "United States"), ("Sunnyvale", "US", "USA"),
    ("Redwood City", "US", "United States"), ("Oakland", "US", "United States"),
    ("New York", "US", "United States"), ("Boston", "US", "USA"),
]

TITLES = [
    "CEO", "CTO", "Fondatrice", "Fondateur", "Directrice générale", "Directeur technique",
    "Responsable achats", "Chargée d'affaires", "Ingénieur d'études", "Head of Sales",
    "VP Engineering", "Product Manager", "Chef de projet", "Développeuse", "Business Angel",
    "Partner", "Investment Manager", "Directeur financier", "Office Manager", "Consultante",
    "Account Executive", "Software Engineer", "Responsable RH", "Directrice marketing", "",
]

SYLL = """ba be bi bo lu ma me mi no ra re ri ro sa se so ta te ti to va ve vi lé ré mé
zé cé ga go ka ko xa ly ny py dy fy""".split()
SUFFIX_FR = ["SAS", "SARL", "SA", "Conseil", "Ingénierie", "Industries", "& Associés", "Technologies"]
SUFFIX_US = ["Inc.", "LLC", "Labs", "Corp.", "Capital", "Partners", "Systems", "Ventures"]
LEGAL = {"SAS", "SARL", "SA", "Inc.", "LLC", "Corp."}

DOMAINS = ["gmail.com", "yahoo.fr", "orange.fr", "outlook.com", "free.fr", "hotmail.com",
           "icloud.com", "proton.me", "laposte.net", "wanadoo.fr"]

FR_MOBILE = ["60", "61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78"]
FR_FIXED = ["1", "2", "3", "5", "41", "42", "43", "44", "47", "472", "476", "478"]  # after the 0
US_AREAS = ["415", "650", "408", "510", "212", "646", "617", "312", "206", "512", "718", "305"]


def ascii_fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ı": "i", "ł": "l", "ß": "ss", "đ": "d"})


def slug(s):  # the ASCII letters and digits of a name, for emails and domains
    return "".join(c for c in ascii_fold(s).translate(LIGATURES) if c.isascii() and c.isalnum())


def weighted(rng, items, alpha=0.9):
    weights = [1.0 / (i + 1) ** alpha for i in range(len(items))]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return lambda: items[min(len(items) - 1, __import__("bisect").bisect(cum, rng.random() * total))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--companies", type=int, default=3000)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--ceil-contacts", required=True)
    ap.add_argument("--ceil-companies", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    companies, seen, seen_legal = [], set(), set()
    while len(companies) < a.companies:
        word = "".join(rng.choice(SYLL) for _ in range(rng.randint(2, 3))).capitalize()
        name = word + " " + rng.choice(SUFFIX_FR if rng.random() < 0.6 else SUFFIX_US)
        # Distinct as the import matches companies too: "Word SAS" and "Word Inc." are one
        # company (legal forms are folded away, domain/company_name.hpp).
        base, legal = ascii_fold(word), name.split()[-1] in LEGAL
        if ascii_fold(name) not in seen and name.casefold() not in seen and not (legal and base in seen_legal):
            seen.add(ascii_fold(name))
            if legal:
                seen_legal.add(base)
            companies.append(name)
    company_of = weighted(rng, list(range(len(companies))), 0.8)
    first_of = weighted(rng, FIRST_NAMES)
    last_of = weighted(rng, LAST_NAMES)

    used_emails, used_phones, used_names = set(), set(), set()

    def phone(us):
        for _ in range(1000):
            if us:
                area = rng.choice(US_AREAS)
                ex = rng.randint(200, 999)
                if ex % 100 == 11 or ex == 555:
                    continue
                line = rng.randint(0, 9999)
                e164 = "+1%s%03d%04d" % (area, ex, line)
                text = rng.choice(["+1 (%s) %03d-%04d", "+1 %s-%03d-%04d", "+1 %s %03d %04d"]) % (area, ex, line)
            else:
                prefix = rng.choice(FR_MOBILE if rng.random() < 0.7 else FR_FIXED)
                rest = "%0*d" % (8 - len(prefix) + 1, rng.randint(0, 10 ** (8 - len(prefix) + 1) - 1))
                digits = prefix + rest  # 9 digits after the leading 0
                e164 = "+33" + digits
                pairs = " ".join(digits[i:i + 2] for i in range(1, 9, 2))
                text = rng.choice(["0%s %s" % (digits[0], pairs), "+33 %s %s" % (digits[0], pairs),
                                   "0" + digits, "0%s.%s" % (digits[0], pairs.replace(" ", "."))])
            if e164 not in used_phones:
                used_phones.add(e164)
                return text, e164
        raise SystemExit("no free phone number")

    with open(a.csv, "w", newline="", encoding="utf-8") as f_csv, \
            open(a.ceil_contacts, "w", newline="", encoding="utf-8") as f_ceil:
        out = csv.writer(f_csv, lineterminator="\r\n")
        ceil = csv.writer(f_ceil, lineterminator="\n")
        out.writerow(["First Name", "Last Name", "Email", "Phone", "Company", "Title", "City", "Country"])
        ceil.writerow(["first_name", "last_name", "emails", "phones", "company", "title", "city", "country"])
        for n in range(a.count):
            for _ in range(1000):
                first, last, comp = first_of(), last_of(), company_of()
                key = (ascii_fold(first), ascii_fold(last), comp)
                key2 = (first.casefold(), last.casefold(), comp)
                if key not in used_names and key2 not in used_names:
                    used_names.add(key)
                    used_names.add(key2)
                    break
            else:
                raise SystemExit("no free name")
            city, iso, country_text = rng.choice(CITIES)
            us = iso == "US"
            local = rng.choice(["%s.%s", "%s%s", "%s-%s", "%s_%s"]) % (slug(first), slug(last))
            dom = rng.choice(DOMAINS) if rng.random() < 0.5 else slug(companies[comp].split()[0]) + (".com" if us else ".fr")
            email = "%s@%s" % (local, dom)
            if email in used_emails:
                email = "%s.%d@%s" % (local, n, dom)
            used_emails.add(email)
            shown = email if rng.random() < 0.85 else email.capitalize()
            if rng.random() < 0.85:
                ph_text, ph = phone(us)
            else:
                ph_text, ph = "", ""
            title = rng.choice(TITLES)
            out.writerow([first, last, shown, ph_text, companies[comp], title, city, country_text])
            ceil.writerow([first, last, json.dumps([email], ensure_ascii=False),
                           json.dumps([ph]) if ph else "", comp + 1, title, city, iso])
    with open(a.ceil_companies, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["idx", "name"])
        for i, name in enumerate(companies):
            w.writerow([i + 1, name])


if __name__ == "__main__":
    main()
