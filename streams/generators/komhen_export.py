"""Write the counted state in KL's KOMHEN upload layout, so municipalities can still deliver.

Layout: `KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;
Blanket;Dato`, one row per inquiry (a cell counted n times on a day gives n identical
rows), Windows line endings, no quoting needed.

Day resolution: the state keeps one bucket per department and local day, not the events
themselves, so every row's Dato is the bucket's day at `00:00:00` (Danish local time), and
StartTidspunkt/SlutTidspunkt (duration) cannot be written. Per day, the counts of every
KOMHEN parameter are exact: importing the export gives the same buckets.

Encoding: every field is ASCII (department slugs, export codes, KLE numbers, digits), so
the bytes are identical in UTF-8 and Latin-1; `encoding` exists for callers who want to
name one (`--encoding latin-1`) and no BOM is written unless asked for (`utf-8-sig`).
Departments named `unknown` (blank units in the source) are written with a blank Enhed, as
KOMHEN registered them; the importer reads a blank unit back as `unknown`.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from streams.domain.aggregation import Aggregation, Cell
from streams.domain.codes import code_table
from streams.domain.departments import UNKNOWN_DEPARTMENT

HEADER = (
    "KommuneID",
    "Enhed",
    "KLE Opgave kode",
    "Henvendelses Kanal",
    "Henvendelses type",
    "Afslutning",
    "Blanket",
    "Dato",
)
ExportRow = tuple[str, str, str, str, str, str, str, str]
DayKey = tuple[int, str, str]  # (day ordinal, municipality, department)


def _check_range(first: date, last: date) -> None:
    if first > last:
        raise ValueError(f"export range: from {first.isoformat()} is after to {last.isoformat()}")


def day_cells(
    aggregations: Iterable[Aggregation], first: date, last: date, *, municipality: str | None = None
) -> dict[DayKey, Counter[Cell]]:
    """Cell counts per local day and department over an inclusive range of days."""
    _check_range(first, last)
    first_day, last_day = first.toordinal(), last.toordinal()
    out: dict[DayKey, Counter[Cell]] = {}
    for agg in aggregations:
        for (mun, department), day, bucket in agg.days():
            if first_day <= day <= last_day and (municipality is None or mun == municipality):
                out.setdefault((day, mun, department), Counter()).update(bucket.cells)
    return out


def _cell_order(cell: Cell) -> tuple[str, ...]:
    return (
        cell.channel,
        cell.direction,
        cell.inquiry_type or "",
        cell.kle or "",
        cell.completion or "",
        "" if cell.form is None else str(cell.form),
    )


def export_rows(
    aggregations: Iterable[Aggregation], first: date, last: date, *, municipality: str | None = None
) -> Iterator[ExportRow]:
    """The data rows (no header), sorted by day, municipality, department and codes.

    A generator: a year of a large municipality is millions of rows and is never held as text.
    """
    codes = code_table()
    per_day = day_cells(aggregations, first, last, municipality=municipality)
    for day, mun, department in sorted(per_day):
        dato = f"{date.fromordinal(day):%d-%m-%Y} 00:00:00"
        enhed = "" if department == UNKNOWN_DEPARTMENT else department
        cells = per_day[(day, mun, department)]
        for cell in sorted(cells, key=_cell_order):
            row: ExportRow = (
                mun,
                enhed,
                cell.kle or "",
                codes.export_code(cell.channel, cell.direction),
                cell.inquiry_type or "",
                codes.completion_codes[cell.completion] if cell.completion else "",
                codes.form_codes[cell.form] if cell.form is not None else "",
                dato,
            )
            for _ in range(cells[cell]):
                yield row


def write_export(
    aggregations: Iterable[Aggregation],
    first: date,
    last: date,
    out: BinaryIO,
    *,
    encoding: str = "utf-8",
    municipality: str | None = None,
) -> int:
    """Write header and rows to a binary stream; return the number of data rows written."""
    codecs.lookup(encoding)  # LookupError with Python's message for an unknown encoding
    _check_range(first, last)
    text = io.TextIOWrapper(out, encoding=encoding, newline="", write_through=True)
    try:
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        written = 0
        for row in export_rows(aggregations, first, last, municipality=municipality):
            writer.writerow(row)
            written += 1
        text.flush()
    finally:
        text.detach()  # leave `out` open: it belongs to the caller
    return written


def write_export_file(
    aggregations: Iterable[Aggregation],
    first: date,
    last: date,
    path: str | Path,
    *,
    encoding: str = "utf-8",
    municipality: str | None = None,
) -> int:
    """Write an export file at `path`; return the number of data rows."""
    with Path(path).open("wb") as out:
        return write_export(aggregations, first, last, out, encoding=encoding, municipality=municipality)
