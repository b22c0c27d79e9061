"""Memory of one worker holding a year of buckets for 50 departments and 5,000,000 identities.

    .venv/bin/python tests/benchmarks/worker_memory.py --events 5000000

Events are spread evenly over 365 days × 50 departments with a realistic mix of cells
(channels, inquiry types, KLE tasks, completion, form), written as batch messages, counted by
one real worker; then its resident memory is read from its own /metrics
(process_resident_memory_bytes) after settled days were sealed, and five scrapes (HTTP GET of /metrics) are timed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kafka import KafkaProducer

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.domain.events.messages import encode_messages
from tests.benchmarks.scale_out import cpu_seconds
from tests.benchmarks.throughput import counted
from tests.fixtures.factories import free_port
from tests.fixtures.workers import WorkerProcess, fresh_settings, start_worker, wait_for

CPH = ZoneInfo("Europe/Copenhagen")
CHANNELS = [
    ("self_service", "in"),
    ("phone", "in"),
    ("personal", "in"),
    ("email", "in"),
    ("digital_post", "out"),
    ("letter", "out"),
    ("phone", "out"),
    ("digital_post", "in"),
]
TYPES = ["OPRET", "STATUS", "INFO", "VEJL"]
TASKS = ["23.05.10", "27.12.00", "02.34.02", "28.06.00", "15.00.00"]


def department_day(rng: random.Random, department: int, day: date, n: int, start_id: int) -> list[dict[str, Any]]:
    events = []
    for i in range(n):
        channel, direction = rng.choice(CHANNELS)
        moment = datetime.combine(day, clock_time(8), CPH) + timedelta(seconds=rng.randrange(8 * 3600))
        event = {
            "schema_version": 1,
            "event_id": f"m-{start_id + i}",
            "source": "memtest",
            "occurred_at": moment.isoformat(),
            "municipality": "183",
            "department": f"afdeling-{department:02d}",
            "channel": channel,
            "direction": direction,
            "inquiry_type": rng.choice(TYPES),
            "kle": rng.choice(TASKS),
            "form": rng.random() < 0.3,
        }
        if channel in ("phone", "personal"):
            event["completion"] = rng.choice(["immediate", "forwarded"])
        events.append(event)
    return events


def wait_until_idle(pid: int) -> None:
    """Until the process used under 5 % of a core over two seconds."""
    while True:
        before = cpu_seconds(pid)
        time.sleep(2)
        if cpu_seconds(pid) - before < 0.1:
            return


def scrape(worker: WorkerProcess) -> tuple[int, float]:
    """Size and seconds of one HTTP GET of /metrics (not parsed: parsing 1 MB in Python is slow)."""
    began = time.perf_counter()
    with urllib.request.urlopen(f"{worker.base_url}/metrics", timeout=30) as response:
        size = len(response.read())
    return size, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    per_bucket = args.events // (args.departments * args.days)
    total = per_bucket * args.departments * args.days
    rng = random.Random(5)
    last_day = date.today() - timedelta(days=1)
    with EmbeddedBroker(port=free_port()) as broker, tempfile.TemporaryDirectory() as tmp:
        settings = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
        ensure_topics(settings)
        worker = start_worker(settings, Path(tmp), name="memory")
        try:
            worker.wait_ready(settings.partitions)
            baseline = worker.metrics()["process_resident_memory_bytes"][frozenset()]
            producer = KafkaProducer(
                bootstrap_servers=settings.bootstrap_servers, linger_ms=20, max_request_size=2_000_000
            )
            start, next_id = time.perf_counter(), 0
            for department in range(args.departments):
                for back in range(args.days - 1, -1, -1):
                    events = department_day(rng, department, last_day - timedelta(days=back), per_bucket, next_id)
                    next_id += per_bucket
                    for key, value in encode_messages(events):
                        producer.send(settings.topic, key=key, value=value)
            producer.flush()
            wait_for(lambda: counted(worker) >= total, 3600, "every event to be counted")
            elapsed = time.perf_counter() - start
            wait_until_idle(worker.process.pid)  # the summaries of every bucket are published and followed
            scrapes = [scrape(worker)]  # the first one sums every settled day
            rss = worker.metrics()["process_resident_memory_bytes"][frozenset()]
            for i in range(5):  # then each after a new event on the newest day, as in live traffic
                newest = department_day(rng, i, last_day, 1, next_id + i)
                for key, value in encode_messages(newest):
                    producer.send(settings.topic, key=key, value=value)
                producer.flush()
                time.sleep(1.1)  # a scrape recomputes the windows at most once a second
                scrapes.append(scrape(worker))
            producer.close()
        finally:
            worker.stop()
    print(json.dumps({"events": total, "departments": args.departments, "days": args.days}))
    print(f"  counted in {elapsed:.0f} s ({total / elapsed:,.0f} events/s, writer included)")
    print(f"  worker RSS before: {baseline / 2**20:.0f} MiB, after: {rss / 2**20:.0f} MiB")
    size, first = scrapes[0]
    later = sorted(seconds for _, seconds in scrapes[1:])
    print(f"  /metrics ({size / 1e6:.1f} MB): first scrape {first * 1000:.0f} ms; after a new event: median ", end="")
    print(f"{later[len(later) // 2] * 1000:.0f} ms, max {later[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
