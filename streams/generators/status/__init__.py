"""Renderers of the status report model (streams.domain.report): HTML with SVG charts, CSV, PDF.

`write_report` writes a report folder:

    status.html        the report, self-contained (inline CSS and SVG, no script, no fetch)
    status.pdf         with a Chromium (--pdf): the HTML printed on A4
    csv/NN-name.csv    the table behind every chart and every other table, for Excel
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from streams.contract.errors import UnusableInput
from streams.contract.texts import os_reason, text
from streams.domain.report.model import StatusReport
from streams.generators.status.csv import csv_files
from streams.generators.status.html import render_html
from streams.generators.status.pdf import print_pdf

HTML_NAME = "status.html"
PDF_NAME = "status.pdf"
CSV_FOLDER = "csv"


@dataclass(frozen=True)
class WrittenReport:
    html: Path
    pdf: Path | None
    csv: tuple[Path, ...]


def write_report(
    report: StatusReport, folder: Path, *, source: str, generated: datetime, chromium: str | None = None
) -> WrittenReport:
    """Write the HTML and the CSV files into `folder` (created if missing), and the PDF if `chromium` is given."""
    try:
        (folder / CSV_FOLDER).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnusableInput(text("report.cannot_create", folder=folder, reason=os_reason(exc))) from None
    html = folder / HTML_NAME
    html.write_text(render_html(report, source=source, generated=generated), encoding="utf-8")
    written = []
    for name, content in csv_files(report).items():
        path = folder / CSV_FOLDER / name
        path.write_bytes(content)
        written.append(path)
    pdf = None
    if chromium is not None:
        pdf = folder / PDF_NAME
        print_pdf(html, pdf, chromium)
    return WrittenReport(html, pdf, tuple(written))
