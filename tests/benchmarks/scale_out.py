"""Scale-out: one worker against two workers sharing the partitions, on the same events.

    .venv/bin/python tests/benchmarks/scale_out.py --events 200000

For each case the workers are started on an empty topic and left to settle their assignment
(two workers: 2 + 2 partitions); then the events, already encoded as the SDK would send them,
are written at full speed, and the time until the workers' /health counts all of them is taken.
Prints events/s for both and the ratio. On this 2-core machine the broker, the writer and the
workers share the cores, which bounds what a second worker can add.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kafka import KafkaProducer

from streams.embedded import EmbeddedBroker, free_port
from streams.messages import encode_messages
from streams.topics import ensure_topics
from tests.benchmarks.throughput import counted, simulated
from tests.integration.workers import fresh_settings, start_worker, wait_for


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(
    broker: EmbeddedBroker, messages: list[tuple[bytes, bytes]], n: int, workers: int, tmp: Path
) -> tuple[float, dict[str, float]]:
    """Seconds until all counted, and the CPU seconds the broker and each worker spent meanwhile."""
    settings = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(settings)
    running = [start_worker(settings, tmp, name=f"scale-{workers}-{i}") for i in range(workers)]
    try:
        share = settings.partitions // workers
        wait_for(
            lambda: all(len(w.health()["partitions"]) == share and w.health()["status"] == "ok" for w in running),  # type: ignore[arg-type]
            120,
            f"{workers} worker(s) to settle on {share} partitions each",
        )
        time.sleep(2)  # let a rebalance that is still in flight finish
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, linger_ms=5, max_request_size=2_000_000)
        pids = {"broker": broker.pid, **{f"worker {i + 1}": w.process.pid for i, w in enumerate(running)}}
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        start = time.perf_counter()
        for key, value in messages:
            producer.send(settings.topic, key=key, value=value)
        producer.flush()
        producer.close()
        wait_for(lambda: sum(counted(w) for w in running) >= n, 1800, "all events to be counted")
        elapsed = time.perf_counter() - start
        return elapsed, {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    finally:
        for w in running:
            w.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    events: list[dict[str, Any]] = simulated(args.events)
    messages = list(encode_messages(events))
    with EmbeddedBroker(port=free_port()) as broker, tempfile.TemporaryDirectory() as tmp:
        one, one_cpu = run(broker, messages, len(events), 1, Path(tmp))
        two, two_cpu = run(broker, messages, len(events), 2, Path(tmp))
    print(f"{len(events):,} events, {os.cpu_count()} cores, embedded broker (the writer runs in this process)")
    for label, elapsed, cpu in (("one worker ", one, one_cpu), ("two workers", two, two_cpu)):
        spent = ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpu.items())
        print(f"  {label}  {len(events) / elapsed:>9,.0f} events/s ({elapsed:.2f} s); CPU seconds: {spent}")
    print(f"  scale-out    {one / two:>9.2f}x")


if __name__ == "__main__":
    main()
