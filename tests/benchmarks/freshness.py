"""Freshness: how long from publishing an event until /metrics counts it, at a steady rate.

    .venv/bin/python tests/benchmarks/freshness.py --rate 1000 --seconds 60

A publisher sends `rate` events per second in ticks of 10 ms (SDK, acknowledged); a poller
reads the worker's komhen_inquiries_total every 20 ms. An event's latency is the time from
the start of its publish call until the first scrape that counts it (so it includes the
poll interval, ≤ 20 ms). Prints p50, p90, p99 and the maximum.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from bisect import bisect_left
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.ingress.publisher import Publisher
from tests.benchmarks.throughput import counted, simulated
from tests.fixtures.factories import free_port
from tests.fixtures.workers import fresh_settings, start_worker


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=int, default=1000, help="events per second (default 1000)")
    parser.add_argument("--seconds", type=int, default=60, help="how long to publish (default 60)")
    parser.add_argument("--batch-within", type=float, help="the worker's KOMHEN_BATCH_WITHIN_S (default: its default)")
    args = parser.parse_args()
    events = simulated(args.rate * args.seconds)
    sent_at: list[float] = []  # publish start time of event i
    seen: list[tuple[float, float]] = []  # (scrape time, count)
    with EmbeddedBroker(port=free_port()) as broker, tempfile.TemporaryDirectory() as tmp:
        settings = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
        if args.batch_within is not None:
            settings = replace(settings, batch_within_s=args.batch_within)
        ensure_topics(settings)
        worker = start_worker(settings, Path(tmp), name="freshness")
        try:
            worker.wait_ready(settings.partitions)
            done = threading.Event()

            def poll() -> None:
                while not done.is_set():
                    seen.append((time.perf_counter(), counted(worker)))
                    time.sleep(0.02)

            poller = threading.Thread(target=poll)
            poller.start()
            per_tick = args.rate // 100
            with Publisher(settings) as publisher:
                start = time.perf_counter()
                for tick in range(args.seconds * 100):
                    due = start + tick / 100
                    time.sleep(max(0.0, due - time.perf_counter()))
                    now = time.perf_counter()
                    chunk = events[tick * per_tick : (tick + 1) * per_tick]
                    sent_at.extend([now] * len(chunk))
                    publisher.publish(chunk)
            deadline = time.perf_counter() + 30
            while (not seen or seen[-1][1] < len(sent_at)) and time.perf_counter() < deadline:
                time.sleep(0.05)
            done.set()
            poller.join()
        finally:
            worker.stop()
    counts = [c for _, c in seen]
    latencies = []
    for i, t in enumerate(sent_at):
        j = bisect_left(counts, i + 1)
        if j < len(seen):
            latencies.append(seen[j][0] - t)
    latencies.sort()
    lost = len(sent_at) - len(latencies)
    print(f"{len(sent_at):,} events at {args.rate}/s for {args.seconds} s; not seen in time: {lost}")
    for name, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99)):
        print(f"  {name}  {percentile(latencies, q) * 1000:7.0f} ms")
    print(f"  max  {latencies[-1] * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
