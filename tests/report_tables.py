"""Reading a status report back as a person's tools would: the HTML's tables and the CSV files."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

DANISH_NUMBER = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})*(?:,[0-9]+)?")


@dataclass
class HtmlTable:
    key: str  # data-csv
    unit: str | None  # data-unit (per-unit tables)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[HtmlTable] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append(HtmlTable(a.get("data-csv") or "", a.get("data-unit")))
        elif tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self._in_head = False
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if self._in_head:
                table.header = self._row
            else:
                table.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> list[HtmlTable]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def html_table(html: str, key: str, unit: str | None = None) -> HtmlTable:
    [table] = [t for t in html_tables(html) if t.key == key and t.unit == unit]
    return table


def csv_rows(content: bytes) -> list[list[str]]:
    """A CSV as Danish Excel reads it: UTF-8 with BOM, `;`."""
    assert content.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would garble æøå"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def as_csv_value(html_text: str) -> str:
    """What the CSV holds for a number the HTML shows: '1.234' -> '1234', '+63,2 %' -> '63,2', '–' -> ''.

    Text that is not a Danish number stays as it is (a KLE number 23.05.10 is not 230.510).
    """
    if html_text == "–":
        return ""
    text = html_text.removesuffix(" pct.-point").removesuffix(" %").removesuffix(" kr.").lstrip("+±")
    if DANISH_NUMBER.fullmatch(text):
        return text.replace(".", "")
    return html_text
