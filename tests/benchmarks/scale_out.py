"""Scale-out: one worker against two workers sharing the partitions, on the same events.

    .venv/bin/python tests/benchmarks/scale_out.py --events 400000

The simulated events are spread over 48 departments (a municipality's real number) in each of
four municipalities that share the deployment; messages are keyed by municipality, and these
four land on partitions 0-3, so the four partitions carry equal shares (one municipality's
events are all on one partition: a second worker adds nothing to a deployment of one).
Two measurements, each with one and with two workers (2 + 2 partitions) on a fresh topic:

- live: the workers are running and settled; the events, already encoded as the SDK would
  send them, are written at full speed; time until the workers' /health counts all of them.
  The writer, the broker and the workers share this machine's 2 cores.
- catch-up: the events are written first; then the workers start and count a full topic.
  The writer is done and the broker only serves fetches (about a tenth of a core), so this is
  as close as a 2-core machine comes to "the broker on its own core": it shows what a second
  worker adds when it gets a core. The rate is taken between 10 % and 90 % counted, so the
  group join before it and the last partition's tail after it do not count.
Prints events/s, the ratio, and the CPU seconds of the broker and of each worker.
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

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings
from streams.domain.events.messages import encode_messages
from tests.benchmarks.throughput import counted, simulated
from tests.fixtures.factories import free_port
from tests.fixtures.workers import WorkerProcess, fresh_settings, start_worker, wait_for

DEPARTMENTS_PER_PROFILE_DEPARTMENT = 6  # the profile's 8 departments, each split in 6
MUNICIPALITIES = ("169", "183", "165", "157")  # on partitions 0, 1, 2 and 3 of four (Kafka's default partitioner)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spread(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **e,
            "municipality": MUNICIPALITIES[i % len(MUNICIPALITIES)],
            "department": f"{e['department']}-{i % DEPARTMENTS_PER_PROFILE_DEPARTMENT}",
        }
        for i, e in enumerate(events)
    ]


def write(settings: Settings, messages: list[tuple[bytes, bytes]]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, linger_ms=5, max_request_size=2_000_000)
    for key, value in messages:
        producer.send(settings.topic, key=key, value=value)
    producer.flush()
    producer.close()


def settle(running: list[WorkerProcess], settings: Settings) -> None:
    share = settings.partitions // len(running)
    wait_for(
        lambda: all(len(w.health()["partitions"]) == share and w.health()["status"] == "ok" for w in running),  # type: ignore[arg-type]
        120,
        f"{len(running)} worker(s) to settle on {share} partitions each",
    )


class Cpu:
    """CPU seconds of the broker and each worker from now on."""

    def __init__(self, broker: EmbeddedBroker, running: list[WorkerProcess]) -> None:
        self.pids = {"broker": broker.pid, **{f"worker {i + 1}": w.process.pid for i, w in enumerate(running)}}
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def spent(self) -> dict[str, float]:
        return {name: cpu_seconds(pid) - self.before[name] for name, pid in self.pids.items()}


def run_live(
    broker: EmbeddedBroker, messages: list[tuple[bytes, bytes]], n: int, workers: int, tmp: Path
) -> tuple[float, dict[str, float]]:
    """Events/s until all counted, written while the workers run; CPU seconds meanwhile."""
    settings = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(settings)
    running = [start_worker(settings, tmp, name=f"live-{workers}-{i}") for i in range(workers)]
    try:
        settle(running, settings)
        time.sleep(2)  # let a rebalance that is still in flight finish
        cpu = Cpu(broker, running)
        start = time.perf_counter()
        write(settings, messages)
        wait_for(lambda: sum(counted(w) for w in running) >= n, 1800, "all events to be counted")
        return n / (time.perf_counter() - start), cpu.spent()
    finally:
        for w in running:
            w.stop()


def accepted_and_partitions(worker: WorkerProcess) -> tuple[float, int]:
    """Events accepted and partitions held, from /health; nothing yet while its web server starts."""
    try:
        health: Any = worker.health()
    except OSError:
        return 0.0, 0
    return float(health["events"]["accepted"]), len(health["partitions"])


def run_catch_up(
    broker: EmbeddedBroker, messages: list[tuple[bytes, bytes]], n: int, workers: int, tmp: Path
) -> tuple[float, dict[str, float]]:
    """Events/s between 10 % and 90 % counted, with the topic full before the workers start."""
    settings = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(settings)
    write(settings, messages)
    running = [start_worker(settings, tmp, name=f"catch-up-{workers}-{i}") for i in range(workers)]
    try:
        cpu = Cpu(broker, running)
        samples: list[tuple[float, float]] = []
        most_partitions = 0
        while not samples or samples[-1][1] < n:
            status = [accepted_and_partitions(w) for w in running]  # a busy worker answers after its batch
            samples.append((time.perf_counter(), sum(accepted for accepted, _ in status)))
            most_partitions = max(most_partitions, *(partitions for _, partitions in status))
            time.sleep(0.05)
        if most_partitions > settings.partitions // workers:
            print(f"  (catch-up, {workers} workers: one held {most_partitions} partitions at once: rate unreliable)")
        first = next(s for s in samples if s[1] >= 0.1 * n)
        last = next(s for s in samples if s[1] >= 0.9 * n)
        return (last[1] - first[1]) / (last[0] - first[0]), cpu.spent()
    finally:
        for w in running:
            w.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=400_000)
    args = parser.parse_args()
    messages = list(encode_messages(spread(simulated(args.events))))
    results = {}
    with EmbeddedBroker(port=free_port()) as broker, tempfile.TemporaryDirectory() as tmp:
        for label, run in (("live", run_live), ("catch-up", run_catch_up)):
            for workers in (1, 2):
                results[(label, workers)] = run(broker, messages, args.events, workers, Path(tmp))
    print(f"{args.events:,} events over 4 municipalities x 48 departments, {os.cpu_count()} cores, embedded broker")
    for label in ("live", "catch-up"):
        for workers in (1, 2):
            rate, cpu = results[(label, workers)]
            spent = ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpu.items())
            print(f"  {label:<9} {workers} worker(s) {rate:>9,.0f} events/s; CPU seconds: {spent}")
        print(f"  {label:<9} scale-out   {results[(label, 2)][0] / results[(label, 1)][0]:>9.2f}x")


if __name__ == "__main__":
    main()
