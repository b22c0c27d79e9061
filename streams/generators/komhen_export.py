"""Write the counted state in KL's KOMHEN upload layout, so municipalities can still deliver.

Layout: `KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;
Blanket;Dato`, one row per inquiry (a cell counted n times on a day gives n identical
rows), Windows line endings, no quoting needed.

Day resolution: the state keeps one bucket per department and local day, not the events
themselves, so every row's Dato is the bucket's day at `00:00:00` (Danish local time), and
StartTidspunkt/SlutTidspunkt (duration) cannot be written. Per day, the counts of every
KOMHEN parameter are exact: importing the export gives the same buckets.

Enhed is the unit's name as the inquiries gave it (`department_name`: from the import file,
a mapping file or a profile), with its Danish letters: the bucket's own name for that day, else
the department's newest name, else the department slug. Importing the export gives the same
departments (the importer makes the slug from the name) and the same names.

Encoding: Latin-1 by default, what KL's upload and the municipalities' tools read; `utf-8`
and `utf-8-sig` (with BOM) on request. A name the encoding cannot write (a letter outside
Latin-1) is written as its department slug, and the caller is told which names.
Departments named `unknown` (blank units in the source) are written with a blank Enhed, as
KOMHEN registered them; the importer reads a blank unit back as `unknown`.
"""

from __future__ import annotations

import codecs
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from streams.contract.identifiers import UNKNOWN_DEPARTMENT
from streams.documents.reference import code_table
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import Cell
from streams.generators.spreadsheet import CsvWriter

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
DEFAULT_ENCODING = "latin-1"


@dataclass
class Written:
    """What an export wrote: data rows, and the names the encoding could not hold (written as slugs)."""

    rows: int = 0
    names_as_slugs: set[str] = field(default_factory=set)


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


def unit_names(
    aggregations: Iterable[Aggregation], first: date, last: date, *, municipality: str | None = None
) -> dict[DayKey, str]:
    """The Enhed to write per day and department: that day's name, else the department's newest name."""
    first_day, last_day = first.toordinal(), last.toordinal()
    newest: dict[tuple[str, str], str] = {}
    out: dict[DayKey, str] = {}
    for agg in aggregations:
        newest.update(agg.department_names())
        for (mun, department), day, bucket in agg.days():
            if bucket.name is not None and first_day <= day <= last_day:
                out.setdefault((day, mun, department), bucket.name)
    for day, mun, department in day_cells(aggregations, first, last, municipality=municipality):
        if (day, mun, department) not in out and (mun, department) in newest:
            out[(day, mun, department)] = newest[(mun, department)]
    return out


def export_rows(
    aggregations: Iterable[Aggregation],
    first: date,
    last: date,
    *,
    municipality: str | None = None,
    encoding: str | None = None,
    written: Written | None = None,
) -> Iterator[ExportRow]:
    """The data rows (no header), sorted by day, municipality, department and codes.

    A generator: a year of a large municipality is millions of rows and is never held as text.
    With `encoding`, a unit name it cannot write is written as the department slug (and noted in
    `written`).
    """
    aggregations = list(aggregations)
    codes = code_table()
    per_day = day_cells(aggregations, first, last, municipality=municipality)
    names = unit_names(aggregations, first, last, municipality=municipality)
    for day, mun, department in sorted(per_day):
        dato = f"{date.fromordinal(day):%d-%m-%Y} 00:00:00"
        enhed = names.get((day, mun, department)) or ("" if department == UNKNOWN_DEPARTMENT else department)
        if encoding is not None and not _encodable(enhed, encoding):
            if written is not None:
                written.names_as_slugs.add(enhed)
            enhed = department
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


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def write_export(
    aggregations: Iterable[Aggregation],
    first: date,
    last: date,
    out: BinaryIO,
    *,
    encoding: str = DEFAULT_ENCODING,
    municipality: str | None = None,
) -> Written:
    """Write header and rows to a binary stream; return how many data rows, and which names became slugs."""
    codecs.lookup(encoding)  # LookupError with Python's message for an unknown encoding
    _check_range(first, last)
    written = Written()
    text = io.TextIOWrapper(out, encoding=encoding, newline="", write_through=True)
    try:
        writer = CsvWriter(text)
        writer.writerow(HEADER)
        rows = export_rows(aggregations, first, last, municipality=municipality, encoding=encoding, written=written)
        for row in rows:
            writer.writerow(row)
            written.rows += 1
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
    encoding: str = DEFAULT_ENCODING,
    municipality: str | None = None,
) -> Written:
    """Write an export file at `path` (see write_export)."""
    with Path(path).open("wb") as out:
        return write_export(aggregations, first, last, out, encoding=encoding, municipality=municipality)
