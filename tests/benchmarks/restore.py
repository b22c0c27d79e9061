"""Restore time of one worker: loading a snapshot beside the full replay of the input topic, in one run.

    .venv/bin/python tests/benchmarks/restore.py --events 1000000,5000000,15000000
    .venv/bin/python tests/benchmarks/restore.py --events 1500000            # start to /health ok

For each history size: N events spread evenly over `--days` days × `--departments` departments
(the realistic mix of cells of worker_memory.py, ~200–400 distinct cells per department-day)
are published to a fresh topic, gzip-compressed so that 15 million fit in the embedded broker's
memory (about 20 MB per million instead of 275). Then, on the same topic and consumer group:

1. worker A counts them all (snapshots every KOMHEN_SNAPSHOT_INTERVAL_S) and is stopped with
   SIGTERM: its last snapshot is written at the stop;
2. worker B starts: it loads the snapshots and reads the input topic from the offsets they
   cover (nothing, here) — the snapshot path;
3. worker C starts with snapshots off (KOMHEN_SNAPSHOT_INTERVAL_S=0): it reads every partition
   from its start — the full replay, as every restart did before snapshots.

For B and C: seconds from the process start to /health "ok" with all four partitions (polled
every 0.1 s), and from the worker's log line "har fået partition 0, 1, 2, 3" to "ok", which
is the restore itself; snapshot bytes and events from /health.
Figures, not asserts: not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kafka import KafkaProducer

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings
from streams.domain.events.messages import encode_messages
from tests.benchmarks.throughput import counted
from tests.benchmarks.worker_memory import department_day
from tests.fixtures.factories import free_port
from tests.fixtures.workers import WorkerProcess, fresh_settings, start_worker, wait_for


def publish(settings: Settings, events: int, departments: int, days: int) -> int:
    """Events over `days` days × `departments` departments, batched per department-day; returns how many."""
    per_bucket = max(1, events // (departments * days))
    rng = random.Random(5)
    last_day = date.today() - timedelta(days=1)
    producer = KafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        linger_ms=50,
        batch_size=1_000_000,
        max_request_size=4_000_000,
        compression_type="gzip",
    )
    next_id = 0
    for back in range(days - 1, -1, -1):  # oldest day first, as a year of traffic would arrive
        for department in range(departments):
            batch = department_day(rng, department, last_day - timedelta(days=back), per_bucket, next_id)
            next_id += per_bucket
            for key, value in encode_messages(batch):
                producer.send(settings.topic, key=key, value=value)
    producer.flush()
    producer.close()
    return next_id


def assigned_at(worker: WorkerProcess) -> float:
    """When the worker logged its assignment ("har fået partition 0, 1, 2, 3 af emnet …"), in epoch seconds."""
    for line in worker.log_path.read_text(errors="replace").splitlines():
        if "har fået partition " in line:
            stamp = line.split("]", 1)[0].lstrip("[")
            return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
    raise RuntimeError(f"{worker.log_path} has no assignment line")


def restart(settings: Settings, tmp: Path, name: str) -> dict[str, Any]:
    """Start a worker on the counted topic; time it to /health ok; stop it cleanly."""
    started = time.time()
    worker = start_worker(settings, tmp, name=name)
    try:
        while True:  # /health every 0.1 s (it may not answer while a full replay holds the event loop)
            try:
                health = worker.health()
            except OSError:
                health = {"status": "starting", "partitions": []}
            if health["status"] == "ok" and len(health["partitions"]) == settings.partitions:  # type: ignore[arg-type]
                break
            if time.time() - started > 3600:
                raise TimeoutError(f"{name} not ok after an hour")
            time.sleep(0.1)
        ok = time.time()
        restore: dict[str, dict[str, Any]] = health.get("restore", {})  # type: ignore[assignment]
        figures = {
            "start_to_ok_s": round(ok - started, 1),
            "restore_s": round(ok - assigned_at(worker), 1),
            "paths": sorted({r["path"] for r in restore.values()}),
            "snapshot_mb": round(sum(r["snapshot_bytes"] for r in restore.values()) / 1e6, 1),
            "events_restored": sum(r["events"] for r in restore.values()),
            "rss_mib": round(worker.metrics()["process_resident_memory_bytes"][frozenset()] / 2**20),
        }
    finally:
        began = time.time()
        worker.stop()
        figures["stop_s"] = round(time.time() - began, 1)
    return figures


def measure(broker: EmbeddedBroker, events: int, departments: int, days: int, interval_s: float, tmp: Path) -> None:
    settings = fresh_settings(
        broker.bootstrap_servers, clock="event", session_timeout_s=6.0, snapshot_interval_s=interval_s
    )
    ensure_topics(settings)
    began = time.time()
    total = publish(settings, events, departments, days)
    published_s = time.time() - began
    counting = start_worker(settings, tmp, name=f"count-{total}")
    try:
        wait_for(lambda: counted(counting) >= total, 7200, "every event to be counted")
        counted_s = time.time() - began
    finally:
        stop_began = time.time()
        counting.stop()
        stop_s = time.time() - stop_began
    snapshot = restart(settings, tmp, f"snapshot-{total}")
    full = restart(replace(settings, snapshot_interval_s=0, input_retention_days=407), tmp, f"full-{total}")
    result = {
        "events": total,
        "departments": departments,
        "days": days,
        "published_s": round(published_s, 1),
        "published_and_counted_s": round(counted_s, 1),
        "stop_with_last_snapshot_s": round(stop_s, 1),
        "snapshot_path": snapshot,
        "full_replay": full,
        "full_replay_events_per_s": round(total / max(full["restore_s"], 0.1)),
    }
    print(json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="1000000,5000000,15000000", help="history sizes, separated by commas")
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--interval", type=float, default=300.0, help="KOMHEN_SNAPSHOT_INTERVAL_S of worker A")
    parser.add_argument("--logs", type=Path, help="keep the workers' logs in this folder")
    args = parser.parse_args()
    print(f"machine: {sys.platform}, python {sys.version.split()[0]}, broker: embedded Tansu", flush=True)
    with tempfile.TemporaryDirectory() as tmp, EmbeddedBroker(port=free_port()) as broker:
        logs = args.logs or Path(tmp)
        logs.mkdir(parents=True, exist_ok=True)
        for n in (int(x) for x in args.events.split(",")):
            measure(broker, n, args.departments, args.days, args.interval, logs)


if __name__ == "__main__":
    main()
