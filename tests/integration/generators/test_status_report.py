"""The status report end to end: a real worker, Kafka, the CLI and a real browser (headless Chromium).

- From Kafka and from the KOMHEN file, the same report, byte for byte (CSV) and table for table (HTML).
- The worker's `/` is the report of the last 28 days, the same as from the file for those days.
- Chromium opens the file's HTML and the worker's page with no console message, no failed load and
  no request but the page itself, finds every chart, prints the PDF on A4 pages; the first page is
  kept as a PNG (tests/artifacts/, git-ignored) to look at.
"""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.documents.report_inputs import load_reference, load_units
from streams.documents.settings import Settings
from streams.documents.shipped import shipped_reference, shipped_targets
from streams.documents.targets import load_target_files
from streams.generators.status.live import LiveInputs, live_page
from streams.ingress.komhen.counting import count_files
from tests.fixtures.browser import pdf_pages, visit
from tests.fixtures.factories import REPO_ROOT, TZ
from tests.fixtures.report_tables import html_table, html_tables
from tests.fixtures.status import KOMHEN_FILE, TARGETS_FILE, UNITS_FILE
from tests.fixtures.workers import WorkerProcess, fresh_settings, start_worker, wait_for, whole_municipality
from tests.integration.ingress.test_komhen_files_cli import komhen

# Under pytest-xdist one worker runs the whole module, so that its module fixture is set up once.
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group(__name__)]

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
ISHOEJ = next(p for p in shipped_targets() if p.name == "ishoej.yaml")
REFERENCE = shipped_reference("landsgennemsnit-2013")
COMMON = [
    "--counting-weeks",
    "2015-W45:W47",
    "--units",
    str(UNITS_FILE),
    "--reference",
    "landsgennemsnit-2013",
    "--targets",
    str(ISHOEJ),
    str(TARGETS_FILE),
]
META = re.compile(r'<p class="meta">.*?</p>')  # the data source and the time of writing differ by design


@pytest.fixture(scope="module")
def imported(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    """A worker (event clock, Ishøj's targets, names and the national average) that imported the fixture file."""
    assert REFERENCE is not None
    settings = fresh_settings(
        broker.bootstrap_servers,
        clock="event",
        session_timeout_s=6.0,
        targets=f"{ISHOEJ},{TARGETS_FILE}",
        report_units=str(UNITS_FILE),
        report_reference=str(REFERENCE),
    )
    ensure_topics(settings)
    worker = start_worker(settings, tmp_path_factory.mktemp("status-worker"))
    try:
        worker.wait_ready(settings.partitions)
        done = komhen(settings, "import", str(KOMHEN_FILE))
        assert done.returncode == 0, done.stderr
        wait_for(lambda: whole_municipality(worker) == 417, 60, "all 417 inquiries in the whole municipality's view")
        yield worker
    except Exception:
        print(worker.log_tail())
        raise
    finally:
        worker.close()


def cli_settings(worker: WorkerProcess) -> Settings:
    """The worker's Kafka settings for a command, without the worker's own report settings."""
    return replace(worker.settings, targets="", report_units="", report_reference="")


def test_from_kafka_and_from_the_file_the_report_is_the_same(imported: WorkerProcess, tmp_path: Path) -> None:
    settings = cli_settings(imported)
    kafka = komhen(settings, "report", "status", *COMMON, "-o", str(tmp_path / "kafka"))
    files = komhen(settings, "report", "status", "--from-file", str(KOMHEN_FILE), *COMMON, "-o", str(tmp_path / "file"))
    assert kafka.returncode == 0, kafka.stderr
    assert files.returncode == 0, files.stderr
    kafka_csv = sorted((tmp_path / "kafka" / "csv").iterdir())
    assert [p.name for p in kafka_csv] == [p.name for p in sorted((tmp_path / "file" / "csv").iterdir())]
    assert len(kafka_csv) == 12
    for path in kafka_csv:
        assert path.read_bytes() == (tmp_path / "file" / "csv" / path.name).read_bytes(), path.name
    kafka_html = (tmp_path / "kafka" / "status.html").read_text(encoding="utf-8")
    file_html = (tmp_path / "file" / "status.html").read_text(encoding="utf-8")
    assert "Datagrundlag: komhen-live, den løbende optælling af henvendelserne fra kommunens systemer." in kafka_html
    assert META.sub("", kafka_html) == META.sub("", file_html)
    assert html_table(kafka_html, "01-noegletal").rows[0][:3] == ["Indgående henvendelser", "172", "130"]


def test_the_worker_serves_the_last_28_days_at_its_root(imported: WorkerProcess) -> None:
    with urllib.request.urlopen(imported.base_url + "/", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        page = response.read().decode("utf-8")
    assert "<strong>Periode:</strong> de seneste 28 dage (24. oktober – 20. november 2015)" in page
    figures = html_table(page, "01-noegletal").rows
    assert figures[0][:3] == ["Indgående henvendelser", "205", "97"]  # weeks 44–47 to Friday; 42 and 43's weekdays
    assert figures[1][:3] == ["Udgående henvendelser", "92", "23"]
    state, _, _ = count_files([KOMHEN_FILE], tz=TZ, retention_days=400)
    assert REFERENCE is not None
    expected = live_page(
        [state],
        municipality=None,
        ref_day=date(2015, 11, 20).toordinal(),  # the newest inquiry's day (event clock)
        inputs=LiveInputs(load_target_files([ISHOEJ, TARGETS_FILE]), load_units(UNITS_FILE), load_reference(REFERENCE)),
        now=datetime.now(TZ),
        source="",
    )
    assert [(t.key, t.unit, t.header, t.rows) for t in html_tables(page)] == [
        (t.key, t.unit, t.header, t.rows) for t in html_tables(expected.html)
    ]
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(imported.base_url + "/?kommune=999", timeout=10)
    assert missing.value.code == 404


def keep(png: bytes, name: str, tmp_path: Path) -> None:
    """The screenshot under the test's tmp folder and, to look at after the run, under tests/artifacts/."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    (tmp_path / name).write_bytes(png)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(tmp_path / name, ARTIFACTS / name)


def test_the_report_file_in_a_real_browser_and_printed_to_pdf(tmp_path: Path) -> None:
    settings = Settings()
    out = tmp_path / "rapport"
    done = komhen(settings, "report", "status", "--from-file", str(KOMHEN_FILE), *COMMON, "--pdf", "-o", str(out))
    assert done.returncode == 0, done.stderr
    html = out / "status.html"
    seen = visit(html.as_uri())
    assert seen.problems == []
    assert seen.requests == [html.as_uri()]  # nothing fetched: no font, image, style or script
    assert seen.charts == 4 == html.read_text(encoding="utf-8").count(' data-chart="')
    assert "Ishøj Kommune (183)" in seen.dom
    pdf = (out / "status.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert 4 <= pdf_pages(pdf) <= 12, pdf_pages(pdf)  # five units, two tables a row: a handful of A4 pages
    keep(seen.first_page_png, "status-first-page.png", tmp_path)


def test_the_worker_page_in_a_real_browser(imported: WorkerProcess, tmp_path: Path) -> None:
    url = imported.base_url + "/"
    seen = visit(url)
    assert seen.problems == []
    assert [r for r in seen.requests if not r.startswith("data:")] == [url]
    assert seen.charts == 4  # channel mix in and out, trend, targets
    assert "de seneste 28 dage (24. oktober – 20. november 2015)" in seen.dom
    keep(seen.first_page_png, "worker-first-page.png", tmp_path)
