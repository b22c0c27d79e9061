"""Reading a printed PDF back as a reader's eye would: where every word sits on every page.

`pdftotext -bbox-layout` (poppler-utils) gives each page's size and each word's box in
points, lines in reading order. From those: words outside the printable area (the page
minus its @page margins), words on top of each other, how far down each page is filled, and
headings left alone at the foot of a page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

MM = 72 / 25.4  # points per millimetre
_NS = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box) -> float:
        """The area the two boxes share, in square points."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0


@dataclass(frozen=True)
class Word:
    text: str
    box: Box


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    box: Box

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    width: float
    height: float
    lines: tuple[Line, ...]  # reading order

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]


@dataclass(frozen=True)
class Margins:
    """@page margins in millimetres."""

    top: float
    right: float
    bottom: float
    left: float

    def content(self, page: Page) -> Box:
        return Box(self.left * MM, self.top * MM, page.width - self.right * MM, page.height - self.bottom * MM)


def pdftotext() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (`make test-tools` does)")
    return path


def read_pages(pdf: Path) -> list[Page]:
    """Every page of `pdf` with its lines and words, positions in points from the top left."""
    done = subprocess.run([pdftotext(), "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60)
    root = ET.fromstring(done.stdout)
    pages = []
    for number, page in enumerate(root.iter(f"{_NS}page"), start=1):
        lines = []
        for line in page.iter(f"{_NS}line"):
            words = tuple(Word(w.text or "", _box(w)) for w in line.iter(f"{_NS}word"))
            lines.append(Line(words, _box(line)))
        pages.append(Page(number, float(page.attrib["width"]), float(page.attrib["height"]), tuple(lines)))
    return pages


def _box(element: ET.Element) -> Box:
    a = element.attrib
    return Box(float(a["xMin"]), float(a["yMin"]), float(a["xMax"]), float(a["yMax"]))


def body_lines(page: Page, margins: Margins) -> list[Line]:
    """The page's lines but its running footer (the @bottom margin boxes, below the content area)."""
    bottom = margins.content(page).y1
    return [line for line in page.lines if line.box.y0 < bottom]


def outside(page: Page, margins: Margins, tolerance: float = 0.5) -> list[str]:
    """Words of the body that reach beyond the printable area, as 'page N: word (x0–x1, y0–y1)'."""
    area = margins.content(page)
    out = []
    for line in body_lines(page, margins):
        for w in line.words:
            b = w.box
            if (
                b.x0 < area.x0 - tolerance
                or b.x1 > area.x1 + tolerance
                or b.y0 < area.y0 - tolerance
                or b.y1 > area.y1 + tolerance
            ):
                out.append(f"page {page.number}: {w.text!r} ({b.x0:.1f}–{b.x1:.1f}, {b.y0:.1f}–{b.y1:.1f})")
    return out


def overlapping(page: Page, share: float = 0.2) -> list[str]:
    """Pairs of words whose boxes share more than `share` of the smaller box: text printed on text."""
    words = page.words
    out = []
    for i, a in enumerate(words):
        area_a = (a.box.x1 - a.box.x0) * (a.box.y1 - a.box.y0)
        for b in words[i + 1 :]:
            common = a.box.overlap(b.box)
            if not common:
                continue
            smaller = min(area_a, (b.box.x1 - b.box.x0) * (b.box.y1 - b.box.y0))
            if smaller and common > share * smaller:
                out.append(f"page {page.number}: {a.text!r} on {b.text!r}")
    return out


def fill(page: Page, margins: Margins) -> float:
    """How far down the printable area the page's body text reaches, 0..1."""
    area = margins.content(page)
    lines = body_lines(page, margins)
    if not lines:
        return 0.0
    return (max(line.box.y1 for line in lines) - area.y0) / (area.y1 - area.y0)


class _Headings(HTMLParser):
    def __init__(self, tags: tuple[str, ...]) -> None:
        super().__init__()
        self.tags = tags
        self.open: str | None = None
        self.parts: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.tags:
            self.open, self.parts = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self.open:
            self.found.append(" ".join("".join(self.parts).split()))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.parts.append(data)


def headings(html: str, tags: tuple[str, ...] = ("h2", "h3", "h4", "figcaption")) -> list[str]:
    """The text of every heading (and figure caption) of an HTML document, in order."""
    parser = _Headings(tags)
    parser.feed(html)
    return [h for h in parser.found if h]


# The smallest heading (h4, 9.5 pt bold) prints lines 11 pt high; table text (8.5 pt) 9.9 pt and chart
# text 10.6 pt, so a table cell that happens to hold a unit's name is not taken for its heading.
HEADING_LINE_PT = 10.9


def stranded(page: Page, margins: Margins, titles: list[str]) -> list[str]:
    """Headings that end their column on this page: nothing printed below them within their width."""
    lines = body_lines(page, margins)
    wanted = {tuple(t.split()) for t in titles}
    longest = max((len(t) for t in wanted), default=0)
    out = []
    for i in range(len(lines)):
        words: list[str] = []
        for j in range(i, len(lines)):  # a heading may wrap onto following lines
            if lines[j].box.y1 - lines[j].box.y0 < HEADING_LINE_PT:
                break
            words += [w.text for w in lines[j].words]
            if len(words) > longest:
                break
            if tuple(words) in wanted:
                box = Box(
                    min(line.box.x0 for line in lines[i : j + 1]),
                    lines[i].box.y0,
                    max(line.box.x1 for line in lines[i : j + 1]),
                    lines[j].box.y1,
                )
                below = [
                    line
                    for line in lines
                    if line.box.y0 >= box.y1 - 0.5 and line.box.x0 < box.x1 and line.box.x1 > box.x0
                ]
                if not below:
                    out.append(f"page {page.number}: {' '.join(words)!r}")
                break
    return out


_BREAKS = frozenset(  # elements that end a word: blocks, cells, SVG texts
    {"br", "td", "th", "tr", "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "figcaption", "caption"}
    | {"text", "title", "header", "section", "article", "table"}
)


class _Words(HTMLParser):
    """The words a document prints: text joined inside inline elements, split at blocks, cells and SVG texts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0  # inside <style> or <head>'s <title>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "head"):
            self.skip += 1
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "head"):
            self.skip -= 1
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def document_words(html: str) -> set[str]:
    parser = _Words()
    parser.feed(html)
    return {word.casefold() for word in "".join(parser.parts).split()}  # casefold: headings set in capitals


def run_together(page: Page, margins: Margins, known: set[str]) -> list[str]:
    """Printed words that are no word of the document: two texts printed so close they read as one
    ('kommuneFor'). A word broken at a hyphen or slash at the end of a line counts as its parts."""
    pieces = set()
    for word in known:
        parts = [p for p in re.split(r"(?<=[-–/])", word) if p]
        pieces |= {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    return [
        f"page {page.number}: {w.text!r}"
        for line in body_lines(page, margins)
        for w in line.words
        if w.text.casefold() not in known and w.text.casefold() not in pieces
    ]
