"""The columns of a KOMHEN export: which header names mean which field, what each column becomes, how files title it.

A module of its own because the tables are the importer's knowledge of the two layouts
(TraceTool and KL's upload layout): the reader finds the columns with them, the row mapping reads
values and screens personal data through them, and the summary names columns with them.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping

from streams.documents.reference import municipality_table
from streams.domain.organisation.municipalities import Municipality

# Header names (lowercase, spaces removed) of each field in both layouts.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "municipality": ("kommune", "kommuneid", "kommunenavn"),
    "municipality_number": ("kommunenr", "kommunenummer", "kommunekode"),
    "id": ("id",),
    "unit": ("enhed",),
    "kle": ("opgave", "kleopgavekode"),
    "channel": ("kanal", "henvendelseskanal"),
    "inquiry_type": ("type", "henvendelsestype"),
    "completion": ("afslutning",),
    "form": ("blanket",),
    "date": ("dato",),
    "start": ("starttidspunkt",),
    "end": ("sluttidspunkt",),
}
REQUIRED = ("unit", "channel", "date")
HEADER_NAMES = {"municipality": "Kommune", "unit": "Enhed", "channel": "Kanal", "date": "Dato"}
# The file's column of each descriptive field, for messages.
COLUMN_OF = {
    "kle": "Opgave",
    "inquiry_type": "Type",
    "completion": "Afslutning",
    "form": "Blanket",
    "duration_s": "Start/SlutTidspunkt",
    "department_name": "Enhed",
}
# The event field each column becomes: a CPR-like number rejects a row in a counting column
# (a unit must never become a department label), and is left out of a descriptive one.
COUNTING_COLUMNS = {
    "municipality": "municipality",
    "municipality_number": "municipality",
    "id": "municipality",  # some files hold the municipality number there
    "unit": "department",
    "channel": "channel",
    "date": "occurred_at",
}
DESCRIPTIVE_COLUMNS = {
    "kle": "kle",
    "inquiry_type": "inquiry_type",
    "completion": "completion",
    "form": "form",
    "start": "duration_s",
    "end": "duration_s",
}
# Every column the importer reads, as files title it, for messages.
TITLES = {
    **HEADER_NAMES,
    **COLUMN_OF,
    "municipality_number": "Kommunenummer",
    "id": "ID",
    "start": "StartTidspunkt",
    "end": "SlutTidspunkt",
}


def normalise_header(name: str) -> str:
    return "".join(name.split()).lower()


def delimiter_of(header: str) -> str:
    """`;` as KL and TraceTool write, or a tab where the header has more of them (Excel's "Unicode text")."""
    return "\t" if header.count("\t") > header.count(";") else ";"


def split_row(line: str, delimiter: str = ";") -> list[str]:
    """One physical line's values (csv quoting); csv.Error where the csv module cannot split it."""
    return next(csv.reader([line], delimiter=delimiter))


def column_value(values: list[str], columns: Mapping[str, int], field_name: str) -> str:
    """The value of a field's column on a row, stripped; blank where the file has no such column or the row is short."""
    index = columns.get(field_name)
    if index is None or index >= len(values):
        return ""
    return values[index].strip()


def named_municipality(values: list[str], columns: Mapping[str, int]) -> Municipality | None:
    """The municipality the Kommune (or Kommunenummer) column names, if it names one."""
    resolve = municipality_table().resolve
    return resolve(column_value(values, columns, "municipality")) or resolve(
        column_value(values, columns, "municipality_number")
    )
