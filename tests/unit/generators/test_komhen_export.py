"""KL upload layout export: exact bytes, day resolution, and import → export → import round trips."""

from __future__ import annotations

import io
import random
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import Cell
from streams.domain.events.inquiry import InquiryEvent
from streams.generators.komhen_export import HEADER, export_rows, write_export, write_export_file
from streams.ingress.komhen.export_file import ExportFile, open_export
from streams.ingress.komhen.results import Imported, RejectedRow
from tests.fixtures.factories import REPO_ROOT, inquiry, parse_event

TZ = ZoneInfo("Europe/Copenhagen")
SAMPLE = REPO_ROOT / "schemas" / "samples" / "komhen-tracetool-export.csv"
LAYOUT = "KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;Blanket;Dato"


def event(
    n: int, occurred_at: str, department: str = "borgerservice", municipality: str = "259", **fields: object
) -> InquiryEvent:
    return inquiry(
        f"t-{n}", source="test", occurred_at=occurred_at, municipality=municipality, department=department, **fields
    )


def aggregation(*events: InquiryEvent) -> Aggregation:
    agg = Aggregation(TZ, retention_days=100_000)
    for e in events:
        assert agg.add(e)
    return agg


def export_bytes(aggs: list[Aggregation], first: date, last: date, **options: str) -> bytes:
    out = io.BytesIO()
    write_export(aggs, first, last, out, **options)
    return out.getvalue()


def state(aggs: list[Aggregation]) -> dict[tuple[str, str, int], Counter[Cell]]:
    """Every bucket's joint counts: unit, channel, direction, type, KLE, completion, form per day."""
    out: dict[tuple[str, str, int], Counter[Cell]] = {}
    for agg in aggs:
        for (municipality, department), day, bucket in agg.days():
            out.setdefault((municipality, department, day), Counter()).update(bucket.cells)
    return out


def imported(export: ExportFile) -> Aggregation:
    results = list(export)
    assert [r for r in results if isinstance(r, RejectedRow)] == []
    return aggregation(*(parse_event(r.event) for r in results if isinstance(r, Imported)))


SMALL = [
    event(1, "2014-11-03T09:15:00+01:00", channel="phone", direction="in", inquiry_type="VEJL", kle="28.01.10",
          completion="immediate", form=False),
    event(2, "2014-11-03T16:00:00+01:00", channel="phone", direction="in", inquiry_type="VEJL", kle="28.01.10",
          completion="immediate", form=False),
    event(3, "2014-11-03T10:00:00+01:00", channel="digital_post", direction="in", kle="32.18"),
    event(4, "2014-11-03T23:30:00+01:00", "unknown", channel="web", direction="in"),
    event(5, "2014-11-02T23:30:00+00:00", "oekonomi", channel="system", direction="in"),
    event(6, "2014-11-05T08:00:00+01:00", channel="remote_print", direction="out"),
    event(7, "2014-11-06T08:00:00+01:00", channel="email", direction="out"),
    event(8, "2014-11-04T12:00:00+01:00", "jobcenter", "183", channel="sms", direction="out", form=True),
]  # fmt: skip


def test_the_export_is_kls_upload_layout_byte_for_byte() -> None:
    content = export_bytes([aggregation(*SMALL)], date(2014, 11, 3), date(2014, 11, 5))
    assert content == (
        "KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;Blanket;Dato\r\n"
        "259;borgerservice;32.18;DOKIND;;;;03-11-2014 00:00:00\r\n"
        "259;borgerservice;28.01.10;TLFIND;VEJL;STRAKS;NEJ;03-11-2014 00:00:00\r\n"
        "259;borgerservice;28.01.10;TLFIND;VEJL;STRAKS;NEJ;03-11-2014 00:00:00\r\n"
        "259;oekonomi;;SYSIND;;;;03-11-2014 00:00:00\r\n"
        "259;;;WEB;;;;03-11-2014 00:00:00\r\n"
        "183;jobcenter;;SMSUD;;;JA;04-11-2014 00:00:00\r\n"
        "259;borgerservice;;FPRNT;;;;05-11-2014 00:00:00\r\n"
    ).encode("ascii")


def test_header_constant_is_the_layout() -> None:
    assert ";".join(HEADER) == LAYOUT


def test_a_cell_counted_n_times_gives_n_rows() -> None:
    events = [event(n, "2014-11-03T09:00:00+01:00", channel="personal", direction="in") for n in range(7)]
    rows = list(export_rows([aggregation(*events)], date(2014, 11, 3), date(2014, 11, 3)))
    assert rows == [("259", "borgerservice", "", "PRSNLG", "", "", "", "03-11-2014 00:00:00")] * 7


