"""Run real `komhen worker` processes against the test broker and read their metrics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from streams.documents.settings import Settings, settings_env
from tests.factories import free_port

Labels = frozenset[tuple[str, str]]


def fresh_settings(bootstrap_servers: str, **overrides: object) -> Settings:
    """Settings with a topic and consumer group no other test uses."""
    run = uuid.uuid4().hex[:8]
    base = Settings(bootstrap_servers=bootstrap_servers, topic=f"inquiries-{run}", group_id=f"komhen-{run}")
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
        with urllib.request.urlopen(self.base_url + "/metrics", timeout=5) as response:
            text = response.read().decode()
        out: dict[str, dict[Labels, float]] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                out.setdefault(sample.name, {})[frozenset(sample.labels.items())] = sample.value
        return out

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

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


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError as exc:  # not listening yet
            last_error = exc
        time.sleep(0.2)
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
