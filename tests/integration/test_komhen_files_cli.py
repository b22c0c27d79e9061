"""KOMHEN files through the real CLI, broker and worker: import, import again, export, re-import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from streams.broker.topics import ensure_topics
from streams.config import Settings, settings_env
from streams.dev.embedded import EmbeddedBroker
from streams.ingress.komhen_file import Imported, open_export
from tests.factories import TZ
from tests.integration.workers import Labels, WorkerProcess, fresh_settings, start_worker, wait_for
from tests.unit.test_komhen_file import generated_file


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
        lambda: (
            sum(v for k, v in windows(worker).items() if ("department", "_all") in k and ("window", "365d") in k)
            == importable
        ),
        30,
        "the summaries to reach the global view",
    )

    out = tmp_path / "komhen-upload.csv"
    exported = komhen(settings, "export", "--from", "2014-01-01", "--to", "2014-12-31", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.strip() == f"wrote {importable} rows (2014-01-01 to 2014-12-31)"

    again = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(again)
    second_worker = start_worker(again, tmp_path, name="reimport")
    try:
        second_worker.wait_ready(again.partitions)
        reimport = komhen(again, "import", str(out))
        assert reimport.returncode == 0, reimport.stderr
        wait_for(lambda: windows(second_worker) == windows(worker), 60, "identical counts after export and re-import")
    finally:
        second_worker.stop()