def test_only_days_in_the_inclusive_range_and_the_chosen_municipality_are_written() -> None:
    aggs = [aggregation(*SMALL)]
    assert [r[-1][:10] for r in export_rows(aggs, date(2014, 11, 4), date(2014, 11, 6))] == [
        "04-11-2014",
        "05-11-2014",
        "06-11-2014",
    ]
    assert [r[0] for r in export_rows(aggs, date(2014, 11, 1), date(2014, 11, 30), municipality="183")] == ["183"]
    assert list(export_rows(aggs, date(2014, 12, 1), date(2014, 12, 31))) == []


def test_partitions_are_exported_together_in_one_order() -> None:
    one = export_bytes([aggregation(*SMALL)], date(2014, 11, 1), date(2014, 11, 30))
    split = export_bytes([aggregation(*SMALL[1::2]), aggregation(*SMALL[::2])], date(2014, 11, 1), date(2014, 11, 30))
    assert one == split


def test_write_export_returns_the_number_of_rows_written() -> None:
    aggs = [aggregation(*SMALL)]
    out = io.BytesIO()
    written = write_export(aggs, date(2014, 11, 1), date(2014, 11, 5), out)
    assert (written.rows, written.names_as_slugs) == (7, set())
    assert out.getvalue().count(b"\r\n") == 8
    assert not out.closed


def test_without_unit_names_the_export_is_ascii_so_latin1_and_utf8_give_the_same_bytes() -> None:
    aggs = [aggregation(*SMALL)]
    latin1 = export_bytes(aggs, date(2014, 11, 1), date(2014, 11, 30))
    assert export_bytes(aggs, date(2014, 11, 1), date(2014, 11, 30), encoding="utf-8") == latin1
    assert export_bytes(aggs, date(2014, 11, 1), date(2014, 11, 30), encoding="utf-8-sig") == b"\xef\xbb\xbf" + latin1
    assert latin1.isascii()


NAMED = [
    event(1, "2014-11-03T09:00:00+01:00", "boern-og-unge", channel="phone", direction="in",
          department_name="Børn og Unge"),
    event(2, "2014-11-04T09:00:00+01:00", "boern-og-unge", channel="phone", direction="in"),  # no name that day
    event(3, "2014-11-05T09:00:00+01:00", "boern-og-unge", channel="phone", direction="in",
          department_name="BØRN OG UNGE"),  # the newest name: written for days without one
    event(4, "2014-11-03T09:00:00+01:00", "aeldre-og-sundhed", channel="letter", direction="in",
          department_name="Ældre og Sundhed"),
    event(5, "2014-11-03T10:00:00+01:00", "lodz", channel="email", direction="in", department_name="Łódź"),
]  # fmt: skip


def test_units_are_written_with_their_names_in_danish_letters_in_latin1_by_default() -> None:
    out = io.BytesIO()
    written = write_export([aggregation(*NAMED)], date(2014, 11, 3), date(2014, 11, 5), out)
    assert (
        out.getvalue().decode("latin-1")
        == (
            LAYOUT + "\r\n"
            "259;Ældre og Sundhed;;PPRIND;;;;03-11-2014 00:00:00\r\n"  # in the order of the departments
            "259;Børn og Unge;;TLFIND;;;;03-11-2014 00:00:00\r\n"
            "259;lodz;;EMLIND;;;;03-11-2014 00:00:00\r\n"
            "259;BØRN OG UNGE;;TLFIND;;;;04-11-2014 00:00:00\r\n"
            "259;BØRN OG UNGE;;TLFIND;;;;05-11-2014 00:00:00\r\n"
        )
    )
    assert (written.rows, written.names_as_slugs) == (5, {"Łódź"})  # Ł is not in Latin-1: the slug instead
    utf8 = io.BytesIO()
    assert (
        write_export([aggregation(*NAMED)], date(2014, 11, 3), date(2014, 11, 3), utf8, encoding="utf-8").names_as_slugs
        == set()
    )
    assert "259;Łódź;;EMLIND" in utf8.getvalue().decode("utf-8")


def test_names_survive_export_and_import() -> None:
    original = aggregation(*NAMED[:4])
    again, export = round_trip(original, date(2014, 11, 3), date(2014, 11, 5))
    assert export.encoding == "latin-1"
    assert state([again]) == state([original])
    assert (
        again.department_names()
        == original.department_names()
        == {
            ("259", "boern-og-unge"): "BØRN OG UNGE",
            ("259", "aeldre-og-sundhed"): "Ældre og Sundhed",
        }
    )


def test_a_reversed_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^export range: from 2014-11-06 is after to 2014-11-05$"):
        list(export_rows([], date(2014, 11, 6), date(2014, 11, 5)))
    with pytest.raises(ValueError, match=r"^export range: from 2014-11-06 is after to 2014-11-05$"):
        write_export([], date(2014, 11, 6), date(2014, 11, 5), io.BytesIO())


def test_an_unknown_encoding_is_refused_before_writing() -> None:
    out = io.BytesIO()
    with pytest.raises(LookupError, match=r"^unknown encoding: latin-99$"):
        write_export([], date(2014, 11, 1), date(2014, 11, 2), out, encoding="latin-99")
    assert out.getvalue() == b""


