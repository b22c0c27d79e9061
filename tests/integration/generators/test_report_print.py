"""The status report printed on A4 by headless Chromium, read back word by word (pdftotext -bbox-layout).

Three reports a committee gets: the counting weeks from a KOMHEN file with target titles as long as
people write them; the worker's `/` page on a Monday (the last week holds one day, and counting
began inside the period compared with); half a year by month. On every page: no word outside the
printable area, no word printed on another or run into it, no heading left alone at the foot of
a page, and every page but the last at least half full. The pages are kept as PNGs under
tests/artifacts/ to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from streams.documents.settings import Settings
from streams.documents.shipped import shipped_targets
from streams.domain.counting.aggregation import Aggregation
from streams.generators.status.html import CSS
from streams.generators.status.live import SOURCE_COUNTED, LiveInputs, live_page
from streams.generators.status.pdf import find_chromium, print_pdf
from tests.fixtures.factories import REPO_ROOT, TZ, inquiry, parse_event
from tests.fixtures.pdf_layout import (
    Margins,
    Page,
    body_lines,
    document_words,
    fill,
    headings,
    outside,
    overlapping,
    read_pages,
    run_together,
    stranded,
)
from tests.fixtures.status import DATA, KOMHEN_FILE, TARGETS_FILE, UNITS_FILE, events
from tests.integration.ingress.test_komhen_files_cli import komhen

pytestmark = pytest.mark.integration

MARGINS = Margins(top=15, right=14, bottom=17, left=14)  # the report's @page rule, checked below
MIN_FILL = 0.5
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
ISHOEJ = next(p for p in shipped_targets() if p.name == "ishoej.yaml")
FILE_REPORT = [
    "report",
    "status",
    "--from-file",
    str(KOMHEN_FILE),
    "--units",
    str(UNITS_FILE),
    "--reference",
    "landsgennemsnit-2013",
    "--pdf",
]


def test_the_margins_checked_are_the_reports() -> None:
    assert "@page { size: A4; margin: 15mm 14mm 17mm;" in CSS


def printed_from_file(tmp_path: Path, *args: str) -> tuple[Path, str]:
    out = tmp_path / "rapport"
    done = komhen(Settings(), *FILE_REPORT, *args, "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out / "status.pdf", (out / "status.html").read_text(encoding="utf-8")


def printed_monday_page(tmp_path: Path) -> tuple[Path, str]:
    """The worker's page of Monday 23 November 2015: the fixture and one inquiry that morning."""
    aggregation = Aggregation(TZ, 400)
    for event in [*map(parse_event, events()), inquiry("monday-1", occurred_at=datetime(2015, 11, 23, 9, tzinfo=TZ))]:
        aggregation.add(event)
    page = live_page(
        [aggregation],
        municipality=None,
        ref_day=date(2015, 11, 23).toordinal(),
        inputs=LiveInputs(),
        now=datetime(2015, 11, 23, 12, tzinfo=TZ),
        source=SOURCE_COUNTED,
    )
    html = tmp_path / "status.html"
    html.write_text(page.html, encoding="utf-8")
    print_pdf(html, tmp_path / "status.pdf", find_chromium())
    return tmp_path / "status.pdf", page.html


def keep_pages(pdf: Path, name: str) -> None:
    """Every page as a PNG under tests/artifacts/<name>-N.png, to look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "pdftoppm is missing: apt-get install poppler-utils"
    subprocess.run([pdftoppm, "-r", "70", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=60)


def layout_problems(pages: list[Page], html: str) -> list[str]:
    titles, known = headings(html), document_words(html)
    problems = []
    for page in pages:
        problems += outside(page, MARGINS)
        problems += overlapping(page)
        problems += run_together(page, MARGINS, known)
        problems += stranded(page, MARGINS, titles)
        if page is not pages[-1] and fill(page, MARGINS) < MIN_FILL:
            problems.append(f"page {page.number}: only {fill(page, MARGINS):.0%} full")
    return problems


def text(pages: list[Page]) -> str:
    return "\n".join(line.text for page in pages for line in body_lines(page, MARGINS))


def test_the_counting_weeks_with_long_target_titles_print_right(tmp_path: Path) -> None:
    pdf, html = printed_from_file(
        tmp_path,
        "--counting-weeks",
        "2015-W45:W47",
        "--targets",
        str(ISHOEJ),
        str(TARGETS_FILE),
        str(DATA / "targets-183-long-titles.yaml"),
    )
    keep_pages(pdf, "print-counting-weeks")
    pages = read_pages(pdf)
    assert layout_problems(pages, html) == []
    assert len(pages) == 9
    printed = text(pages)
    assert "telefon 40, e-" in printed and "mail 55, papirbrev og fjernprint 60" in printed  # the definitions, whole
    assert "+23,3 pct.-point" in printed  # never broken at its hyphen
    assert "pct.-\npoint" not in printed


def test_the_workers_page_on_a_monday_prints_right_and_marks_the_one_day_week(tmp_path: Path) -> None:
    pdf, html = printed_monday_page(tmp_path)
    keep_pages(pdf, "print-monday")
    pages = read_pages(pdf)
    assert layout_problems(pages, html) == []
    printed = " ".join(text(pages).split())
    assert "Tællingen begyndte 12. oktober 2015, så den foregående periode har kun tal fra 15 af 28 dage" in printed
    assert "* Delvis uge: uge 48 2015 har tal fra 1 af 7 dage." in printed
    assert "U48*" in printed
    assert "Datagrundlag: komhen-live, den løbende optælling af henvendelserne fra kommunens systemer." in printed


def test_half_a_year_by_month_prints_right(tmp_path: Path) -> None:
    pdf, html = printed_from_file(tmp_path, "--from", "2015-06-01", "--to", "2015-11-30", "--trend", "month")
    keep_pages(pdf, "print-months")
    pages = read_pages(pdf)
    assert layout_problems(pages, html) == []
    printed = " ".join(text(pages).split())
    assert "* Delvis måned: oktober 2015 har tal fra 20 af 31 dage." in printed
    assert "Tællingen begyndte 12. oktober 2015, så perioden har kun tal fra 50 af 183 dage" in printed
