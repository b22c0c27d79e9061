"""The pipeline beside two baselines, on the same events and the same kind of broker, in one run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python tests/benchmarks/side_by_side.py --events 200000 --naive-events 20000
    .venv/bin/python tests/benchmarks/side_by_side.py --snapshot-intervals 0,300,1 --repeat 3 --naive-events 0

1. komhen:  `komhen publish events.ndjson` into `komhen demo --rate 0` (embedded broker, one
   worker), timed from the start of the publish until the worker's /metrics counts every event.
2. raw:     a confluent-kafka producer (one message per event) and, concurrently, an aiokafka
   consume-parse-count loop, timed until the loop has counted every event.
3. naive:   a Faust agent with one table increment per event (raw serializer), timed until its
   table holds every event (fewer events: it is slow).
Each on a fresh embedded broker. Prints events/s and komhen's ratio to the raw loop.

With --snapshot-intervals, step 1 runs once per KOMHEN_SNAPSHOT_INTERVAL_S given (0: no
snapshots; 1: a snapshot of the changed days every second while counting), in turn, --repeat
times, so the cost of snapshots is measured in one run on the same machine state.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker, wait_for_port
from streams.documents.settings import Settings
from tests.benchmarks.scale_out import cpu_seconds
from tests.benchmarks.throughput import simulated
from tests.fixtures.factories import free_port
from tests.fixtures.workers import wait_for

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "KOMHEN_"))}


def komhen_counted(url: str) -> float:
    """Events the worker accepted, from /health (cheap to poll, unlike /metrics)."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return float(json.loads(response.read())["events"]["accepted"])


def worker_pid(demo_pid: int) -> int:
    """The demo's `komhen worker` child."""
    for line in Path(f"/proc/{demo_pid}/task/{demo_pid}/children").read_text().split():
        if b"worker" in Path(f"/proc/{line}/cmdline").read_bytes():
            return int(line)
    raise RuntimeError("the demo has no worker process")


def run_komhen(path: Path, n: int, tmp: Path, snapshot_interval_s: float | None = None) -> tuple[float, float]:
    """Seconds from the start of the publish until every event is counted, and the worker's CPU seconds."""
    broker_port, web_port = free_port(), free_port()
    snapshots = {}
    if snapshot_interval_s is not None:
        snapshots["KOMHEN_SNAPSHOT_INTERVAL_S"] = str(snapshot_interval_s)
        if snapshot_interval_s == 0:
            snapshots["KOMHEN_INPUT_RETENTION_DAYS"] = "407"
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streams",
            "demo",
            "--rate",
            "0",
            "--broker-port",
            str(broker_port),
            "--web-port",
            str(web_port),
            "--clock",
            "event",
        ],
        env={**CLEAN_ENV, "KOMHEN_DATA_DIR": str(tmp / "demo"), **snapshots},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{web_port}/health"
    try:
        wait_for(lambda: json.loads(urllib.request.urlopen(url).read())["status"] == "ok", 120, "demo")
        start = time.perf_counter()
        publish = subprocess.run(
            [sys.executable, "-m", "streams", "publish", str(path)],
            env={**CLEAN_ENV, "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{broker_port}"},
            capture_output=True,
            text=True,
        )
        assert publish.returncode == 0, publish.stderr
        published = time.perf_counter() - start
        worker = worker_pid(demo.pid)
        wait_for(lambda: komhen_counted(url) >= n, 1800, "the demo's worker to count every event")
        total = time.perf_counter() - start
        cpu = cpu_seconds(worker)  # since the worker started: the join and the counting
        print(f"  (komhen publish process: {published:.2f} s; all counted after {total:.2f} s; worker CPU {cpu:.1f} s)")
        return total, cpu
    finally:
        demo.send_signal(2)
        demo.wait(timeout=60)


