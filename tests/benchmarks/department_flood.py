"""/metrics under a flood of invented departments: its size, the time of a scrape and the worker's memory.

    .venv/bin/python tests/benchmarks/department_flood.py --departments 20000
    .venv/bin/python tests/benchmarks/department_flood.py --municipalities 98 --departments 11760 --events 3

With --municipalities the invented departments are spread over that many municipalities (the
hostile trial of issue 24: 98 × 120 departments × 3 events each, with the default settings).

The hostile trial of issue 12: two requests of 10,000 valid events each, every event in a
department of its own, published with the SDK (as the ingest does) into one real worker that
already counts three real departments. Timed: until every event is counted, and until the whole
municipality (department `_all`, built from the summaries every worker publishes) shows them all. Then
five HTTP GETs of /metrics are timed and the worker's resident memory is read. Figures, not asserts; not
part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.documents.reference import municipality_table
from streams.ingress.publisher import Publisher
from tests.benchmarks.throughput import counted
from tests.benchmarks.worker_memory import wait_until_idle
from tests.fixtures.factories import event_json, free_port
from tests.fixtures.workers import WorkerProcess, fresh_settings, parse_samples, start_worker

REAL = ("borgerservice", "byggeri", "jobcenter")


def resident_bytes(pid: int) -> int:
    """The process's resident memory, from /proc (its /metrics may be too large to parse quickly)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def scrape(worker: WorkerProcess) -> tuple[int, float, int]:
    """The size of /metrics, the seconds a GET took, and the number of series in it."""
    began = time.perf_counter()
    with urllib.request.urlopen(f"{worker.base_url}/metrics", timeout=600) as response:
        body = response.read()
    took = time.perf_counter() - began
    return len(body), took, sum(1 for line in body.splitlines() if line and not line.startswith(b"#"))


def seconds_until(condition: Callable[[], bool], timeout_s: float = 1800) -> float:
    """The moment (perf_counter) a check of `condition` that holds ended; checked every 0.1 s, not the tests'
    widening waits: a scrape during the flood takes seconds, and the gaps would be counted as catch-up."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(0.1)
    raise TimeoutError(f"no catch-up in {timeout_s:.0f} s")


def whole(worker: WorkerProcess) -> float:
    """Every municipality's inquiries as the summaries topic gives them: what the `_all` series sum to."""
    with urllib.request.urlopen(f"{worker.base_url}/metrics", timeout=600) as response:
        samples = parse_samples(response.read().decode())
    return sum(
        v
        for k, v in samples.get("komhen_window_inquiries", {}).items()
        if ("department", "_all") in k and ("window", "7d") in k
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--departments", type=int, default=20_000)
    parser.add_argument("--municipalities", type=int, default=1, help="spread the departments over this many")
    parser.add_argument("--events", type=int, default=1, help="events per invented department")
    parser.add_argument("--scrapes", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    real = [event_json(f"real-{i}", occurred_at=now, department=REAL[i % 3]) for i in range(300)]
    places = [m.number for m in municipality_table().all()][: args.municipalities]
    flood = [
        event_json(f"flood-{i}-{n}", occurred_at=now, department=f"afd-{i:05d}", municipality=places[i % len(places)])
        for i in range(args.departments)
        for n in range(args.events)
    ]
    with EmbeddedBroker(port=free_port()) as broker, tempfile.TemporaryDirectory() as tmp:
        settings = fresh_settings(broker.bootstrap_servers, clock="wall", session_timeout_s=6.0)
        ensure_topics(settings)
        worker = start_worker(settings, Path(tmp), name="flood")
        try:
            worker.wait_ready(settings.partitions)
            with Publisher(settings) as publisher:
                publisher.publish(real)
                half = len(flood) // 2
                for request in (flood[:half], flood[half:]):  # the trial's two ingest requests
                    publisher.publish(request)
            published = time.perf_counter()
            total = len(real) + len(flood)
            counted_s = seconds_until(lambda: counted(worker) >= total) - published
            whole_s = seconds_until(lambda: whole(worker) >= total) - published
            wait_until_idle(worker.process.pid)
            scrapes = []
            for _ in range(args.scrapes):
                scrapes.append(scrape(worker))
                time.sleep(1.1)
            rss = resident_bytes(worker.process.pid)
        finally:
            worker.stop()
    sizes = sorted(size for size, _, _ in scrapes)
    seconds = sorted(s for _, s, _ in scrapes)
    series = max(n for _, _, n in scrapes)
    budget = settings.series_budget
    print(json.dumps({"departments": args.departments, "municipalities": len(places), "events": len(flood)}))
    print(f"  budget: {budget.series}, {budget.departments} departments per municipality; ", end="")
    median = seconds[len(seconds) // 2]
    print(f"/metrics {sizes[-1] / 1e6:.2f} MB, {series} series; scrape median {median * 1000:.0f} ms, ", end="")
    print(f"max {seconds[-1] * 1000:.0f} ms; worker RSS {rss / 2**20:.0f} MiB")
    print(f"  after the last publish: every event counted in {counted_s:.1f} s, ", end="")
    print(f"the whole municipality (department _all, from the summaries) in {whole_s:.1f} s")


if __name__ == "__main__":
    main()
