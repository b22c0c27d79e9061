"""KOMHEN files through the real CLI, broker and worker: import, import again, export, re-import."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from streams.broker.topics import ensure_topics
from streams.cli.exit import ExitCode
from streams.contract.danish import whole
from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings, settings_env
from streams.ingress.komhen.export_file import open_export
from streams.ingress.komhen.results import Imported
from tests.fixtures.factories import SAMPLES, TZ
from tests.fixtures.komhen_corpus import CORPUS, VARIANTS
from tests.fixtures.workers import Labels, WorkerProcess, fresh_settings, start_worker, wait_for, whole_municipality
from tests.unit.ingress.test_komhen_file import generated_file

SAMPLE = SAMPLES / "komhen-tracetool-export.csv"


def komhen(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        env={**env, **settings_env(settings)},
        capture_output=True,
        text=True,
        timeout=180,
    )


def counted(worker: WorkerProcess) -> float:
    return sum(worker.metrics().get("komhen_inquiries_total", {}).values())


def windows(worker: WorkerProcess) -> dict[Labels, float]:
    return {k: v for k, v in worker.metrics().get("komhen_window_inquiries", {}).items() if v}


def test_import_twice_then_export_and_reimport_gives_identical_counts(
    settings: Settings, worker: WorkerProcess, broker: EmbeddedBroker, tmp_path: Path
) -> None:
    export_file = tmp_path / "uge43-44.csv"
    export_file.write_bytes(generated_file(seed=11, rows=3000, encoding="latin-1", newline="\r\n"))
    importable = sum(isinstance(r, Imported) for r in open_export(export_file, tz=TZ))
    rejected_rows = 3000 - importable

    first = komhen(settings, "import", str(export_file))
    assert first.returncode == 1  # the file has broken rows: listed, and the exit status says so
    assert f"{importable} henvendelser, {rejected_rows} afvist" in first.stdout.replace(".", "")
    assert first.stderr.count(f"{export_file}:") == rejected_rows
    wait_for(lambda: counted(worker) == importable, 60, "the imported rows to be counted")

    second = komhen(settings, "import", str(export_file))
    assert second.returncode == 1
    wait_for(
        lambda: (
            worker.metrics()["komhen_events_total"].get(
                frozenset({("source", "komhen-import"), ("outcome", "duplicate")})
            )
            == importable
        ),
        60,
        "the second import to be recognised as duplicates",
    )
    assert counted(worker) == importable
    wait_for(
        lambda: whole_municipality(worker) == importable,
        30,
        "the summaries to reach the global view",
    )

    out = tmp_path / "komhen-upload.csv"
    exported = komhen(settings, "export", "--from", "2014-01-01", "--to", "2014-12-31", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.strip() == f"skrev {whole(importable)} rækker (1.1.2014 til 31.12.2014)"

    again = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(again)
    second_worker = start_worker(again, tmp_path, name="reimport")
    try:
        second_worker.wait_ready(again.partitions)
        reimport = komhen(again, "import", str(out))
        assert reimport.returncode == 0, reimport.stderr
        wait_for(lambda: windows(second_worker) == windows(worker), 60, "identical counts after export and re-import")
    finally:
        second_worker.close()


def test_old_rows_are_not_sent_to_a_wall_clock_worker_and_the_importer_says_so_first_and_exits_1(
    settings: Settings, worker: WorkerProcess
) -> None:
    wall = replace(settings, clock="wall")  # what the import is told the workers run with (KOMHEN_CLOCK)
    held = komhen(wall, "import", str(SAMPLE))
    assert held.returncode == ExitCode.REJECTED
    first_line = held.stderr.splitlines()[0]
    assert first_line == (
        "Advarsel: 30 af 30 rækker er ældre end opbevaringstiden på 400 dage (ældste 3.11.2014) og sendes ikke, for "
        "en worker med vægur (--clock wall) ville afvise dem. Kør workeren og importen med --clock event "
        "(KOMHEN_CLOCK=event) for at tælle gamle tælleuger."
    )
    assert held.stdout.splitlines()[0] == "Læst 1 fil, 30 rækker: 0 henvendelser, 30 afvist, 0 sendt."
    assert "too_old (ældre end opbevaringstiden): 30" in held.stdout
    english = komhen(wall, "import", "--dry-run", "--language", "en", str(SAMPLE))
    assert english.returncode == ExitCode.REJECTED
    assert english.stderr.startswith("Warning: 30 of 30 rows are older than the retention of 400 days")
    assert english.stdout.splitlines()[0] == "Read 1 file, 30 rows: 0 events, 30 rejected."

    counted_now = komhen(wall, "import", "--clock", "event", str(SAMPLE))
    assert (counted_now.returncode, counted_now.stderr) == (ExitCode.OK, "")
    assert counted_now.stdout.strip() == "Læst 1 fil, 30 rækker: 30 henvendelser, 0 afvist, 30 sendt."
    wait_for(lambda: counted(worker) == 30, 60, "the 30 rows sent with --clock event to be counted")
    events = worker.metrics()["komhen_events_total"]
    assert {dict(k)["outcome"]: v for k, v in events.items()} == {"accepted": 30}  # the held-back run sent nothing


def inquiries(worker: WorkerProcess) -> Counter[tuple[str, str, str, str]]:
    out: Counter[tuple[str, str, str, str]] = Counter()
    for key, value in worker.metrics().get("komhen_inquiries_total", {}).items():
        labels = dict(key)
        out[(labels["municipality"], labels["department"], labels["channel"], labels["direction"])] += int(value)
    return out


# The name of each department after the whole corpus: the one its newest named inquiry (by event time) carried.
CORPUS_NAMES = {
    ("183", "borgerservice"): "183borgerservice",  # 04-11-2014 (Det Digitale Landkort) is newer than 26-10-2014
    ("183", "boern-og-unge"): "183 Børn og Unge",
    ("183", "teknik-og-miljoe"): "183 Teknik og Miljø",
    ("183", "ydelse"): "Ydelse",
    ("183", "cafe-aaen"): "Café Åen",
    ("259", "borgerservice"): "Borgerservice",
    ("259", "jobcenter"): "Jobcenter",
    ("259", "boern-og-unge"): "Børn og Unge",
    ("259", "aeldre-sundhed"): "Ældre & Sundhed",
    ("259", "oekonomi"): "Økonomi",
    ("259", "teknik-og-miljoe"): "Teknik og Miljø",
    ("101", "borgerservice"): "Borgerservice",
    ("101", "sundhed-og-omsorg"): "Sundhed og Omsorg",
    ("147", "borgerservice"): "Borgerservice",
    ("751", "borgerservice"): "Borgerservice",  # 17-03-2015 is newer than "751 Borgerservice" of 10-03-2015
    **{(m, "unknown"): "Enhed ikke angivet" for m in ("183", "259", "751")},  # rows with a blank unit
    ("751", "jobcenter-aarhus"): "Jobcenter Aarhus",  # 11-03-2015 is newer than "Jobcenter Århus" of 10-03-2015
    ("751", "boern-og-unge"): "Børn og Unge",
}


def test_every_variant_of_the_corpus_counts_exactly_through_the_cli_and_the_names_reach_metrics_and_export(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    expected: Counter[tuple[str, str, str, str]] = Counter()
    for name, variant in VARIANTS.items():
        result = komhen(settings, "import", str(CORPUS / name))
        counted_rows, rejected_rows = sum(variant.cells.values()), len(variant.rejected)
        assert result.returncode == (ExitCode.REJECTED if rejected_rows else ExitCode.OK), (name, result.stderr)
        assert result.stdout.splitlines()[0] == (
            f"Læst 1 fil, {variant.rows} rækker: {counted_rows} henvendelse{'r' if counted_rows != 1 else ''}, "
            f"{rejected_rows} afvist, {counted_rows} sendt."
        )
        assert [line.split(": ")[0] for line in result.stderr.splitlines()] == [
            f"{CORPUS / name}:{line}" for line, _ in variant.rejected
        ]
        assert "0101901234" not in result.stderr and "010190-1234" not in result.stderr
        expected.update(variant.cells)
        wait_for(lambda: inquiries(worker) == expected, 60, f"the cells of {name}")

    assert sum(expected.values()) == 54

    def names() -> dict[tuple[str, str], str]:
        info = worker.metrics().get("komhen_department_info", {})
        assert set(info.values()) <= {1.0}
        return {(dict(k)["municipality"], dict(k)["department"]): dict(k)["department_name"] for k in info}

    wait_for(lambda: names() == CORPUS_NAMES, 10, "the names (gauges are recomputed at most once a second)")
    assert "komhen_descriptive_findings_total" not in worker.metrics()  # the importer sent clean events

    wait_for(
        lambda: (
            whole_municipality(worker) == 54  # the 365 days up to the newest event (17-03-2015) hold the whole corpus
        ),
        30,
        "the summaries to reach the global view",
    )
    out = tmp_path / "kl-upload.csv"
    exported = komhen(settings, "export", "--from", "2014-01-01", "--to", "2015-12-31", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.strip() == "skrev 54 rækker (1.1.2014 til 31.12.2015)"
    content = out.read_bytes()
    assert content.decode("latin-1").encode("latin-1") == content and b"\xc3" not in content  # Latin-1, not UTF-8
    lines = content.decode("latin-1").splitlines()
    assert Counter(line.split(";")[:2][1] for line in lines[1:] if line.startswith("183;")) == {
        "183borgerservice": 9,
        "Borgerservice": 3,  # its own name on 25 and 26 October 2014
        "183 Børn og Unge": 3,
        "183 Teknik og Miljø": 1,
        "Ydelse": 2,
        "Café Åen": 2,
        "": 1,  # the blank unit: department unknown, written blank as registered
    }
    assert Counter(line.split(";")[1] for line in lines[1:] if line.startswith("751;")) == {
        "Jobcenter Aarhus": 7,  # 10-03-2015 00:00 in both KL files: the name counted last (same time) wins
        "751 Borgerservice": 1,  # its own day's name (10-03-2015)
        "Borgerservice": 1,  # 17-03-2015
        "Børn og Unge": 1,
        "": 1,
    }
    assert "101;Sundhed og Omsorg;;CHATIND;VEJL;STRAKS;;17-03-2015 00:00:00" in lines