def _raw_consumer(bootstrap: str, topic: str, n: int, ready: Any, done: Any) -> None:
    import asyncio
    from collections import Counter

    from aiokafka import AIOKafkaConsumer
    from aiokafka.structs import TopicPartition

    async def loop() -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            enable_auto_commit=False,
            fetch_max_bytes=16 * 1024 * 1024,
            max_partition_fetch_bytes=8 * 1024 * 1024,
        )
        await consumer.start()
        partitions = [TopicPartition(topic, p) for p in range(4)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ready.set()
        counts: Counter[tuple[str, str]] = Counter()
        seen = 0
        while seen < n:
            for messages in (await consumer.getmany(timeout_ms=200, max_records=10_000)).values():
                for m in messages:
                    e = json.loads(m.value)
                    counts[(e["channel"], e["direction"])] += 1
                    seen += 1
        done.value = time.perf_counter()
        await consumer.stop()

    asyncio.run(loop())


def run_raw(events: list[dict[str, Any]]) -> float:
    from confluent_kafka import Producer

    with EmbeddedBroker(port=free_port()) as broker:
        settings = Settings(bootstrap_servers=broker.bootstrap_servers, topic="raw")
        ensure_topics(settings)
        ready, done = mp.Event(), mp.Value("d", 0.0)
        consumer = mp.Process(target=_raw_consumer, args=(broker.bootstrap_servers, "raw", len(events), ready, done))
        consumer.start()
        ready.wait(60)
        encoded = [(f"{e['municipality']}/{e['department']}".encode(), json.dumps(e).encode()) for e in events]
        producer = Producer(
            {
                "bootstrap.servers": broker.bootstrap_servers,
                "linger.ms": 5,
                "acks": "all",
                "partitioner": "murmur2_random",
            }
        )
        start = time.perf_counter()
        for key, value in encoded:
            while True:
                try:
                    producer.produce("raw", key=key, value=value)
                    break
                except BufferError:
                    producer.poll(0.01)
            producer.poll(0)
        producer.flush()
        consumer.join(1800)
        return done.value - start


NAIVE_APP = """
import sys, faust
app = faust.App("naive", broker="kafka://{bootstrap}", store="memory://", topic_partitions=4,
                web_port={web_port}, web_host="127.0.0.1", broker_session_timeout=6, broker_rebalance_timeout=6)
topic = app.topic("naive", key_serializer="raw", value_serializer="raw")
counts = app.Table("naive-counts", default=int, partitions=4)

@app.agent(topic)
async def count(stream):
    import json
    async for event in stream:
        e = json.loads(event)
        counts[e["channel"] + "/" + e["direction"]] += 1

@app.page("/count")
async def total(web, request):
    return web.json({{"total": sum(counts.values())}})

sys.argv = ["naive", "worker", "--loglevel", "warn"]
app.main()
"""


def run_naive(events: list[dict[str, Any]], tmp: Path) -> float:
    from confluent_kafka import Producer

    with EmbeddedBroker(port=free_port()) as broker:
        settings = Settings(bootstrap_servers=broker.bootstrap_servers, topic="naive")
        ensure_topics(settings)
        web_port = free_port()
        script = tmp / "naive_app.py"
        script.write_text(NAIVE_APP.format(bootstrap=broker.bootstrap_servers, web_port=web_port))
        app = subprocess.Popen(
            [sys.executable, str(script)], cwd=tmp, env=CLEAN_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        url = f"http://127.0.0.1:{web_port}/count"
        try:
            wait_for_port("127.0.0.1", web_port, 120)
            producer = Producer({"bootstrap.servers": broker.bootstrap_servers, "linger.ms": 5})
            start = time.perf_counter()
            for e in events:
                producer.produce(
                    "naive", key=f"{e['municipality']}/{e['department']}".encode(), value=json.dumps(e).encode()
                )
                producer.poll(0)
            producer.flush()

            def total() -> int:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return int(json.loads(response.read())["total"])

            wait_for(lambda: total() >= len(events), 1800, "the naive agent to count every event")
            return time.perf_counter() - start
        finally:
            app.terminate()
            app.wait(timeout=60)


def compare_snapshots(path: Path, n: int, tmp: Path, intervals: list[float], repeat: int) -> None:
    rates: dict[float, list[float]] = {i: [] for i in intervals}
    cpus: dict[float, list[float]] = {i: [] for i in intervals}
    for round_ in range(repeat):
        for interval in intervals:
            seconds, cpu = run_komhen(path, n, tmp, snapshot_interval_s=interval)
            rates[interval].append(n / seconds)
            cpus[interval].append(cpu)
            print(
                f"round {round_ + 1}, KOMHEN_SNAPSHOT_INTERVAL_S={interval:g}: {n / seconds:,.0f} events/s", flush=True
            )
    base, base_cpu = sum(rates[intervals[0]]) / repeat, sum(cpus[intervals[0]]) / repeat
    print(f"{n:,} events, komhen publish -> komhen demo --rate 0, mean of {repeat} rounds:")
    for interval in intervals:
        mean, cpu = sum(rates[interval]) / repeat, sum(cpus[interval]) / repeat
        print(
            f"  KOMHEN_SNAPSHOT_INTERVAL_S={interval:<5g} {mean:>9,.0f} events/s ({mean / base - 1:+.1%}), "
            f"worker CPU {cpu:.1f} s ({cpu / base_cpu - 1:+.1%}), range {min(rates[interval]):,.0f}–"
            f"{max(rates[interval]):,.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--naive-events", type=int, default=20_000)
    parser.add_argument("--snapshot-intervals", help="compare KOMHEN_SNAPSHOT_INTERVAL_S values, e.g. 0,300,1")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the snapshot comparison")
    args = parser.parse_args()
    events = simulated(args.events)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        path = tmp / "events.ndjson"
        path.write_text("".join(json.dumps(e) + "\n" for e in events))
        if args.snapshot_intervals:
            compare_snapshots(
                path, len(events), tmp, [float(x) for x in args.snapshot_intervals.split(",")], args.repeat
            )
            return
        komhen_s, _ = run_komhen(path, len(events), tmp)
        raw_s = run_raw(events)
        naive_s = run_naive(events[: args.naive_events], tmp)
    n = len(events)
    print(f"{n:,} events (naive: {args.naive_events:,}), 2 cores, embedded Tansu broker")
    print(f"  komhen publish -> komhen demo --rate 0 (all counted)   {n / komhen_s:>9,.0f} events/s")
    print(f"  raw: confluent-kafka producer + aiokafka count loop    {n / raw_s:>9,.0f} events/s")
    print(f"  naive Faust agent, one table write per event           {args.naive_events / naive_s:>9,.0f} events/s")
    print(f"  ratio komhen / raw                                     {raw_s / komhen_s:>9.2f}")


if __name__ == "__main__":
    main()
