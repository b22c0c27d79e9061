"""The summaries topic is an input like any other (issue 24), against a real broker and worker.

The trial wrote one record to `<topic>-summaries` with a count of 1e308: the whole municipality
showed 1e+308 within 4 s, the worker's page failed for good, `komhen report status` exited 70 and
`komhen export` wrote 981 MB in 20 s; -500 was taken and a tombstone deleted a real department-day.
Written here with a plain Kafka client, each forged record is skipped: the counts stay exact, the
page, the report and the export work, and a restarted worker reads the topic the same way.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kafka import KafkaProducer

from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher
from tests.fixtures.factories import event_json
from tests.fixtures.workers import WorkerProcess, start_worker, wait_for
from tests.integration.ingress.test_komhen_files_cli import komhen

NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def whole_municipality(worker: WorkerProcess) -> float | None:
    found = [
        v
        for k, v in worker.metrics().get("komhen_window_inquiries", {}).items()
        if {("window", "7d"), ("channel", "phone"), ("direction", "in"), ("department", "_all")} <= k
    ]
    return sum(found) if found else None


def test_forged_summaries_are_skipped_and_the_counts_page_report_and_export_stay_right(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    with Publisher(settings) as publisher:
        events = [event_json(f"tel-{i}", occurred_at=NOW) for i in range(30)]
        assert publisher.publish(events).published == 30
    wait_for(lambda: whole_municipality(worker) == 30, 60, "the 30 calls in the whole municipality")

    day = NOW.astimezone(settings.tz).date().isoformat()
    key = f"183/borgerservice/{day}".encode()
    good = {
        "schema_version": 1,
        "municipality": "183",
        "department": "borgerservice",
        "day": day,
        "newest": NOW.isoformat(),
        "service": [],
    }

    def cells(n: object) -> list[list[object]]:
        return [["phone", "in", None, None, None, None, n]]

    def send(*records: tuple[bytes, bytes | None]) -> None:
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers)
        for k, v in records:
            producer.send(settings.summary_topic, key=k, value=v)
        producer.flush(30)
        producer.close()

    def skipped() -> dict[str, float]:
        return {dict(k)["reason"]: v for k, v in worker.metrics().get("komhen_summaries_skipped_total", {}).items()}

    # The view keeps the newest record of a key until it is read, so each round names each key once.
    send(
        (key, json.dumps({**good, "cells": cells(1e308)}).encode()),
        (f"183/sundhed/{day}".encode(), json.dumps({**good, "department": "sundhed", "cells": cells(-500)}).encode()),
        (f"183/jobcenter/{day}".encode(), json.dumps({**good, "cells": cells(5)}).encode()),
    )
    wait_for(
        lambda: skipped() == {"count": 2.0, "key_mismatch": 1.0, "tombstone": 0.0, "unreadable": 0.0, "day": 0.0},
        30,
        "every forged record skipped and counted by its reason",
    )
    send((key, None))  # a tombstone for a real department-day the retention keeps
    wait_for(lambda: skipped()["tombstone"] == 1.0, 30, "the tombstone skipped")
    assert whole_municipality(worker) == 30
    with urllib.request.urlopen(worker.base_url + "/?kommune=183", timeout=30) as response:
        assert response.status == 200
    folder = str(tmp_path / "rapport")
    report = komhen(settings, "report", "status", "--municipality", "183", "--from", day, "--to", day, "--out", folder)
    assert report.returncode == 0, report.stderr
    out = tmp_path / "kl.csv"
    exported = komhen(settings, "export", "--from", day, "--to", day, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert len(out.read_text(encoding="latin-1").splitlines()) == 31  # the header and one row per call

    worker.stop()
    again = start_worker(settings, tmp_path, name="again")
    try:
        again.wait_ready(settings.partitions)
        wait_for(lambda: whole_municipality(again) == 30, 60, "the same counts after a restart")
    finally:
        again.stop()