def test_an_empty_state_exports_only_the_header(tmp_path: Path) -> None:
    path = tmp_path / "komhen.csv"
    assert write_export_file([], date(2014, 11, 1), date(2014, 11, 2), path).rows == 0
    assert path.read_bytes() == (LAYOUT + "\r\n").encode()


def round_trip(original: Aggregation, first: date, last: date) -> tuple[Aggregation, ExportFile]:
    export = ExportFile(export_bytes([original], first, last), "export.csv", tz=TZ)
    return imported(export), export


def test_the_shipped_sample_survives_import_export_import() -> None:
    original = imported(open_export(SAMPLE, tz=TZ))
    again, export = round_trip(original, date(2014, 11, 3), date(2014, 11, 5))
    assert (export.layout, export.rows) == ("kl-upload", 30)
    assert sum(sum(cells.values()) for cells in state([original]).values()) == 30
    assert state([again]) == state([original])


def test_day_buckets_across_dst_changes_survive_import_export_import() -> None:
    events = [
        event(1, "2014-10-26T00:30:00+02:00", channel="phone", direction="in"),
        event(2, "2014-10-26T02:30:00+02:00", channel="phone", direction="in"),
        event(3, "2014-10-26T02:30:00+01:00", channel="phone", direction="in"),
        event(4, "2014-10-26T23:59:59+01:00", channel="phone", direction="in"),
        event(5, "2014-03-30T03:30:00+02:00", channel="personal", direction="in"),
        event(6, "2014-03-29T23:30:00+00:00", channel="personal", direction="in"),
    ]
    original = aggregation(*events)
    again, _ = round_trip(original, date(2014, 3, 1), date(2014, 10, 31))
    assert state([again]) == state([original])
    assert {date.fromordinal(day) for _, _, day in state([again])} == {date(2014, 10, 26), date(2014, 3, 30)}


UNITS = ["Borgerservice", "Børn og Unge", "Ældre & Sundhed", "", "259borgerservice", "Café Åen"]
CODES = ["SLVBTJN", "TLFIND", "TLFUD", "PRSNLG", "EMLIND", "EMLUD", "PPRIND", "PPRUD", "DOKIND", "DOCIND", "DOKUD",
         "SMSIND", "SMSUD", "WEB", "SYSIND", "SYSECOIND", "SYSMEDIND", "SYSECOUD", "FPRNT", "MGRUD"]  # fmt: skip


def random_tracetool_file(seed: int, rows: int) -> bytes:
    """A Latin-1 TraceTool export over two counting weeks, spanning the autumn DST change."""
    rng = random.Random(seed)
    start = datetime(2014, 10, 20, 0, 0)
    lines = ["Kommune;ID;Enhed;Opgave;Kanal;Type;Afslutning;Blanket;Dato;StartTidspunkt;SlutTidspunkt;Datakilde;"]
    while len(lines) <= rows:
        code = rng.choice(CODES)
        completion = rng.choice(["", "HOLD", "STRAKS"] if code in ("TLFIND", "TLFUD", "PRSNLG") else ["", "HOLD"])
        fields = [
            rng.choice(["259", "183"]),
            str(len(lines)),
            rng.choice(UNITS),
            rng.choice(["", "23.05.10", "23.05", "28.01.10"]),
            code,
            rng.choice(["", "OPRET", "STATUS", "INFO", "VEJL", "SLVBTJN", "FEJL"]),
            completion,
            rng.choice(["", "JA", "NEJ"]),
            (start + timedelta(seconds=rng.randrange(14 * 86_400))).strftime("%d-%m-%Y %H:%M:%S"),
            "",
            "",
            "Tracetool",
        ]
        lines.extend([";".join(fields) + ";"] * (rng.randrange(2, 10) if rng.random() < 0.03 else 1))
    return ("\r\n".join(lines[: rows + 1]) + "\r\n").encode("latin-1")


@pytest.mark.parametrize("seed", [3, 2014])
def test_thousands_of_random_rows_survive_import_export_import(seed: int) -> None:
    original = imported(ExportFile(random_tracetool_file(seed, 2500), "uge43-44.csv", tz=TZ))
    again, export = round_trip(original, date(2014, 10, 20), date(2014, 11, 2))
    assert export.rows == 2500
    assert sum(sum(cells.values()) for cells in state([original]).values()) == 2500
    assert state([again]) == state([original])
    # and a second round changes nothing
    third, _ = round_trip(again, date(2014, 10, 20), date(2014, 11, 2))
    assert state([third]) == state([original])


def test_exported_dates_are_midnight_of_the_bucket_day() -> None:
    rows = list(export_rows([aggregation(*SMALL)], date(2014, 11, 1), date(2014, 11, 30)))
    assert {re.fullmatch(r"\d{2}-\d{2}-\d{4} 00:00:00", r[-1]) is not None for r in rows} == {True}
    assert rows[-1][-1] == "06-11-2014 00:00:00"
