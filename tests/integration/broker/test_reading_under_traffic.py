"""Commands that read the counted state end while events keep flowing (issue 13).

Before, `komhen export` and `komhen report selfservice` read the summaries topic until it had
been quiet for 2 s; a worker under traffic publishes every second, so they never ended. They
(and `komhen report status`) now read what the topic held when they started.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from streams.documents.settings import Settings
from tests.fixtures.traffic import LiveTraffic
from tests.fixtures.workers import WorkerProcess, wait_for
from tests.integration.ingress.test_komhen_files_cli import komhen

DEADLINE_S = 60  # a read of a small topic takes a few seconds; the old one never ended


def summary_end_offsets(settings: Settings) -> int:
    """The sum of the summaries topic's end offsets: grows while workers publish."""
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers)
    try:
        partitions = [TopicPartition(settings.summary_topic, p) for p in range(settings.partitions)]
        return sum(consumer.end_offsets(partitions).values())
    finally:
        consumer.close()


def in_summaries(worker: WorkerProcess) -> float:
    """What the summaries topic holds, as the worker's whole-municipality view (which follows it) sees it."""
    windows = worker.metrics().get("komhen_window_inquiries", {})
    return sum(v for k, v in windows.items() if ("department", "_all") in k and ("window", "7d") in k)


def test_export_and_reports_end_while_events_keep_flowing(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    today = date.today()
    first, last = (today - timedelta(days=1)).isoformat(), (today + timedelta(days=1)).isoformat()
    with LiveTraffic(settings) as traffic:
        wait_for(lambda: in_summaries(worker) >= 200, 60, "200 counted inquiries in the summaries topic")
        commands = {
            "export": ["export", "--from", first, "--to", last, "-o", str(tmp_path / "export.csv")],
            "selfservice": ["report", "selfservice", "--from", first, "--to", last],
            "status": ["report", "status", "--from", first, "--to", last, "-o", str(tmp_path / "status")],
        }
        for name, args in commands.items():
            before = summary_end_offsets(settings)
            started = time.monotonic()
            done = komhen(settings, *args)
            took = time.monotonic() - started
            assert done.returncode == 0, (name, done.stderr)
            assert took < DEADLINE_S, (name, took)
            assert traffic.running, traffic.error  # events flowed the whole time …
            grown = summary_end_offsets(settings) > before or _grows(settings, before)
            assert grown  # … and the topic it read kept growing
        assert traffic.error is None
    exported = (tmp_path / "export.csv").read_text().splitlines()
    assert len(exported) - 1 >= 200  # at least what the summaries held before the export started
    assert (tmp_path / "status" / "status.html").is_file()


def _grows(settings: Settings, before: int, within_s: float = 10) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if summary_end_offsets(settings) > before:
            return True
        time.sleep(0.5)
    return False
