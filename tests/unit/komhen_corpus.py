"""The corpus of KOMHEN export variants in tests/data/komhen/, what each must count, and a count made
without the importer.

`independent_count` reads a raw file with the csv module and hand-written tables (codes, units,
municipality names) and rules written from the domain description; it never calls the importer or
the municipality table. The unit and integration tests compare the importer with it and with the
exact figures below.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from tests.factories import REPO_ROOT
from tests.unit.test_municipalities import BY_REGION

CORPUS = REPO_ROOT / "tests" / "data" / "komhen"

# Written from the domain description, not read from the code table.
CODES = {
    "SLVBTJN": ("self_service", "in"),
    "TLFIND": ("phone", "in"),
    "TLFUD": ("phone", "out"),
    "PRSNLG": ("personal", "in"),
    "EMLIND": ("email", "in"),
    "EMLUD": ("email", "out"),
    "PPRIND": ("letter", "in"),
    "PPRUD": ("letter", "out"),
    "DOKIND": ("digital_post", "in"),
    "DOCIND": ("digital_post", "in"),
    "DOKUD": ("digital_post", "out"),
    "SMSIND": ("sms", "in"),
    "SMSUD": ("sms", "out"),
    "CHATIND": ("chat", "in"),
    "CHATUD": ("chat", "out"),
    "SOMEIND": ("social_media", "in"),
    "SOMEUD": ("social_media", "out"),
    "WEB": ("web", "in"),
    "SYSIND": ("system", "in"),
    "SYSECOIND": ("system", "in"),
    "SYSMEDIND": ("system", "in"),
    "SYSECOUD": ("system", "out"),
    "FPRNT": ("remote_print", "out"),
    "MGRUD": ("output_manager", "out"),
}
# Unit names (after the municipality number in front is taken off) and their department slugs.
UNITS = {
    "Borgerservice": "borgerservice",
    "borgerservice": "borgerservice",
    "Børn og Unge": "boern-og-unge",
    "Ældre & Sundhed": "aeldre-sundhed",
    "Økonomi": "oekonomi",
    "Teknik og Miljø": "teknik-og-miljoe",
    "Café Åen": "cafe-aaen",
    "Jobcenter Aarhus": "jobcenter-aarhus",
    "Jobcenter Århus": "jobcenter-aarhus",
    "Jobcenter": "jobcenter",
    "Ældre og Sundhed": "aeldre-og-sundhed",
    "Kultur & Fritid": "kultur-fritid",
    "Sundhed og Omsorg": "sundhed-og-omsorg",
    "Ydelse": "ydelse",
    # In another municipality than the number's, the number is part of the name.
    "259borgerservice": "259borgerservice",
    "183borgerservice": "183borgerservice",
    "259 Ydelse": "259-ydelse",
    "": "unknown",
}
NO_SLUG = {"???", "---"}
# How files name the municipalities of the corpus, lower case (names from the domain description).
MUNICIPALITY_NAMES = {
    "ishøj": "183",
    "ishøj kommune": "183",
    "køge": "259",
    "køge kommune": "259",
    "københavn": "101",
    "københavns kommune": "101",
    "kobenhavn": "101",
    "frederiksberg": "147",
    "frederiksberg kommune": "147",
    "aarhus": "751",
    "århus": "751",
    "albertslund": "165",
}
NUMBERS = {part.split(" ", 1)[0] for text in BY_REGION.values() for part in text.split(", ")}
CPR = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)")

Cell = tuple[str, str, str, str]  # municipality, department, channel, direction
DayCell = tuple[str, str, str, str, str]  # ... and the local day DD-MM-YYYY


def municipality_of(text: str) -> str | None:
    text = text.strip()
    if re.fullmatch(r"0?[0-9]{3}", text):
        number = text[-3:]
        return number if number in NUMBERS else None
    return MUNICIPALITY_NAMES.get(text.lower())


def parse_date(text: str) -> datetime | None:
    for layout in ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y"):
        try:
            moment = datetime.strptime(text, layout)
        except ValueError:
            continue
        return moment if re.fullmatch(r"[0-9]{2}-[0-9]{2}-[0-9]{4}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?", text) else None
    return None


def independent_count(content: bytes, encoding: str) -> tuple[Counter[DayCell], Counter[str]]:
    """Counts per municipality, unit, channel, direction and day, and rejections by reason.

    Rules, in the order the checks apply: no counting column may hold a CPR-like number; the date
    must be a real DD-MM-YYYY[ HH:MM[:SS]]; the
    municipality is Kommune (number, 0 + number, or a name), else ID where the whole file shows ID is
    the municipality number; the unit loses that number in front; the channel is a KOMHEN code. Nothing
    else can reject a row.
    """
    reader = csv.reader(io.StringIO(content.decode(encoding), newline=""), delimiter=";")
    rows = [row for row in reader]
    header = [h.strip() for h in rows[0]]
    col = {name: i for i, name in enumerate(header)}
    kommune = col["Kommune"] if "Kommune" in col else col["KommuneID"]
    kanal = col["Kanal"] if "Kanal" in col else col["Henvendelses Kanal"]
    ident = col.get("ID")

    def get(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    data = [row for row in rows[1:] if "".join(row).strip(" ;")]
    pairs = [(municipality_of(get(r, kommune)), get(r, ident)) for r in data]
    pairs = [(m, i) for m, i in pairs if m is not None and i]
    id_is_number = bool(pairs) and all(i.isdigit() and municipality_of(i) == m for m, i in pairs)

    counts: Counter[DayCell] = Counter()
    rejected: Counter[str] = Counter()
    for row in data:
        if any(CPR.search(get(row, c)) for c in (kommune, ident, col["Enhed"], kanal, col["Dato"])):
            rejected["personal_data"] += 1  # a CPR-like number in a counting column, whatever else is wrong
            continue
        dato = get(row, col["Dato"])
        if not dato:
            rejected["missing_field"] += 1
            continue
        if parse_date(dato) is None:
            rejected["invalid_format"] += 1
            continue
        number = municipality_of(get(row, kommune)) or (municipality_of(get(row, ident)) if id_is_number else None)
        if number is None:
            rejected["missing_field" if not get(row, kommune) else "unknown_code"] += 1
            continue
        unit = get(row, col["Enhed"])
        stripped = re.sub(rf"^{number}[ _.:-]*(?=[^\W\d])", "", unit)
        if stripped in NO_SLUG:
            rejected["invalid_format"] += 1
            continue
        code = get(row, kanal).upper()
        if not code:
            rejected["missing_field"] += 1
            continue
        if code not in CODES:
            rejected["unknown_code"] += 1
            continue
        channel, direction = CODES[code]
        counts[(number, UNITS[stripped], channel, direction, dato[:10])] += 1
    return counts, rejected


def cells(day_cells: Counter[DayCell]) -> Counter[Cell]:
    out: Counter[Cell] = Counter()
    for (m, d, c, direction, _), n in day_cells.items():
        out[(m, d, c, direction)] += n
    return out


@dataclass(frozen=True)
class Variant:
    """One file of the corpus and exactly what importing it must give."""

    what: str
    encoding: str
    layout: str
    rows: int
    cells: dict[Cell, int]
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    findings: dict[tuple[str, str], int] = field(default_factory=dict)  # (field, reason) -> rows
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # display name of (municipality, department)


VARIANTS: dict[str, Variant] = {
    "ddl-navn-og-id-latin1-crlf.csv": Variant(
        "Det Digitale Landkort: the name in Kommune, the number in ID, units with the number in front, "
        "STRAKS on every channel, 5 identical bulk rows, Kommune blank once (ID says 183), Latin-1, CRLF, "
        "trailing ';', local question columns",
        "latin-1",
        "tracetool",
        16,
        {
            ("183", "borgerservice", "phone", "in"): 1,
            ("183", "borgerservice", "personal", "in"): 1,
            ("183", "borgerservice", "web", "in"): 1,
            ("183", "borgerservice", "email", "in"): 1,
            ("183", "borgerservice", "self_service", "in"): 5,
            ("183", "boern-og-unge", "letter", "in"): 1,
            ("183", "boern-og-unge", "digital_post", "out"): 1,
            ("183", "boern-og-unge", "sms", "out"): 1,
            ("183", "teknik-og-miljoe", "remote_print", "out"): 1,
            ("183", "ydelse", "system", "out"): 1,
            ("183", "ydelse", "output_manager", "out"): 1,
            ("183", "unknown", "phone", "out"): 1,
        },
        names={
            ("183", "borgerservice"): "183borgerservice",
            ("183", "boern-og-unge"): "183 Børn og Unge",
            ("183", "teknik-og-miljoe"): "183 Teknik og Miljø",
            ("183", "ydelse"): "Ydelse",
        },
    ),
    "tracetool-nummer-utf8-bom-lf.csv": Variant(
        "TraceTool: the number in Kommune (also 0259 and the name Køge), its own registration numbers in ID "
        "(101 and 183 among them), HOLD on every channel, odd descriptive values, UTF-8 with BOM, LF, no "
        "trailing ';', a local column",
        "utf-8-sig",
        "tracetool",
        10,
        {
            ("259", "borgerservice", "phone", "in"): 1,
            ("259", "borgerservice", "personal", "in"): 1,
            ("259", "borgerservice", "self_service", "in"): 1,
            ("259", "borgerservice", "letter", "out"): 1,
            ("259", "borgerservice", "sms", "in"): 1,
            ("259", "jobcenter", "email", "out"): 1,
            ("259", "jobcenter", "digital_post", "in"): 1,
            ("259", "jobcenter", "web", "in"): 1,
            ("259", "jobcenter", "system", "in"): 1,
        },
        [(9, "missing_field")],  # Kommune blank, and ID is no municipality number in this file
        {
            ("form", "normalised"): 4,  # J, 1, Yes, N
            ("form", "unknown_code"): 1,  # måske
            ("kle", "normalised"): 1,  # 23.05.10 Flytning
            ("kle", "invalid_format"): 1,  # 23.5
            ("inquiry_type", "unknown_code"): 1,  # KLAGE
            ("completion", "unknown_code"): 1,  # X
            ("duration_s", "invalid_format"): 2,  # ends before it starts; "kl. 12"
        },
        {("259", "borgerservice"): "Borgerservice", ("259", "jobcenter"): "Jobcenter"},
    ),
    "kommunenavn-utf8-crlf.csv": Variant(
        "Kommune by name only (Københavns Kommune, KØBENHAVNS KOMMUNE, københavn, Kobenhavn, Frederiksberg "
        "Kommune, Århus), no ID column, chat and social media, dates without seconds or time, UTF-8, CRLF",
        "utf-8",
        "tracetool",
        7,
        {
            ("101", "borgerservice", "phone", "in"): 2,
            ("101", "borgerservice", "personal", "in"): 1,
            ("101", "sundhed-og-omsorg", "chat", "in"): 1,
            ("101", "sundhed-og-omsorg", "social_media", "out"): 1,
            ("147", "borgerservice", "email", "in"): 1,
            ("751", "borgerservice", "phone", "in"): 1,
        },
        names={
            ("101", "borgerservice"): "Borgerservice",
            ("101", "sundhed-og-omsorg"): "Sundhed og Omsorg",
            ("147", "borgerservice"): "Borgerservice",
            ("751", "borgerservice"): "Borgerservice",
        },
    ),
    "kl-upload-latin1-lf.csv": Variant(
        "KL's upload layout, KommuneID 751 and 0751, a unit with the number in front, Latin-1, LF, trailing ';'",
        "latin-1",
        "kl-upload",
        4,
        {
            ("751", "jobcenter-aarhus", "phone", "out"): 2,
            ("751", "borgerservice", "self_service", "in"): 1,
            ("751", "boern-og-unge", "digital_post", "out"): 1,
        },
        names={
            ("751", "jobcenter-aarhus"): "Jobcenter Århus",
            ("751", "borgerservice"): "751 Borgerservice",
            ("751", "boern-og-unge"): "Børn og Unge",
        },
    ),
    "raekker-med-fejl-latin1-crlf.csv": Variant(
        "one row of each counting-field error (unknown municipality by name and number, unknown and blank "
        "channel, impossible and blank date, a unit without letters, a CPR number in a unit) and one good row",
        "latin-1",
        "tracetool",
        9,
        {("259", "borgerservice", "phone", "in"): 1},
        [
            (2, "unknown_code"),
            (3, "unknown_code"),
            (4, "unknown_code"),
            (5, "missing_field"),
            (6, "invalid_format"),
            (7, "invalid_format"),
            (8, "personal_data"),
            (10, "missing_field"),
        ],
        names={("259", "borgerservice"): "Borgerservice"},
    ),
    "tracetool-latin1-crlf.csv": Variant(
        "TraceTool, Latin-1, CRLF, blank lines, a blank unit, an unknown channel and an impossible date",
        "latin-1",
        "tracetool",
        8,
        {
            ("259", "boern-og-unge", "phone", "in"): 2,
            ("259", "aeldre-sundhed", "digital_post", "in"): 1,
            ("259", "unknown", "personal", "in"): 1,
            ("259", "oekonomi", "system", "in"): 1,
            ("259", "teknik-og-miljoe", "letter", "in"): 1,
        },
        [(8, "unknown_code"), (9, "invalid_format")],
        names={
            ("259", "boern-og-unge"): "Børn og Unge",
            ("259", "aeldre-sundhed"): "Ældre & Sundhed",
            ("259", "oekonomi"): "Økonomi",
            ("259", "teknik-og-miljoe"): "Teknik og Miljø",
        },
    ),
    "tracetool-utf8-bom-lf.csv": Variant(
        "TraceTool, UTF-8 with BOM, LF, the night the clocks go back, a two-digit Kommune",
        "utf-8-sig",
        "tracetool",
        6,
        {("183", "borgerservice", "self_service", "in"): 3, ("183", "cafe-aaen", "digital_post", "out"): 2},
        [(6, "unknown_code")],
        names={("183", "borgerservice"): "Borgerservice", ("183", "cafe-aaen"): "Café Åen"},
    ),
    "kl-upload-utf8-crlf.csv": Variant(
        "KL's upload layout, UTF-8, CRLF, repeated rows, STRAKS on e-mail, a blank unit",
        "utf-8",
        "kl-upload",
        6,
        {
            ("751", "jobcenter-aarhus", "phone", "out"): 3,
            ("751", "jobcenter-aarhus", "sms", "out"): 1,
            ("751", "jobcenter-aarhus", "email", "in"): 1,
            ("751", "unknown", "web", "in"): 1,
        },
        names={("751", "jobcenter-aarhus"): "Jobcenter Aarhus"},
    ),
}
