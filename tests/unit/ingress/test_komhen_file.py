"""KOMHEN export import: every file variant municipalities hold, checked against a count made here.

The independent count (tests/fixtures/komhen_corpus.py) reads the raw file with the csv module and
hand-written code, unit and municipality tables; it never calls the importer.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from streams.contract import identifiers
from streams.contract.texts import speaking
from streams.domain.counting.aggregation import Aggregation
from streams.domain.events.descriptive import FindingReason
from streams.domain.events.inquiry import Reason
from streams.domain.organisation.departments import NoSlug, department_slug, without_municipality_number
from streams.ingress.komhen.encoding import content_id, detect_encoding
from streams.ingress.komhen.export_file import ExportFile, ExportFormatError, open_export
from streams.ingress.komhen.results import Imported, RejectedRow
from streams.ingress.komhen.rows import COUNTING_FIELDS
from streams.ingress.komhen.summary import ImportSummary
from tests.fixtures.factories import REPO_ROOT, parse_event
from tests.fixtures.komhen_corpus import CODES, CORPUS, UNITS, cells, independent_count
from tests.fixtures.komhen_corpus import VARIANTS as CORPUS_VARIANTS

SAMPLE = REPO_ROOT / "schemas" / "samples" / "komhen-tracetool-export.csv"
TZ = ZoneInfo("Europe/Copenhagen")
TRACETOOL = "Kommune;ID;Enhed;Opgave;Kanal;Type;Afslutning;Blanket;Dato;StartTidspunkt;SlutTidspunkt;Datakilde"
KL_UPLOAD = "KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;Blanket;Dato"

Key = tuple[str, str, str, str, str]  # municipality, department, channel, direction, local day DD-MM-YYYY


def importer_count(export: ExportFile) -> tuple[Counter[Key], Counter[str], list[Imported]]:
    counts: Counter[Key] = Counter()
    rejected: Counter[str] = Counter()
    imported: list[Imported] = []
    for result in export:
        if isinstance(result, RejectedRow):
            rejected[result.reason.value] += 1
            continue
        e = result.event
        day = datetime.fromisoformat(e["occurred_at"]).astimezone(TZ).strftime("%d-%m-%Y")
        counts[(e["municipality"], e["department"], e["channel"], e["direction"], day)] += 1
        imported.append(result)
    return counts, rejected, imported


# Rows covering every quirk of real files, in TraceTool column order (12 columns).
VARIANT_ROWS = [
    "259;1;Børn og Unge;28.01.10;TLFIND;VEJL;STRAKS;NEJ;03-11-2014 09:15:00;09:15:00;09:19:30;Tracetool",
    "259;2;Børn og Unge;28.01.10;TLFIND;VEJL;STRAKS;NEJ;03-11-2014 09:15:00;09:15:00;09:19:30;Tracetool",
    "259;3;Børn og Unge;28.01.10;TLFIND;VEJL;STRAKS;NEJ;03-11-2014 09:15:00;09:15:00;09:19:30;Tracetool",
    "259;4;Ældre & Sundhed;32.18;DOCIND;INFO;HOLD;JA;03-11-2014 10:02:11;;;Tracetool",
    "259;5;;23.05.10;PRSNLG;OPRET;STRAKS;JA;04-11-2014 11:30:00;;;Tracetool",
    "259;6;Økonomi;00.01;SYSECOIND;;;;04-11-2014 23:59:59;;;DetDigitaleLandkort",
    "259;7;Økonomi;00.01;FAX;INFO;HOLD;NEJ;05-11-2014 08:00:00;;;Tracetool",
    "259;8;Teknik og Miljø;02.00.00;EMLUD;INFO;HOLD;NEJ;31-11-2014 08:00:00;;;Tracetool",
    "259;9;Café Åen;17.01;EMLIND;INFO;STRAKS;NEJ;05-11-2014 08:00:00;;;Tracetool",
    "25;10;Café Åen;17.01;EMLIND;INFO;HOLD;NEJ;05-11-2014 08:00:00;;;Tracetool",  # no municipality has number 25
    "259;11;259borgerservice;23.05;SLVBTJN;OPRET;;;26-10-2014 02:30:00;;;DetDigitaleLandkort",
    "259;12;259borgerservice;23.05;SLVBTJN;OPRET;;;26-10-2014 02:30:00;;;DetDigitaleLandkort",
]
VARIANT_COUNTS = Counter(
    {
        ("259", "boern-og-unge", "phone", "in", "03-11-2014"): 3,
        ("259", "aeldre-sundhed", "digital_post", "in", "03-11-2014"): 1,
        ("259", "unknown", "personal", "in", "04-11-2014"): 1,
        ("259", "oekonomi", "system", "in", "04-11-2014"): 1,
        ("259", "cafe-aaen", "email", "in", "05-11-2014"): 1,  # STRAKS on e-mail: registered so, counted
        ("259", "borgerservice", "self_service", "in", "26-10-2014"): 2,  # 259borgerservice in Køge (259)
    }
)
VARIANT_REJECTED = Counter({"unknown_code": 2, "invalid_format": 1})


def build(
    rows: list[str],
    *,
    encoding: str = "latin-1",
    newline: str = "\r\n",
    trailing: bool = True,
    local_columns: bool = True,
    layout: str = "tracetool",
) -> bytes:
    """A file as an export tool would write it, from rows in TraceTool column order."""
    header = TRACETOOL.split(";") + (["Aldersgruppe", "Prøvet hjemmesiden først"] if local_columns else [])
    lines = [header] + [r.split(";") + (["30-39", "Ja"] if local_columns else []) for r in rows]
    if layout == "kl-upload":
        # Kommune, Enhed, Opgave, Kanal, Type, Afslutning, Blanket, Dato
        lines = [KL_UPLOAD.split(";")] + [[r[0], r[2], r[3], r[4], r[5], r[6], r[7], r[8]] for r in lines[1:]]
    text = newline.join(";".join(fields) + (";" if trailing else "") for fields in lines) + newline
    return text.encode(encoding)


VARIANTS: dict[str, dict[str, Any]] = {
    "Latin-1, CRLF, trailing ';', local columns": {},
    "UTF-8 with BOM, LF, no trailing ';'": {"encoding": "utf-8-sig", "newline": "\n", "trailing": False},
    "UTF-8 without BOM, CRLF, no local columns": {"encoding": "utf-8", "local_columns": False},
    "Latin-1, LF, trailing ';'": {"newline": "\n"},
    "KL upload layout, UTF-8, CRLF": {"encoding": "utf-8", "trailing": False, "layout": "kl-upload"},
    "KL upload layout, Latin-1, LF, trailing ';'": {"newline": "\n", "layout": "kl-upload"},
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_file_variant_counts_the_same_as_the_independent_count(variant: str) -> None:
    options = VARIANTS[variant]
    content = build(VARIANT_ROWS, **options)
    export = ExportFile(content, "uge45.csv", tz=TZ)
    counts, rejected, _ = importer_count(export)
    assert export.rows == 12
    assert independent_count(content, str(options.get("encoding", "latin-1"))) == (VARIANT_COUNTS, VARIANT_REJECTED)
    assert (counts, rejected) == (VARIANT_COUNTS, VARIANT_REJECTED)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_imported_event_is_valid_schema_v1(variant: str) -> None:
    schema = json.loads((REPO_ROOT / "schemas" / "inquiry-event.v1.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    content = build(VARIANT_ROWS, **VARIANTS[variant])
    events = [r.event for r in ExportFile(content, "uge45.csv", tz=TZ) if isinstance(r, Imported)]
    assert len(events) == 9
    for event in events:
        assert [e.message for e in validator.iter_errors(event)] == []
        assert parse_event(event).to_json() == event


def test_a_row_becomes_exactly_this_event() -> None:
    content = build(VARIANT_ROWS[:1])
    [result] = list(ExportFile(content, "uge45.csv", tz=TZ))
    assert result == Imported(
        "uge45.csv",
        2,
        {
            "schema_version": 1,
            "event_id": f"kmh-{content_id(content)}-2",
            "source": "komhen-import",
            "occurred_at": "2014-11-03T09:15:00+01:00",
            "municipality": "259",
            "department": "boern-og-unge",
            "channel": "phone",
            "direction": "in",
            "kle": "28.01.10",
            "inquiry_type": "VEJL",
            "completion": "immediate",
            "form": False,
            "duration_s": 270,
            "department_name": "Børn og Unge",
        },
    )


def test_blank_fields_are_left_out_and_blank_units_are_unknown() -> None:
    [result] = list(ExportFile(build(["259;1;;;WEB;;;;04-11-2014 00:00:00;;;DetDigitaleLandkort"]), "f.csv", tz=TZ))
    assert isinstance(result, Imported)
    assert {k: v for k, v in result.event.items() if k != "event_id"} == {
        "schema_version": 1,
        "source": "komhen-import",
        "occurred_at": "2014-11-04T00:00:00+01:00",
        "municipality": "259",
        "department": "unknown",
        "channel": "web",
        "direction": "in",
    }


def test_identical_rows_are_distinct_inquiries_and_all_counted() -> None:
    row = "259;;Borgerservice;23.05.10;SLVBTJN;OPRET;;;03-11-2014 08:40:00;;;DetDigitaleLandkort"
    results = list(ExportFile(build([row] * 5), "bulk.csv", tz=TZ))
    ids = [r.event["event_id"] for r in results if isinstance(r, Imported)]
    assert len(set(ids)) == 5
    agg = Aggregation(TZ, retention_days=10_000)
    assert [agg.add(parse_event(r.event)) for r in results if isinstance(r, Imported)] == [True] * 5


def test_event_ids_come_from_the_file_bytes_and_the_line_number() -> None:
    content = build(VARIANT_ROWS)
    first = [r.event["event_id"] for r in ExportFile(content, "a.csv", tz=TZ) if isinstance(r, Imported)]
    again = [r.event["event_id"] for r in ExportFile(content, "copy-of-a.csv", tz=TZ) if isinstance(r, Imported)]
    other = [r.event["event_id"] for r in ExportFile(content + b"\r\n", "a.csv", tz=TZ) if isinstance(r, Imported)]
    stem = content_id(content)
    assert re.fullmatch(r"[a-z2-7]{16}", stem)
    assert first == again == [f"kmh-{stem}-{line}" for line in (2, 3, 4, 5, 6, 7, 10, 12, 13)]
    assert set(first).isdisjoint(other)


def test_line_numbers_are_physical_lines_counting_blank_ones() -> None:
    content = (
        TRACETOOL + "\r\n\r\n" + "259;1;A;;FAX;;;;03-11-2014 08:00:00;;;T\r\n;;;;;;\r\n" + "259;1;A;;NOPE;;;;;;;T\r\n"
    )
    export = ExportFile(content.encode("latin-1"), "f.csv", tz=TZ)
    assert (export.rows, export.blank_lines) == (2, 2)
    assert [(r.line, r.reason) for r in export if isinstance(r, RejectedRow)] == [
        (3, Reason.UNKNOWN_CODE),
        (5, Reason.MISSING_FIELD),  # the date is read first: a row too old is read no further
    ]


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (b"\xef\xbb\xbfKommune;Enhed", "utf-8-sig"),
        ("Kommune;Børn".encode(), "utf-8"),
        ("Kommune;Børn".encode("latin-1"), "latin-1"),
        (b"Kommune;Enhed", "utf-8"),
        ("Kommune;Børn og Unge;Ældre;Åen".encode("cp1252"), "latin-1"),
    ],
)
def test_the_encoding_is_told_from_the_bytes(content: bytes, encoding: str) -> None:
    assert detect_encoding(content) == encoding


def _reject(fields: str, language: str = "en") -> tuple[str, str, str | None]:
    [result] = list(ExportFile(build([fields], local_columns=False), "f.csv", tz=TZ))
    assert isinstance(result, RejectedRow), result
    return result.reason.value, result.detail_in("da" if language == "da" else "en") or "", result.field


@pytest.mark.parametrize(
    ("row", "reason", "field", "detail", "detail_da"),
    [
        ("259;1;A;;FAX;;;;03-11-2014 08:00:00;;;T", "unknown_code", "channel",
         "Kanal 'FAX' is not a KOMHEN channel code",
         "Kanal 'FAX' er ikke en KOMHEN-kanalkode (fx TLFIND, PRSNLG, SLVBTJN)"),
        ("259;1;A;;;;;;03-11-2014 08:00:00;;;T", "missing_field", "channel",
         "Kanal is blank; give a KOMHEN channel code (e.g. TLFIND)",
         "Kanal er tom; skriv en KOMHEN-kanalkode (fx TLFIND)"),
        ("259;1;A;;TLFIND;;;;31-11-2014 08:00:00;;;T", "invalid_format", "occurred_at",
         "Dato '31-11-2014 08:00:00' is not a date DD-MM-YYYY HH:MM:SS",
         "Dato '31-11-2014 08:00:00' er ikke en dato DD-MM-ÅÅÅÅ TT:MM:SS"),
        ("259;1;A;;TLFIND;;;;2014-11-03 08:00:00;;;T", "invalid_format", "occurred_at",
         "Dato '2014-11-03 08:00:00' is not a date DD-MM-YYYY HH:MM:SS",
         "Dato '2014-11-03 08:00:00' er ikke en dato DD-MM-ÅÅÅÅ TT:MM:SS"),
        ("259;1;A;;TLFIND;;;;;;;T", "missing_field", "occurred_at",
         "Dato is blank; give the date as DD-MM-YYYY HH:MM:SS", "Dato er tom; skriv datoen som DD-MM-ÅÅÅÅ TT:MM:SS"),
        ("259;1;A;;TLFIND;;;;01-01-0001 00:00:00;;;T", "invalid_format", "occurred_at",
         "Dato '01-01-0001 00:00:00' is not a date DD-MM-YYYY HH:MM:SS",
         "Dato '01-01-0001 00:00:00' er ikke en dato DD-MM-ÅÅÅÅ TT:MM:SS"),
        ("259;1;A;;TLFIND;;;;03-11-2014 24:00:00;;;T", "invalid_format", "occurred_at",
         "Dato '03-11-2014 24:00:00' is not a date DD-MM-YYYY HH:MM:SS",
         "Dato '03-11-2014 24:00:00' er ikke en dato DD-MM-ÅÅÅÅ TT:MM:SS"),
        ("2590;1;A;;TLFIND;;;;03-11-2014 08:00:00;;;T", "unknown_code", "municipality",
         "Kommune '2590' is neither one of the 98 municipality numbers nor a municipality's name (e.g. 183 or Ishøj)",
         "Kommune '2590' er hverken et af de 98 kommunenumre eller et kommunenavn (fx 183 eller Ishøj)"),
        ("Atlantis;1;A;;TLFIND;;;;03-11-2014 08:00:00;;;T", "unknown_code", "municipality",
         "Kommune 'Atlantis' is neither one of the 98 municipality numbers nor a municipality's name "
         "(e.g. 183 or Ishøj)",
         "Kommune 'Atlantis' er hverken et af de 98 kommunenumre eller et kommunenavn (fx 183 eller Ishøj)"),
        (";1;A;;TLFIND;;;;03-11-2014 08:00:00;;;T", "missing_field", "municipality",
         "Kommune is blank; give the municipality's number or name (e.g. 183 or Ishøj)",
         "Kommune er tom; skriv kommunens nummer eller navn (fx 183 eller Ishøj)"),
        ("259;1;???;;TLFIND;;;;03-11-2014 08:00:00;;;T", "invalid_format", "department",
         "unit '???' has no letter or digit to name a department by",
         "Enhed '???' har hverken bogstaver eller cifre at kende afdelingen på"),
        ("259;1;Sag 010190-1234;;TLFIND;;;;03-11-2014 08:00:00;;;T", "personal_data", "department",
         "Enhed contains a CPR-like number; the row is not imported",
         "Enhed indeholder et CPR-lignende nummer; rækken importeres ikke"),
    ],
)  # fmt: skip
def test_rows_are_rejected_only_for_a_counting_field_with_a_reason_in_both_languages(
    row: str, reason: str, field: str, detail: str, detail_da: str
) -> None:
    assert _reject(row) == (reason, detail, field)
    assert _reject(row, "da") == (reason, detail_da, field)
    assert field in COUNTING_FIELDS


def test_a_rejection_reads_as_file_line_reason_and_detail_without_a_cpr_number() -> None:
    [result] = list(ExportFile(build(["259;1;A;;FAX;;;;03-11-2014 08:00:00;;;T"]), "uge45.csv", tz=TZ))
    assert isinstance(result, RejectedRow)
    assert result.format() == "uge45.csv:2: unknown_code: Kanal 'FAX' is not a KOMHEN channel code"
    assert result.format("da") == (
        "uge45.csv:2: afvist (ukendt kode): Kanal 'FAX' er ikke en KOMHEN-kanalkode (fx TLFIND, PRSNLG, SLVBTJN)"
    )
    [cpr] = list(ExportFile(build(["259;1;A 0101901234;;FAX;;;;03-11-2014 08:00:00;;;T"]), "f.csv", tz=TZ))
    assert isinstance(cpr, RejectedRow)
    assert "0101901234" not in cpr.format() + cpr.format("da")


@pytest.mark.parametrize(
    ("columns", "kept", "finding"),
    [
        ("23-05-10;TLFIND;;;", {}, ("kle", FindingReason.INVALID_FORMAT, None)),
        ("23.05.10 Flytning;TLFIND;;;", {"kle": "23.05.10"}, ("kle", FindingReason.NORMALISED, "23.05.10")),
        (";TLFIND;SPØRG;;", {}, ("inquiry_type", FindingReason.UNKNOWN_CODE, None)),
        (";TLFIND;vejl;;", {"inquiry_type": "VEJL"}, None),  # the codes in any case: no finding
        (";TLFIND;;STRAX;", {}, ("completion", FindingReason.UNKNOWN_CODE, None)),
        (";TLFIND;;Straks;", {"completion": "immediate"}, None),
        (";EMLUD;;STRAKS;", {"completion": "immediate"}, None),  # STRAKS on e-mail: kept, as registered
        (";TLFIND;;immediate;", {"completion": "immediate"}, ("completion", FindingReason.NORMALISED, "STRAKS")),
        (";TLFIND;;;MÅSKE", {}, ("form", FindingReason.UNKNOWN_CODE, None)),
        (";TLFIND;;;ja", {"form": True}, None),
        (";TLFIND;;;J", {"form": True}, ("form", FindingReason.NORMALISED, "JA")),
        (";TLFIND;;;1", {"form": True}, ("form", FindingReason.NORMALISED, "JA")),
        (";TLFIND;;;Yes", {"form": True}, ("form", FindingReason.NORMALISED, "JA")),
        (";TLFIND;;;n", {"form": False}, ("form", FindingReason.NORMALISED, "NEJ")),
    ],
)
def test_an_odd_descriptive_value_is_normalised_or_left_out_and_the_row_counts(
    columns: str, kept: dict[str, Any], finding: tuple[str, FindingReason, str | None] | None
) -> None:
    kle, code, kind, completion, form = columns.split(";")
    row = f"259;1;A;{kle};{code};{kind};{completion};{form};03-11-2014 08:00:00;;;T"
    [result] = list(ExportFile(build([row], local_columns=False), "f.csv", tz=TZ))
    assert isinstance(result, Imported)
    descriptive = {k: v for k, v in result.event.items() if k in ("kle", "inquiry_type", "completion", "form")}
    assert descriptive == kept
    assert [(f.field, f.reason, f.kept) for f in result.findings] == ([finding] if finding else [])


@pytest.mark.parametrize(
    ("code", "channel", "direction"),
    [("DOCIND", "digital_post", "in"), ("SYSECOIND", "system", "in"), ("sysmedind", "system", "in"),
     ("DOKUD", "digital_post", "out"), ("FPRNT", "remote_print", "out"), ("MGRUD", "output_manager", "out")],
)  # fmt: skip
def test_aliases_and_lowercase_codes_map_through_the_code_table(code: str, channel: str, direction: str) -> None:
    [result] = list(ExportFile(build([f"259;1;A;;{code};;;;03-11-2014 08:00:00;;;T"]), "f.csv", tz=TZ))
    assert isinstance(result, Imported)
    assert (result.event["channel"], result.event["direction"]) == (channel, direction)


@pytest.mark.parametrize(
    ("opgave", "kle"),
    [("23.05.10", "23.05.10"), ("23.05", "23.05"), (" 23.05 ", "23.05"), ("23.05.10 Flytning", "23.05.10")],
)
def test_kle_codes_are_kept_full_or_shortened(opgave: str, kle: str) -> None:
    [result] = list(ExportFile(build([f"259;1;A;{opgave};TLFIND;;;;03-11-2014 08:00:00;;;T"]), "f.csv", tz=TZ))
    assert isinstance(result, Imported)
    assert result.event["kle"] == kle


@pytest.mark.parametrize(
    ("dato", "occurred_at"),
    [
        ("03-11-2014 09:15:00", "2014-11-03T09:15:00+01:00"),
        ("01-07-2014 12:00:00", "2014-07-01T12:00:00+02:00"),
        ("26-10-2014 01:59:59", "2014-10-26T01:59:59+02:00"),
        ("26-10-2014 02:30:00", "2014-10-26T02:30:00+02:00"),  # ambiguous: the first (summer) 02:30
        ("26-10-2014 03:00:00", "2014-10-26T03:00:00+01:00"),
        ("30-03-2014 02:30:00", "2014-03-30T03:30:00+02:00"),  # not on the clock: read in winter time
        ("30-03-2014 03:00:00", "2014-03-30T03:00:00+02:00"),
        ("04-11-2014", "2014-11-04T00:00:00+01:00"),
        ("04-11-2014 08:05", "2014-11-04T08:05:00+01:00"),
    ],
)
def test_dates_are_danish_local_time_with_the_offset_in_force(dato: str, occurred_at: str) -> None:
    [result] = list(ExportFile(build([f"259;1;A;;TLFIND;;;;{dato};;;T"]), "f.csv", tz=TZ))
    assert isinstance(result, Imported)
    assert result.event["occurred_at"] == occurred_at


@pytest.mark.parametrize(
    ("dato", "start", "end", "duration"),
    [
        ("03-11-2014 09:15:00", "09:15:00", "09:19:30", 270),
        ("03-11-2014 09:15:00", "9:15", "9:16", 60),
        ("03-11-2014 09:15:00", "09:15:00", "09:15:00", 0),
        ("03-11-2014 23:50:00", "03-11-2014 23:50:00", "04-11-2014 00:10:00", 1200),
        ("26-10-2014 01:30:00", "01:30:00", "03:30:00", 10800),  # the autumn night has an hour more
        ("03-11-2014 09:15:00", "09:19:30", "09:15:00", None),
        ("03-11-2014 09:15:00", "09:15:00", "", None),
        ("03-11-2014 09:15:00", "", "09:15:00", None),
        ("03-11-2014 09:15:00", "kl. 9", "09:15:00", None),
        ("03-11-2014 09:15:00", "09:15:00", "25:00:00", None),
        ("03-11-2014 09:15:00", "01-11-2014 09:15:00", "03-11-2014 09:15:00", None),
    ],
)
def test_duration_is_set_only_from_a_sane_start_and_end(dato: str, start: str, end: str, duration: int | None) -> None:
    [result] = list(ExportFile(build([f"259;1;A;;TLFIND;;;;{dato};{start};{end};T"]), "f.csv", tz=TZ))
    assert isinstance(result, Imported)
    assert result.event.get("duration_s") == duration
    left_out = duration is None and bool(start) and bool(end)
    assert [(f.field, f.reason) for f in result.findings] == (
        [("duration_s", FindingReason.INVALID_FORMAT)] if left_out else []
    )


def test_a_file_without_the_needed_columns_is_refused_as_a_whole_in_either_language() -> None:
    content = "Kommune;ID;Enhed;Opgave;Type;Dato\r\n259;1;A;;;03-11-2014 08:00:00\r\n".encode("latin-1")
    with pytest.raises(
        ExportFormatError,
        match=re.escape(
            "f.csv:1: the header lacks Kanal; expected a TraceTool export (Kommune;ID;Enhed;Opgave;Kanal;…) "
            "or KL's upload layout (KommuneID;Enhed;KLE Opgave kode;…)"
        ),
    ):
        ExportFile(content, "f.csv", tz=TZ, language="en")
    with pytest.raises(
        ExportFormatError,
        match=re.escape(
            "f.csv:1: overskriften mangler Kanal; forventet er en TraceTool-eksport (Kommune;ID;Enhed;Opgave;Kanal;…) "
            "eller KL's uploadformat (KommuneID;Enhed;KLE Opgave kode;…)"
        ),
    ):
        ExportFile(content, "f.csv", tz=TZ)
    with pytest.raises(ExportFormatError, match=r"^f\.csv:1: overskriften mangler Kommune, Kanal;"):
        ExportFile(b"Enhed;Dato\r\n", "f.csv", tz=TZ)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ExportFormatError, match=r"^f\.csv: the file is empty$"):
        ExportFile(b"\r\n;;;\r\n", "f.csv", tz=TZ, language="en")
    with pytest.raises(ExportFormatError, match=r"^f\.csv: filen er tom$"):
        ExportFile(b"\r\n;;;\r\n", "f.csv", tz=TZ)


def test_columns_are_found_by_name_in_any_order() -> None:
    content = "Dato;Kanal;Enhed;Kommune;Noter\n03-11-2014 08:00:00;emlind;Jobcenter Aarhus;751;ring tilbage\n"
    export = ExportFile(content.encode(), "f.csv", tz=TZ)
    [result] = list(export)
    assert export.layout == "tracetool"
    assert isinstance(result, Imported)
    assert (result.event["municipality"], result.event["department"], result.event["channel"]) == (
        "751",
        "jobcenter-aarhus",
        "email",
    )


def test_a_stray_quote_in_a_local_column_does_not_swallow_the_next_rows() -> None:
    rows = ['259;1;A;;TLFIND;;;;03-11-2014 08:00:00;;;T;"ring tilbage', "259;2;A;;TLFUD;;;;03-11-2014 08:05:00;;;T;"]
    export = ExportFile(build(rows, local_columns=False).replace(b";\r\n", b"\r\n"), "f.csv", tz=TZ)
    assert [r.event["channel"] + "/" + r.event["direction"] for r in export if isinstance(r, Imported)] == [
        "phone/in",
        "phone/out",
    ]


def test_received_at_and_retention_are_checked_per_row_and_old_rows_are_found_before_reading() -> None:
    content = build(
        [
            "259;1;A;;TLFIND;;;;03-11-2014 08:00:00;;;T",
            "259;2;A;;TLFIND;;;;03-11-2030 08:00:00;;;T",
            "Atlantis;3;A;;FAX;;;;02-11-2014 08:00:00;;;T",  # too old before anything else is read
            "259;4;A;;TLFIND;;;;03-11-2024 08:00:00;;;T",
        ]
    )
    export = ExportFile(
        content, "f.csv", tz=TZ, received_at=datetime(2026, 1, 1, tzinfo=TZ), retention=timedelta(days=3650)
    )
    assert [(r.line, r.reason.value) for r in export if isinstance(r, RejectedRow)] == [
        (2, "too_old"),
        (3, "future_timestamp"),
        (4, "too_old"),
    ]
    assert export.too_old_rows() == [
        (2, datetime(2014, 11, 3, 8, tzinfo=TZ)),
        (4, datetime(2014, 11, 2, 8, tzinfo=TZ)),
    ]
    assert ExportFile(content, "f.csv", tz=TZ, received_at=datetime(2026, 1, 1, tzinfo=TZ)).too_old_rows() == []


@pytest.mark.parametrize("name", CORPUS_VARIANTS)
def test_every_variant_of_the_corpus_imports_with_exact_cells_rejections_findings_and_names(name: str) -> None:
    variant = CORPUS_VARIANTS[name]
    export = open_export(CORPUS / name, tz=TZ)
    assert (export.encoding, export.layout, export.rows) == (variant.encoding, variant.layout, variant.rows)
    results = list(export)
    got: Counter[tuple[str, str, str, str]] = Counter()
    findings: Counter[tuple[str, str]] = Counter()
    names: dict[tuple[str, str], str] = {}
    for r in results:
        if isinstance(r, Imported):
            e = r.event
            got[(e["municipality"], e["department"], e["channel"], e["direction"])] += 1
            findings.update((f.field, f.reason.value) for f in r.findings)
            if "department_name" in e:
                names[(e["municipality"], e["department"])] = e["department_name"]
    assert got == Counter(variant.cells)
    assert [(r.line, r.reason.value) for r in results if isinstance(r, RejectedRow)] == variant.rejected
    assert findings == Counter(variant.findings)
    assert names == variant.names
    assert all(r.field in COUNTING_FIELDS for r in results if isinstance(r, RejectedRow))
    day_cells, rejected = independent_count((CORPUS / name).read_bytes(), variant.encoding)
    assert (cells(day_cells), rejected) == (got, Counter(reason for _, reason in variant.rejected))


def test_the_corpus_is_saved_as_each_variant_says() -> None:
    raw = {name: (CORPUS / name).read_bytes() for name in CORPUS_VARIANTS}
    assert set(raw) == {p.name for p in CORPUS.glob("*.csv")}
    assert {n for n, b in raw.items() if b.startswith(b"\xef\xbb\xbf")} == {
        "tracetool-nummer-utf8-bom-lf.csv",
        "tracetool-utf8-bom-lf.csv",
    }
    assert {n for n, b in raw.items() if b.count(b"\r\n") == b.count(b"\n")} == {n for n in raw if "crlf" in n}
    assert {n for n in CORPUS_VARIANTS if detect_encoding(raw[n]) == "latin-1"} == {n for n in raw if "latin1" in n}


def test_the_shipped_sample_is_latin1_crlf_and_imports_every_row_with_the_event_clock() -> None:
    content = SAMPLE.read_bytes()
    assert detect_encoding(content) == "latin-1"
    assert content.count(b"\r\n") == content.count(b"\n") == 31
    export = open_export(SAMPLE, tz=TZ)
    counts, rejected, imported = importer_count(export)
    assert (export.rows, len(imported), rejected) == (30, 30, Counter())
    assert counts == independent_count(content, "latin-1")[0]
    # With the wall clock of a worker today, every row of 2014 is too old: none would be counted.
    wall = open_export(SAMPLE, tz=TZ, received_at=datetime(2026, 11, 20, tzinfo=TZ), retention=timedelta(days=400))
    assert [r.reason.value if isinstance(r, RejectedRow) else "counted" for r in wall] == ["too_old"] * 30
    assert len(wall.too_old_rows()) == 30
    assert Counter((k[1], k[2], k[3]) for k in counts.elements()) == Counter(
        {
            ("borgerservice", "personal", "in"): 2,
            ("borgerservice", "phone", "in"): 2,
            ("borgerservice", "self_service", "in"): 3,
            ("borgerservice", "digital_post", "out"): 1,
            ("jobcenter", "phone", "out"): 1,
            ("jobcenter", "email", "in"): 1,
            ("jobcenter", "email", "out"): 1,
            ("jobcenter", "digital_post", "in"): 1,
            ("boern-og-unge", "phone", "in"): 1,
            ("boern-og-unge", "letter", "in"): 1,
            ("boern-og-unge", "sms", "out"): 1,
            ("aeldre-og-sundhed", "phone", "in"): 1,
            ("aeldre-og-sundhed", "letter", "out"): 1,
            ("aeldre-og-sundhed", "remote_print", "out"): 1,
            ("teknik-og-miljoe", "email", "in"): 1,
            ("teknik-og-miljoe", "self_service", "in"): 1,
            ("teknik-og-miljoe", "phone", "in"): 1,
            ("teknik-og-miljoe", "system", "in"): 1,
            ("teknik-og-miljoe", "system", "out"): 1,
            ("unknown", "output_manager", "out"): 1,
            ("unknown", "web", "in"): 1,
            ("borgerservice", "phone", "out"): 1,  # 259borgerservice: Køge's (259) Borgerservice
            ("borgerservice", "sms", "in"): 1,
            ("kultur-fritid", "digital_post", "in"): 1,
            ("kultur-fritid", "personal", "in"): 1,
            ("kultur-fritid", "phone", "in"): 1,
        }
    )


def generated_file(seed: int, rows: int, encoding: str, newline: str) -> bytes:
    """A counting week of a municipality: random rows, bulk repeats and a few broken rows."""
    rng = random.Random(seed)
    units = [u for u in UNITS if u != "Jobcenter Aarhus"]
    codes = list(CODES)
    start = datetime(2014, 10, 20, 7, 0)
    out: list[str] = []
    while len(out) < rows:
        code = rng.choice(codes)
        phone_or_personal = code in ("TLFIND", "TLFUD", "PRSNLG")
        moment = start + timedelta(seconds=rng.randrange(14 * 86_400))
        fields = [
            rng.choice(["259", "259", "259", "183"]),
            str(len(out) + 1),
            rng.choice(units),
            rng.choice(["", "23.05.10", "23.05", "28.01.10", "17.01"]),
            code,
            rng.choice(["", "OPRET", "STATUS", "INFO", "VEJL", "SLVBTJN", "FEJL"]),
            rng.choice(["", "HOLD", "STRAKS"] if phone_or_personal else ["", "HOLD"]),
            rng.choice(["", "JA", "NEJ"]),
            moment.strftime("%d-%m-%Y %H:%M:%S"),
            "",
            "",
            rng.choice(["Tracetool", "DetDigitaleLandkort"]),
        ]
        defect = rng.random()
        if defect < 0.01:
            fields[4] = rng.choice(["FAX", "TLF", "BREV"])
        elif defect < 0.02:
            fields[8] = rng.choice(["31-09-2014 10:00:00", "2014-10-21 10:00:00", "21/10/2014"])
        elif defect < 0.025:
            fields[0] = rng.choice(["25", "0259", "Køge"])
        elif defect < 0.03 and not phone_or_personal:
            fields[6] = "STRAKS"
        line = ";".join(fields) + ";"
        out.extend([line] * (rng.randrange(2, 20) if rng.random() < 0.02 else 1))  # bulk registrations
    header = TRACETOOL + ";Aldersgruppe;"
    return (newline.join([header, *out[:rows]]) + newline).encode(encoding)


@pytest.mark.parametrize(
    ("seed", "encoding", "newline"), [(1, "latin-1", "\r\n"), (20141103, "utf-8-sig", "\n"), (7, "utf-8", "\r\n")]
)
def test_a_generated_file_of_thousands_of_rows_matches_the_independent_count(
    seed: int, encoding: str, newline: str
) -> None:
    content = generated_file(seed, 3000, encoding, newline)
    export = ExportFile(content, f"seed-{seed}.csv", tz=TZ)
    counts, rejected, imported = importer_count(export)
    expected_counts, expected_rejected = independent_count(content, encoding)
    assert (export.encoding, export.rows) == (encoding, 3000)
    assert sum(expected_counts.values()) + sum(expected_rejected.values()) == 3000
    assert counts == expected_counts
    assert rejected == expected_rejected
    assert len({r.event["event_id"] for r in imported}) == len(imported)
    agg = Aggregation(TZ, retention_days=100_000)
    assert sum(agg.add(parse_event(r.event)) for r in imported) == len(imported)


def test_the_summary_reads_in_danish_and_english() -> None:
    rows = [*VARIANT_ROWS[6:10], "", *VARIANT_ROWS[:2], "259;13;A;23.5;TLFIND;KLAGE;;J;03-11-2014 09:15:00;;;T"]
    export = ExportFile(build(rows, local_columns=False), "uge45.csv", tz=TZ)
    summary = ImportSummary()
    summary.add_file(export)
    for result in export:
        summary.add(result)
    summary.published = 4
    assert summary.format() == (
        "Læst 1 fil, 7 rækker: 4 henvendelser, 3 afvist, 4 sendt.\n"
        "1 tom linje sprunget over.\n"
        "Afvist pr. årsag:\n"
        "  unknown_code (ukendt kode): 2 (fx uge45.csv:2, uge45.csv:5)\n"
        "  invalid_format (ugyldigt format): 1 (fx uge45.csv:3)\n"
        "Beskrivende felter rettet eller udeladt i 1 række (de er talt med):\n"
        "  Blanket, rettet: 1 (fx uge45.csv:9)\n"
        "  Type, udeladt, ukendt kode: 1 (fx uge45.csv:9)\n"
        "  Opgave, udeladt, ugyldigt format: 1 (fx uge45.csv:9)"
    )
    assert summary.format("en") == (
        "Read 1 file, 7 rows: 4 events, 3 rejected, 4 published.\n"
        "1 blank line skipped.\n"
        "Rejected by reason:\n"
        "  unknown_code: 2 (e.g. uge45.csv:2, uge45.csv:5)\n"
        "  invalid_format: 1 (e.g. uge45.csv:3)\n"
        "Descriptive fields normalised or left out in 1 row (they are counted):\n"
        "  form (Blanket), normalised: 1 (e.g. uge45.csv:9)\n"
        "  inquiry_type (Type), left out, unknown code: 1 (e.g. uge45.csv:9)\n"
        "  kle (Opgave), left out, invalid format: 1 (e.g. uge45.csv:9)"
    )


def test_the_summary_says_what_to_do_about_rows_too_old_for_the_wall_clock() -> None:
    summary = ImportSummary(retention_days=400)
    summary.add(RejectedRow("a.csv", 2, Reason.TOO_OLD, "x", "x", "occurred_at"))
    assert summary.format().splitlines()[-1] == (
        "Rækker ældre end 400 dage er ikke sendt: en worker med vægur (--clock wall) afviser dem som too_old. "
        "Kør workeren og importen med --clock event (KOMHEN_CLOCK=event) for at tælle gamle tælleuger."
    )
    assert summary.format("en").splitlines()[-1].startswith("Rows older than 400 days were not sent")


def test_the_summary_uses_danish_thousands_separators_and_keeps_three_examples() -> None:
    summary = ImportSummary(files=2, rows=12_345, events=12_340)
    for line in range(5):
        summary.add(RejectedRow("a.csv", line + 2, Reason.UNKNOWN_CODE, "x"))
    assert summary.format() == (
        "Læst 2 filer, 12.350 rækker: 12.340 henvendelser, 5 afvist.\n"
        "Afvist pr. årsag:\n"
        "  unknown_code (ukendt kode): 5 (fx a.csv:2, a.csv:3, a.csv:4)"
    )


@pytest.mark.parametrize(
    ("unit", "municipality", "without"),
    [
        ("183borgerservice", "183", "borgerservice"),
        ("183 Børn og Unge", "183", "Børn og Unge"),
        ("183-Ydelse", "183", "Ydelse"),
        ("259borgerservice", "183", "259borgerservice"),
        ("183", "183", "183"),
        ("1830 Skovlunde", "183", "1830 Skovlunde"),
        ("  183_jobcenter ", "183", "jobcenter"),
    ],
)
def test_the_municipality_number_in_front_of_a_unit_is_not_part_of_the_department(
    unit: str, municipality: str, without: str
) -> None:
    assert without_municipality_number(unit, municipality) == without


@pytest.mark.parametrize(
    ("unit", "slug"),
    [
        ("Børn og Unge", "boern-og-unge"),
        ("ÆLDRE & SUNDHED", "aeldre-sundhed"),
        ("Café Åen", "cafe-aaen"),
        ("259borgerservice", "259borgerservice"),
        ("  Borgerservice  ", "borgerservice"),
        ("Social-, Job- og Sundhedsforvaltningen", "social-job-og-sundhedsforvaltningen"),
        ("_intern_enhed_", "intern_enhed"),
        ("Straße", "strasse"),
        ("", "unknown"),
        ("   ", "unknown"),
        ("a" * 64, "a" * 64),
        ("a" * 65, "a" * 55 + "-635361c4"),
    ],
)
def test_units_become_department_slugs(unit: str, slug: str) -> None:
    assert department_slug(unit) == slug
    assert identifiers.DEPARTMENT.match(slug)


def test_long_units_sharing_a_prefix_stay_apart() -> None:
    a, b = department_slug("x" * 70 + " A"), department_slug("x" * 70 + " B")
    assert (len(a), len(b), a[:55], a != b) == (64, 64, "x" * 55, True)


def test_a_unit_without_letters_or_digits_has_no_slug() -> None:
    with pytest.raises(NoSlug) as danish:
        department_slug(" ??? ")
    with speaking("en"), pytest.raises(NoSlug) as english:
        department_slug(" ??? ")
    assert (str(danish.value), str(english.value), danish.value.detail) == (
        "enheden '???' har hverken bogstaver eller cifre at kende afdelingen på; giv den et navn med bogstaver eller "
        "cifre",
        "unit '???' has no letter or digit to name a department by; give it a name with letters or digits",
        "unit '???' has no letter or digit to name a department by",
    )


def test_a_cpr_number_in_a_descriptive_column_is_left_out_unread_and_the_inquiry_counts() -> None:
    rows = ["259;1;Borgerservice;0101901234;TLFIND;VEJL;STRAKS;01.01.90-1234;03-11-2014 08:00:00;;;T"]
    [result] = list(ExportFile(build(rows), "f.csv", tz=TZ))
    assert isinstance(result, Imported)
    assert [(f.field, f.reason) for f in result.findings] == [
        ("kle", FindingReason.PERSONAL_DATA),
        ("form", FindingReason.PERSONAL_DATA),
    ]
    assert "kle" not in result.event and "form" not in result.event
    assert "1234" not in json.dumps(result.event) and all("1234" not in f.value for f in result.findings)
    assert (result.event["inquiry_type"], result.event["completion"]) == ("VEJL", "immediate")
