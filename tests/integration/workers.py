"""Real `komhen worker` processes against the test broker, their metrics, and the fixtures that start them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings, settings_env
from tests.factories import free_port

Labels = frozenset[tuple[str, str]]
LABEL_VALUE = r'"([^"\\]*(?:\\.[^"\\]*)*)"'  # a quoted label value, escapes included
LABEL = re.compile(rf"([a-zA-Z_][a-zA-Z0-9_]*)={LABEL_VALUE},?")
LABELS = re.compile(rf"(?:[a-zA-Z_][a-zA-Z0-9_]*={LABEL_VALUE},?)*")
ESCAPED = re.compile(r"\\(.)")


def parse_samples(text: str) -> dict[str, dict[Labels, float]]:
    """Every sample of a Prometheus text exposition, by sample name and label set.

    What prometheus_client's parser gives, at an eighth of its cost: tests poll workers whose
    pages hold thousands of series, and that parser took more CPU than the worker under test.
    """
    out: dict[str, dict[Labels, float]] = {}
    for line in text.split("\n"):  # a label value may hold any other line break
        if not line or line.startswith("#"):
            continue
        brace = line.find("{")
        if brace < 0:
            name, _, value = line.partition(" ")
            labels: Labels = frozenset()
        else:
            name, end = line[:brace], line.rindex("}")
            if LABELS.fullmatch(line, brace + 1, end) is None:
                raise ValueError(f"not a sample line: {line!r}")
            labels = frozenset((k, _unescape(v)) for k, v in LABEL.findall(line, brace + 1, end))
            value = line[end + 2 :]
        out.setdefault(name, {})[labels] = float(value.split(" ")[0])  # a timestamp may follow the value
    return out


def _unescape(value: str) -> str:
    return ESCAPED.sub(lambda m: "\n" if m[1] == "n" else m[1], value) if "\\" in value else value


def fresh_settings(bootstrap_servers: str, **overrides: object) -> Settings:
    """Settings with a topic, consumer group and snapshot key no other test uses."""
    run = uuid.uuid4().hex[:8]
    base = Settings(
        bootstrap_servers=bootstrap_servers,
        topic=f"inquiries-{run}",
        group_id=f"komhen-{run}",
        snapshot_keys=f"integration test {run} {uuid.uuid4().hex}",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


@dataclass
class WorkerProcess:
    settings: Settings
    log_path: Path
    args: tuple[str, ...] = ()  # more `komhen worker` flags, e.g. ("--loglevel", "debug")
    process: subprocess.Popen[bytes] = field(init=False)

    def start(self) -> WorkerProcess:
        data_dir = str(self.log_path.parent / f"data-{self.settings.web_port}")
        env = {**os.environ, **settings_env(replace(self.settings, data_dir=data_dir))}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streams", "worker", *self.args], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    def health(self) -> dict[str, object]:
        with urllib.request.urlopen(self.base_url + "/health", timeout=2) as response:
            return dict(json.loads(response.read()))

    def wait_ready(self, partitions: int, timeout_s: float = 60) -> None:
        """Until the worker owns `partitions` partitions with their state restored."""

        def ready() -> bool:
            health = self.health()
            return health["status"] == "ok" and len(health["partitions"]) == partitions  # type: ignore[arg-type]

        wait_for(ready, timeout_s, f"worker on port {self.settings.web_port} to own {partitions} partitions")

    def metrics(self) -> dict[str, dict[Labels, float]]:
        with urllib.request.urlopen(self.base_url + "/metrics", timeout=30) as response:
            return parse_samples(response.read().decode())

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def close(self) -> None:
        """End a worker whose test is over: killed, as a clean stop (a last snapshot, leaving the group, seconds
        under load) is asserted by the tests that need one, never by a teardown."""
        if self.process.poll() is None:
            self.kill()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def start_worker(settings: Settings, tmp_path: Path, name: str = "worker", *args: str) -> WorkerProcess:
    settings = replace(settings, web_port=free_port())
    return WorkerProcess(settings, tmp_path / f"{name}.log", args).start()


# Each wait's timeout is what the condition needs on a machine of its own, times this: tests run in
# parallel (pytest-xdist) and beside other work. Waiting longer for the same condition only makes a
# failing test fail later.
PATIENCE = 2.0


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Until `condition()` holds; checked every 0.2 s, or twice as long as a check takes, so that reading a
    large /metrics page (the check) never takes more than a third of the time from the worker it waits on."""
    timeout_s *= PATIENCE
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            if condition():
                return
        except OSError as exc:  # not listening yet
            last_error = exc
        time.sleep(max(0.2, 2 * (time.monotonic() - began)))
    raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what} (last error: {last_error})")


def labels(**kv: str) -> Labels:
    return frozenset(kv.items())


def messages_per_partition(settings: Settings) -> dict[int, int]:
    """How many messages each input partition holds (read, not asked: some brokers misreport it)."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        settings.topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
    )
    counts: dict[int, int] = {}
    try:
        for message in consumer:
            counts[message.partition] = max(counts.get(message.partition, 0), message.offset + 1)
    finally:
        consumer.close()
    return counts


def committed_offsets(settings: Settings) -> dict[int, int]:
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=settings.group_id)
    try:
        return {p: consumer.committed(TopicPartition(settings.topic, p)) or 0 for p in range(settings.partitions)}
    finally:
        consumer.close()


@pytest.fixture
def settings(broker: EmbeddedBroker) -> Settings:
    """Fresh topics and group on the session broker; windows end at the newest event."""
    s = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(s)
    return s


@pytest.fixture
def worker(settings: Settings, tmp_path: Path) -> Iterator[WorkerProcess]:
    running = start_worker(settings, tmp_path)
    try:
        running.wait_ready(settings.partitions)
        yield running
    except Exception:
        print(running.log_tail())
        raise
    finally:
        running.close()


@pytest.fixture
def two_workers(settings: Settings, tmp_path: Path) -> Iterator[tuple[WorkerProcess, WorkerProcess]]:
    """Two workers in one group, settled on two of the four partitions each."""
    first = start_worker(settings, tmp_path, name="first")
    second = start_worker(settings, tmp_path, name="second")
    try:
        wait_for(
            lambda: (
                sorted(len(w.health()["partitions"]) for w in (first, second)) == [2, 2]  # type: ignore[arg-type]
                and all(w.health()["status"] == "ok" for w in (first, second))
            ),
            90,
            "the workers to split the four partitions",
        )
        yield first, second
    except Exception:
        print(first.log_tail(), second.log_tail())
        raise
    finally:
        first.close()
        second.close()
