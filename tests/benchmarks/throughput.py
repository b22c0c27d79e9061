"""Throughput of the whole pipeline beside a raw aiokafka consume-parse-count loop, same topic.

    .venv/bin/python tests/benchmarks/throughput.py                 # 200,000 events, batched messages
    .venv/bin/python tests/benchmarks/throughput.py --single 50000  # also one event per message

Starts its own embedded broker, publishes simulated events with the SDK, runs a real
`komhen worker` process and waits until /metrics has counted every event; then reads the
same topic with a bare aiokafka loop (json + dict count, no validation, dedup or windows).
Prints events/s of each and their ratio. Not part of the test suite: figures, not asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition
from kafka import KafkaProducer

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.dev.simulator import Simulator
from streams.documents.profiles import load_profile
from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher
from tests.fixtures.factories import free_port
from tests.fixtures.workers import fresh_settings, start_worker, wait_for


def simulated(n: int) -> list[dict[str, Any]]:
    """n events from the Ishøj profile, spread over the days before today."""
    simulator = Simulator(load_profile(), seed=7, tz=Settings().tz)
    events: list[dict[str, Any]] = []
    day = date.today() - timedelta(days=1)
    while len(events) < n:
        events.extend(simulator.day(day))
        day -= timedelta(days=1)
    return events[:n]


def counted(worker: Any) -> float:
    """Events the worker accepted, from /health: cheap, so polling does not slow the worker down."""
    return float(worker.health()["events"]["accepted"])


def publish(settings: Settings, events: list[dict[str, Any]], single: bool) -> None:
    if single:
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, linger_ms=5, acks=1)
        for e in events:
            key = e["municipality"].encode()
            producer.send(settings.topic, key=key, value=json.dumps(e).encode())
        producer.flush()
        producer.close()
    else:
        with Publisher(settings) as publisher:
            publisher.publish(events)


def run_live(settings: Settings, events: list[dict[str, Any]], single: bool, tmp: Path) -> tuple[float, float]:
    """Worker running: seconds to publish, and from the first publish until /metrics counted all."""
    worker = start_worker(settings, tmp, name="bench-live")
    try:
        worker.wait_ready(settings.partitions)
        started = time.perf_counter()
        publish(settings, events, single)
        published = time.perf_counter() - started
        wait_for(lambda: counted(worker) >= len(events), 1800, "the worker to count every event")
        return published, time.perf_counter() - started
    finally:
        worker.stop()


def run_catch_up(settings: Settings, n: int, tmp: Path) -> float:
    """Topic already full, nothing committed: seconds from partition assignment until all counted."""
    worker = start_worker(settings, tmp, name="bench-catch-up")
    try:
        wait_for(lambda: len(worker.health()["partitions"]) == settings.partitions, 120, "assignment")  # type: ignore[arg-type]
        started = time.perf_counter()
        wait_for(lambda: counted(worker) >= n, 1800, "the worker to count every event")
        return time.perf_counter() - started
    finally:
        worker.stop()


async def raw_loop(settings: Settings, expected: int) -> float:
    """Seconds for aiokafka getmany + json + a dict count of (channel, direction) over the topic."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        enable_auto_commit=False,
        fetch_max_bytes=16 * 1024 * 1024,
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(settings.topic, p) for p in range(settings.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        counts: Counter[tuple[str, str]] = Counter()
        seen = 0
        started = time.perf_counter()
        while seen < expected:
            for messages in (await consumer.getmany(timeout_ms=1000, max_records=10_000)).values():
                for m in messages:
                    value = json.loads(m.value)
                    for e in value.get("events", (value,)):
                        counts[(e["channel"], e["direction"])] += 1
                        seen += 1
        return time.perf_counter() - started
    finally:
        await consumer.stop()


def measure(broker: EmbeddedBroker, events: list[dict[str, Any]], single: bool, tmp: Path) -> None:
    settings = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(settings)
    published, pipeline_s = run_live(settings, events, single, tmp)
    raw_s = asyncio.run(raw_loop(settings, len(events)))
    # Another group, and no snapshots: the live worker's last snapshot would otherwise be loaded, not counted.
    catch_up = replace(
        settings,
        group_id=settings.group_id + "-catch-up",
        snapshot_interval_s=0,
        input_retention_days=settings.retention_days + 7,  # what a worker without snapshots requires
    )
    catch_up_s = run_catch_up(catch_up, len(events), tmp)
    n = len(events)
    label = "one event per message" if single else "batched per municipality (SDK)"
    print(f"\n{n:,} events, {label}")
    print(f"  publish (SDK/producer)                    {n / published:>10,.0f} events/s  ({published:.2f} s)")
    print(f"  pipeline end to end (publish -> /metrics) {n / pipeline_s:>10,.0f} events/s  ({pipeline_s:.2f} s)")
    print(f"  raw aiokafka consume-parse-count loop     {n / raw_s:>10,.0f} events/s  ({raw_s:.2f} s)")
    print(f"  worker catch-up over the full topic       {n / catch_up_s:>10,.0f} events/s  ({catch_up_s:.2f} s)")
    print(f"  ratio pipeline end to end / raw loop      {raw_s / pipeline_s:>10.2f}")
    print(f"  ratio worker catch-up / raw loop          {raw_s / catch_up_s:>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000, help="events for the batched run (default 200000)")
    parser.add_argument("--single", type=int, default=0, help="also run with this many one-event messages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, EmbeddedBroker(port=free_port()) as broker:
        print(f"machine: {sys.platform}, python {sys.version.split()[0]}, broker: embedded Tansu")
        measure(broker, simulated(args.events), single=False, tmp=Path(tmp))
        if args.single:
            measure(broker, simulated(args.single), single=True, tmp=Path(tmp))


if __name__ == "__main__":
    main()
