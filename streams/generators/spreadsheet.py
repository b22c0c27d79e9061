"""CSV cells a spreadsheet shows and never runs: the one writer of every CSV file komhen-live writes.

Excel and LibreOffice run a cell that begins with `=`, `+`, `-` or `@` as a formula (and a tab or a
carriage return in front hides one), whatever the quoting: a unit named `=HYPERLINK(…)` would turn
the committee's table into a link. OWASP's rule: such a text cell gets a `'` in front, which the
spreadsheet shows as text and hides. Numbers the project wrote itself (a negative change in
percentage points, `-2,5`) are passed as numbers and stay numbers.

>>> inert("=HYPERLINK(\\"http://x\\")"), inert("-2+3"), inert("Borgerservice"), inert("")
('\\'=HYPERLINK("http://x")', "'-2+3", 'Borgerservice', '')
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Number(str):
    """A cell the project formatted from a number itself: written as it is."""

    __slots__ = ()


def inert(cell: str) -> str:
    """The text of a cell, with a `'` in front where a spreadsheet would run it as a formula."""
    if isinstance(cell, Number):
        return cell
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class CsvWriter:
    """csv.writer as Danish Excel reads it (`;`, CRLF), every text cell made inert."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def writerow(self, cells: Iterable[str]) -> None:
        self._writer.writerow([inert(cell) for cell in cells])
