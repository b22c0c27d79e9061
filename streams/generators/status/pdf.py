"""The PDF of the report, printed by headless Chromium (the Debian package `chromium`).

Chromium prints the HTML file as it would on paper: the @page rules set A4, the margins and
the page numbers. It runs with no network (every host name but loopback resolves to nothing) and a
throw-away profile, so printing fetches nothing and leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from streams.contract.errors import UnusableInput
from streams.contract.texts import text

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


class NoBrowser(UnusableInput):
    """No Chromium to print the PDF with."""


class PrintFailed(UnusableInput):
    """Chromium ran but wrote no PDF."""


def find_chromium(wanted: str | None = None) -> str:
    """The Chromium to print with: `wanted` (a path or a name on PATH), else the first of CANDIDATES."""
    for name in (wanted,) if wanted else CANDIDATES:
        path = shutil.which(name)
        if path is not None:
            return path
    if wanted:
        raise NoBrowser(text("report.no_such_chromium", value=wanted))
    raise NoBrowser(text("report.no_chromium"))


def browser_flags(profile: str) -> list[str]:
    """Headless, no network, no first-run or background work, a throw-away profile."""
    flags = [
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # nothing but loopback (a worker's page)
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return flags


def print_pdf(html: Path, pdf: Path, chromium: str) -> None:
    """Print `html` to `pdf` (A4 from the page's @page rules, no browser header or footer)."""
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="komhen-chromium-") as profile:
        args = [
            chromium,
            *browser_flags(profile),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise PrintFailed(text("report.print_timeout", html=html, seconds=TIMEOUT_S)) from None
    if not pdf.is_file() or pdf.stat().st_size == 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        raise PrintFailed(text("report.print_failed", code=str(done.returncode), detail=last, html=html))
