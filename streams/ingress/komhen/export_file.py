"""Read KOMHEN counting-week exports (TraceTool, Det Digitale Landkort) as inquiry events.

Municipalities hold years of these files; importing them puts the old counting weeks on
the same dashboards as the live count. The files come as they were saved:

- `;`-separated, Latin-1 or UTF-8 with or without BOM, CRLF or LF, trailing `;`;
- the TraceTool header `Kommune;ID;Enhed;Opgave;Kanal;Type;Afslutning;Blanket;Dato;
  StartTidspunkt;SlutTidspunkt;Datakilde;<local columns>;` or KL's upload layout
  `KommuneID;Enhed;KLE Opgave kode;Henvendelses Kanal;Henvendelses type;Afslutning;Blanket;Dato`
  (columns are found by name, so order and extra local columns do not matter);
- `Kommune` holds a municipality's number or its name (`Ishøj`, `Københavns Kommune`: see
  streams/domain/organisation/municipalities.py); in Det Digitale Landkort's exports `ID` holds the number,
  in TraceTool's its own registration number. `ID` is read as the municipality only where the
  whole file shows it is one (it equals every row's Kommune) and only for rows whose Kommune is
  blank or unknown;
- units (`Enhed`) may start with the municipality number (`183borgerservice`), which is not part
  of the department; the unit as written becomes the department's display name;
- dates `DD-MM-YYYY HH:MM:SS` in Danish local time.

Counting fields decide: a row is rejected only when its municipality, unit, channel or date
cannot be read (or holds personal data, or is too old for a wall-clock worker), each with file,
line and a `Reason`. Descriptive columns (Opgave, Type, Afslutning, Blanket, Start/Slut) are
normalised where the meaning is clear (`J` → JA, `23.05.10 Flytning` → 23.05.10) and otherwise
left out; the row counts, and each such finding is listed in the summary. STRAKS is kept on
every channel, as municipalities registered it. One physical line is one row: a stray quote in
a free-text local column cannot swallow the rows after it. Every message exists in Danish (the
default) and English.

This module is the reader: bytes to a header and numbered lines, facts about the file as a whole,
and iteration. Its parts have a module each: encoding.py (bytes to text, the content id),
columns.py (the two layouts' columns), rows.py (a row to an event), results.py (what a row gives),
texts.py (the words, in Danish and English) and summary.py (what a run did).

Use (the CLI's `komhen import`):

    export = open_export("uge46.csv", tz=tz)   # ExportFormatError if it is no KOMHEN export
    summary.add_file(export)
    for result in export:                       # Imported (publish result.event) | RejectedRow
        summary.add(result)
    print(summary.format())
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from streams.contract.errors import UnusableInput
from streams.contract.texts import language as spoken
from streams.contract.texts import speaking, text
from streams.documents.reference import municipality_table
from streams.ingress.komhen.columns import (
    COLUMNS,
    HEADER_NAMES,
    REQUIRED,
    column_value,
    delimiter_of,
    named_municipality,
    normalise_header,
    split_row,
)
from streams.ingress.komhen.encoding import LINE_BREAK, content_id, detect_encoding, not_text
from streams.ingress.komhen.results import Language, RowResult
from streams.ingress.komhen.rows import RowMapper, local_datetime


class ExportFormatError(UnusableInput):
    """A file that is not a KOMHEN export at all (no usable header); no row is read."""


class ExportFile:
    """One export file, decoded and split, ready to be iterated row by row.

    The whole file is read at once: its hash names the events, and the encoding can only be
    told from all of it. Counting-week files are a few MB at most.

    `received_at` bounds dates in the future (a clock error); with `retention` (a wall-clock
    worker's), rows older than it are rejected as `too_old` before anything else is read of
    them: such a worker would reject them, and `too_old_rows()` finds them before sending.
    """

    def __init__(
        self,
        content: bytes,
        name: str,
        *,
        tz: ZoneInfo,
        received_at: datetime | None = None,
        retention: timedelta | None = None,
        language: Language | None = None,
    ) -> None:
        self.name = name
        self.tz = tz  # the time zone the file's dates are local times of
        with speaking(language or spoken()):  # a file that is no export is said in the reader's language
            self._check_text(content, name)
        self.encoding = detect_encoding(content)
        self.content_id = content_id(content)
        self.received_at = received_at
        self.retention = retention
        try:
            decoded = content.decode(self.encoding)
        except UnicodeDecodeError as exc:  # a UTF-16 mark (or zero bytes) on bytes that are no UTF-16 text
            with speaking(language or spoken()):
                raise ExportFormatError(
                    text("file.not_encoded", path=name, encoding=self.encoding, position=str(exc.start))
                ) from None
        lines = LINE_BREAK.split(decoded)
        numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip(" \t;\r")]
        with speaking(language or spoken()):
            header_line, header = self._header(numbered, name)
            self.columns: dict[str, int] = {}
            for field_name, names in COLUMNS.items():
                index = next((i for i, h in enumerate(header) if h in names), None)
                if index is not None:
                    self.columns[field_name] = index
            missing = [HEADER_NAMES[f] for f in REQUIRED if f not in self.columns]
            if "municipality" not in self.columns and "municipality_number" not in self.columns:
                missing.insert(0, HEADER_NAMES["municipality"])
            if missing:
                raise ExportFormatError(
                    text("file.header_lacks", where=f"{name}:{header_line}", missing=", ".join(missing))
                )
        self.layout: Literal["tracetool", "kl-upload"] = "kl-upload" if "kommuneid" in header else "tracetool"
        self._lines = numbered[1:]
        self.blank_lines = len(lines) - len(numbered) - (1 if lines[-1] == "" else 0)
        self._rows = RowMapper(
            name=name,
            columns=self.columns,
            content_id=self.content_id,
            tz=tz,
            received_at=received_at,
            retention=retention,
            id_is_municipality=lambda: self.id_is_municipality,
            delimiter=self.delimiter,
        )

    @staticmethod
    def _check_text(content: bytes, name: str) -> None:
        """An Excel workbook or a PDF given for an export is named, in one line, before a byte is decoded."""
        kind = not_text(content)
        if kind is not None:
            raise ExportFormatError(text("file.not_text", path=name, kind=text(kind)))

    def _header(self, numbered: list[tuple[int, str]], name: str) -> tuple[int, list[str]]:
        """The header's line number and its names; the delimiter is told from it (`;`, or Excel's tab)."""
        if not numbered:
            raise ExportFormatError(text("file.empty", path=name))
        header_line, header_text = numbered[0]
        self.delimiter = delimiter_of(header_text)
        try:
            return header_line, [normalise_header(h) for h in split_row(header_text, self.delimiter)]
        except csv.Error as exc:  # e.g. a field over csv's size limit: no export has such a header
            raise ExportFormatError(text("file.header_unreadable", where=f"{name}:{header_line}", detail=exc)) from None

    @property
    def rows(self) -> int:
        """Data rows (not header, not blank lines): the total for a progress bar."""
        return len(self._lines)

    def __iter__(self) -> Iterator[RowResult]:
        for number, line in self._lines:
            yield self._rows.row(number, line)

    # -- the file as a whole ---------------------------------------------------------------

    def _values_of_rows(self) -> Iterator[list[str]]:
        for _, line in self._lines:
            try:
                yield split_row(line, self.delimiter)
            except csv.Error:
                continue

    @cached_property
    def id_is_municipality(self) -> bool:
        """Whether the ID column holds the municipality's number (Det Digitale Landkort) rather than a
        registration number (TraceTool): true when, on every row whose Kommune names a municipality
        and whose ID is filled in, the ID is that municipality's number, and there is such a row."""
        if "id" not in self.columns or (
            "municipality" not in self.columns and "municipality_number" not in self.columns
        ):
            return False
        seen = False
        for values in self._values_of_rows():
            named = named_municipality(values, self.columns)
            number = column_value(values, self.columns, "id")
            if named is None or not number:
                continue
            if not number.isdigit() or municipality_table().resolve(number) is not named:
                return False
            seen = True
        return seen

    def too_old_rows(self) -> list[tuple[int, datetime]]:
        """(line, date) of each row older than the retention: a wall-clock worker would reject it."""
        if self.received_at is None or self.retention is None:
            return []
        out = []
        for number, line in self._lines:
            try:
                moment = local_datetime(column_value(split_row(line, self.delimiter), self.columns, "date"), self.tz)
            except csv.Error:
                continue
            if moment is not None and self.received_at - moment > self.retention:
                out.append((number, moment))
        return out


def open_export(
    path: str | Path,
    *,
    tz: ZoneInfo,
    received_at: datetime | None = None,
    retention: timedelta | None = None,
    language: Language | None = None,
) -> ExportFile:
    """Read a file from disk (see ExportFile)."""
    path = Path(path)
    return ExportFile(
        path.read_bytes(), str(path), tz=tz, received_at=received_at, retention=retention, language=language
    )
