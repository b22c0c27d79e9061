"""Properties of the KOMHEN file importer (streams.ingress.komhen.export_file.ExportFile) on generated input.

Whatever the bytes: the importer either refuses the whole file with ExportFormatError (not an
export) or gives exactly one Imported or RejectedRow per data row (rows counted + rows rejected =
data rows), a row is rejected only for a counting field, every Imported event passes the worker's
validator, and reading the same bytes twice gives the same events (so importing a file twice
counts it once). And whatever the descriptive columns hold, the counts per municipality, unit,
channel and direction equal a count made without the importer (tests/fixtures/komhen_corpus.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from streams.domain.events.inquiry import Reason
from streams.ingress.komhen.export_file import ExportFile, ExportFormatError
from streams.ingress.komhen.results import Imported, RejectedRow
from streams.ingress.komhen.rows import COUNTING_FIELDS
from tests.fixtures.factories import TZ, parse_event
from tests.fixtures.komhen_corpus import CODES, MUNICIPALITY_NAMES, UNITS, cells, independent_count
from tests.unit.ingress.test_komhen_file import KL_UPLOAD, TRACETOOL

RECEIVED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RETENTION = timedelta(days=400)
PROPERTY_SETTINGS = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], database=None)


def check(content: bytes, *, received_at: datetime | None = None, retention: timedelta | None = None) -> int:
    """Assert the row properties of `content`; return the number of data rows (-1: not an export)."""
    try:
        export = ExportFile(content, "prop.csv", tz=TZ, received_at=received_at, retention=retention)
    except ExportFormatError:
        return -1
    results = list(export)
    assert len(results) == export.rows  # exactly one result per data row
    assert all(isinstance(r, Imported | RejectedRow) for r in results)
    imported = [r for r in results if isinstance(r, Imported)]
    outcomes.extend(isinstance(r, Imported) for r in results)
    rejected = [r for r in results if isinstance(r, RejectedRow)]
    assert len(imported) + len(rejected) == export.rows
    for refused in rejected:  # only a counting field, or a line the csv module cannot split
        assert refused.field in COUNTING_FIELDS or (
            refused.field is None and refused.detail.startswith("unreadable line")
        ), refused
    for row in imported:
        event = parse_event(row.event, received_at=received_at, retention=retention)
        assert event.source == "komhen-import"
        assert row.event["event_id"] == f"kmh-{export.content_id}-{row.line}"
    assert len({r.line for r in results}) == len(results)  # one result per physical line
    again = list(ExportFile(content, "prop.csv", tz=TZ, received_at=received_at, retention=retention))
    assert again == results  # deterministic: the same file gives the same event ids
    return export.rows


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\x00\x00;\r\r\n")
@example((TRACETOOL + "\n\x00;\n").encode())
@example(b"\xfe\xff\x00K\x00o\x00")  # a UTF-16 mark on bytes that are no UTF-16 (found by hypothesis)
def test_any_bytes_never_crash_the_importer(content: bytes) -> None:
    check(content)


FIELD = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", '"', '";"', "\t", "0101901234", "010190-1234", "æøå", "ÆØÅ\u00a0", "\r"]),
)


def weighted(*choices: tuple[int, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """One of the strategies, each as often as its weight says; only the chosen one is drawn (drawing all
    and keeping one spent most of these tests' time in hypothesis)."""
    table = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.integers(0, len(table) - 1).flatmap(table.__getitem__)


def mostly(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """Usually a value a real export has, sometimes a broken one, sometimes anything."""
    return weighted((8, st.sampled_from(good)), (1, st.sampled_from(bad)), (1, FIELD))


MUNICIPALITY = mostly(["259", "183", " 259 ", "0259", "Køge", "Ishøj Kommune", "KØGE"], ["25", "Atlantis", ""])
UNIT = mostly(sorted(UNITS), ["Afd. 010190-1234", "---", "x" * 200])
KLE = mostly(["", "23.05.10", "23.05", "23.05.10 Flytning", "17.01"], ["23.5.10", "2305.10"])
CODE = mostly([*sorted(CODES), "tlfind"], ["FAX", "TLF", ""])
TYPE = mostly(["", "OPRET", "STATUS", "VEJL"], ["KLAGE"])
COMPLETION = mostly(["", "HOLD", "STRAKS"], ["straks", "X", "immediate"])  # STRAKS on any channel
FORM = mostly(["", "JA", "NEJ", "ja"], ["måske", "J", "1", "Yes"])
DATE = weighted(
    (
        7,
        st.builds(
            lambda d, h, m: f"{d:%d-%m-%Y} {h:02}:{m:02}:00",
            st.dates(min_value=datetime(1990, 1, 1).date(), max_value=datetime(2026, 11, 19).date()),
            st.integers(0, 23),
            st.integers(0, 59),
        ),
    ),
    (
        2,
        st.sampled_from(
            [
                "20-10-2014",
                "30-03-2014 02:30:00",  # in the spring gap
                "26-10-2014 02:30:00",  # ambiguous autumn hour
                "20-11-2026 10:10:00",  # after RECEIVED + 5 minutes: future_timestamp with a receive time
                "31-09-2014 10:00:00",
                "2014-10-21 10:00:00",
                "01-01-0001 00:00:00",
                "31-12-9999 23:59:59",
                "",
            ]
        ),
    ),
    (1, FIELD),
)
TIME = mostly(["", "10:00", "10:05:30", "09:00", "20-10-2014 11:00:00"], ["25:00", "10:61"])
COLUMNS = {  # what each column of either layout holds; only the columns of the drawn header are drawn
    "Kommune": MUNICIPALITY,
    "KommuneID": MUNICIPALITY,
    "ID": st.integers(0, 10**6).map(str),
    "Enhed": UNIT,
    "Opgave": KLE,
    "KLE Opgave kode": KLE,
    "Kanal": CODE,
    "Henvendelses Kanal": CODE,
    "Type": TYPE,
    "Henvendelses type": TYPE,
    "Afslutning": COMPLETION,
    "Blanket": FORM,
    "Dato": DATE,
    "StartTidspunkt": TIME,
    "SlutTidspunkt": TIME,
}
outcomes: list[bool] = []


@st.composite
def export_files(draw: st.DrawFn) -> bytes:
    """A TraceTool or KL upload file of random rows near the boundary, saved as files are saved."""
    layout = draw(st.sampled_from(["tracetool", "kl"]))
    if layout == "tracetool":
        header = TRACETOOL.split(";") + draw(st.lists(st.sampled_from(["Aldersgruppe", "Note", ""]), max_size=2))
    else:
        header = KL_UPLOAD.split(";")
    rows = []
    for _ in range(draw(st.integers(0, 25))):
        row = [draw(COLUMNS.get(name, FIELD)) for name in header]  # a column no layout knows: anything
        if draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(0, len(row)))]  # a short row
        rows.append(";".join(row) + draw(st.sampled_from([";", ""])))
    if draw(st.booleans()):
        rows.insert(draw(st.integers(0, len(rows))), "")  # a blank line
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    text = newline.join([";".join(header) + ";", *rows]) + draw(st.sampled_from([newline, ""]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
    return text.encode(encoding, errors="replace")


@PROPERTY_SETTINGS
@given(export_files())
def check_generated_exports(content: bytes) -> None:
    assert check(content) >= 0  # a file with a proper header is always read


def test_every_row_of_an_export_is_imported_or_rejected_and_imported_rows_are_valid_events() -> None:
    outcomes.clear()
    check_generated_exports()
    # Both sides were exercised: rows that import and rows that are rejected.
    assert outcomes.count(True) > 300 and outcomes.count(False) > 300, (outcomes.count(True), outcomes.count(False))


@PROPERTY_SETTINGS
@given(export_files())
def test_with_a_receive_time_and_retention_imported_rows_pass_the_same_time_checks(content: bytes) -> None:
    assert check(content, received_at=RECEIVED, retention=RETENTION) >= 0


def test_a_huge_field_in_a_data_row_is_a_rejected_row() -> None:
    content = (TRACETOOL + ";\n183;1;" + "x" * 200_000 + ";;TLFIND;;;;20-10-2014 10:00:00;;;x;\n").encode()
    assert check(content) == 1


def test_a_huge_field_in_the_header_is_an_export_format_error() -> None:
    content = ('"' + "x" * 200_000 + '";' + TRACETOOL + ";\n183;1;Borgerservice;;TLFIND;;;;20-10-2014;;;x;\n").encode()
    with pytest.raises(ExportFormatError):
        ExportFile(content, "huge-header.csv", tz=TZ)


# Counting columns from tables the independent count knows; descriptive columns anything at all
# that stays inside its field (no ';', quote or line break, which would move the other columns).
CELL_TEXT = st.text(alphabet=st.characters(blacklist_characters=';"\r\n', blacklist_categories=["Cs"]), max_size=25)
COUNTING = {
    "Kommune": st.sampled_from([*MUNICIPALITY_NAMES, "259", "0183", "999", "Atlantis", ""]),
    "KommuneID": st.sampled_from(["751", "0751", "165", "25", ""]),
    "ID": st.sampled_from(["", "183", "259", "48213", "1"]),
    "Enhed": st.sampled_from([*sorted(UNITS), "???", "Sag 010190-1234", "183borgerservice", "259 Ydelse"]),
    "Kanal": st.sampled_from([*sorted(CODES), "FAX", ""]),
    "Henvendelses Kanal": st.sampled_from([*sorted(CODES), "FAX", ""]),
    "Dato": st.sampled_from(["03-11-2014 09:15:00", "04-11-2014", "04-11-2014 08:05", "31-11-2014 10:00:00", ""]),
}


@st.composite
def files_with_any_descriptive_values(draw: st.DrawFn) -> tuple[bytes, str]:
    layout = draw(st.sampled_from(["tracetool", "kl"]))
    header = (TRACETOOL + ";Note").split(";") if layout == "tracetool" else KL_UPLOAD.split(";")
    rows = []
    for _ in range(draw(st.integers(1, 30))):
        row = [draw(COUNTING[name]) if name in COUNTING else draw(CELL_TEXT) for name in header]
        rows.append(";".join(row))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    text = newline.join([";".join(header), *rows]) + newline
    return text.encode(encoding, errors="replace"), encoding


tallies: Counter[str] = Counter()


@PROPERTY_SETTINGS
@given(files_with_any_descriptive_values())
def check_counts_against_the_independent_count(file: tuple[bytes, str]) -> None:
    content, encoding = file
    rows = check(content)
    export = ExportFile(content, "prop.csv", tz=TZ)
    counted: Counter[tuple[str, str, str, str]] = Counter()
    rejected: Counter[str] = Counter()
    for result in export:
        if isinstance(result, Imported):
            e = result.event
            counted[(e["municipality"], e["department"], e["channel"], e["direction"])] += 1
        else:
            rejected[result.reason.value] += 1
    expected, expected_rejected = independent_count(content, "utf-8-sig" if encoding == "utf-8-sig" else encoding)
    assert (counted, rejected) == (cells(expected), expected_rejected)
    assert sum(counted.values()) + sum(rejected.values()) == rows
    assert set(rejected) <= {
        r.value for r in (Reason.MISSING_FIELD, Reason.INVALID_FORMAT, Reason.UNKNOWN_CODE, Reason.PERSONAL_DATA)
    }
    tallies.update(counted=sum(counted.values()), rejected=sum(rejected.values()))
    tallies.update(findings=sum(len(r.findings) for r in export if isinstance(r, Imported)))


def test_counts_per_unit_channel_and_direction_equal_an_independent_count_whatever_the_descriptive_columns_hold() -> (
    None
):
    tallies.clear()
    check_counts_against_the_independent_count()
    # Rows were counted and rejected, and descriptive junk was met (and did not change a count).
    assert tallies["counted"] > 500 and tallies["rejected"] > 500 and tallies["findings"] > 500, tallies
