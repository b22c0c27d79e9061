"""The tables behind the report as CSV files that Danish Excel opens with a double click.

UTF-8 with a byte-order mark (without it Excel reads UTF-8 as Windows-1252 and garbles æøå),
`;` between fields (the list separator of Danish Windows), decimal comma, no thousands
separator, CRLF, every text cell inert (streams/generators/spreadsheet.py). Per-unit tables are
gathered into one file per kind with the unit as the first column, which is what a pivot table wants.

XLSX is not written: it would need a dependency (openpyxl) for what these files already give
Excel, and a CSV is also read by every other tool. One file per table keeps each a plain list.
"""

from __future__ import annotations

import io
from collections import Counter

from streams.documents.reference import measure_book
from streams.domain.report.model import StatusReport
from streams.domain.report.sections import unit_report
from streams.generators.spreadsheet import CsvWriter
from streams.generators.status.tables import Num, Table, all_tables, csv_number, unit_tables

ENCODING = "utf-8-sig"
UNIT_COLUMN = "Enhed"


def _heading(title: str, unit: str) -> str:
    return f"{title} ({unit})" if unit else title


def _empty_unit_tables() -> list[Table]:
    """The per-unit tables' headings, for a report without units."""
    return unit_tables(unit_report("-", "-", Counter(), measure_book()))


def csv_files(report: StatusReport) -> dict[str, bytes]:
    """File name -> bytes, one file per table (per kind for the per-unit tables), in reading order."""
    gathered: dict[str, list[Table]] = {}
    for table in all_tables(report):
        gathered.setdefault(table.key, []).append(table)
    for empty in _empty_unit_tables():
        gathered.setdefault(empty.key, [])
    out: dict[str, bytes] = {}
    for key in sorted(gathered):
        parts = gathered[key]
        template = parts[0] if parts else next(t for t in _empty_unit_tables() if t.key == key)
        per_unit = template.unit is not None
        text = io.StringIO()
        writer = CsvWriter(text)
        heading = [_heading(c.title, c.unit) for c in template.columns]
        writer.writerow([UNIT_COLUMN, *heading] if per_unit else heading)
        for table in parts:
            for row in table.rows:
                values = [csv_number(c) if isinstance(c, Num) else c for c in row]
                writer.writerow([table.unit or "", *values] if per_unit else values)
        out[f"{key}.csv"] = text.getvalue().encode(ENCODING)
    return out
