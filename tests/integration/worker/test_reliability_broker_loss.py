"""Promise: the worker survives a broker that lost its data.

A broker of this module's own and a real `komhen worker`. The embedded broker keeps nothing across a
restart (Tansu is in-memory): stopped and started on the same port, it is a broker that lost every
topic, offset and consumer group. The test never creates a topic itself after the restart: the worker
must notice and create them again (streams/worker/topic_keeper.py).

What is right for the counts: the input is gone with the broker, so a producer resends the same
events. The worker's state is a function of the input log (docs/exact-counts.md): the partitions are
counted again from the new log, and the identities it had counted are kept aside, so the resent events
are not new inquiries (`komhen_inquiries_total` stays at N). The windows of every department, and
`_all` (read from the summaries topic, which was lost too and is published again), end exactly where
they were: the same N events. The loss is run once (module fixture) and observed; each test asserts
one promise.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient

from streams.broker.topics import ensure_topics, input_partition_of, topic_specs
from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings, settings_env
from tests.fixtures.factories import free_port
from tests.fixtures.workers import WorkerProcess, fresh_settings, start_worker, wait_for
from tests.integration.worker.test_reliability_idempotence import (
    counted,
    expected_series,
    many_events,
    outcomes,
    publish,
    window_series,
)
from tests.unit.ingress.test_komhen_file import generated_file

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group(__name__)]

EVENTS = 2_000
PUBLISH_TIMEOUT_S = 30.0  # the publisher's default bound (streams/ingress/publisher.py)
STOP_BOUND_S = 30.0
OUTAGE_S = 8.0  # longer than the worker's look at the topics (every 3 s with this session timeout)
RECOUNTED = "tæller partitionen igen ud fra det, emnet har nu"


class HealthWatch(threading.Thread):
    """/health every 0.3 s, from before the broker stops until the counts agree again."""

    def __init__(self, worker: WorkerProcess) -> None:
        super().__init__(daemon=True)
        self.worker = worker
        self.bodies: list[dict[str, Any]] = []
        self.seen: list[str] = []  # each body's status, or "no answer"
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.3):
            try:
                body = self.worker.health()
            except OSError:
                self.seen.append("no answer")
                continue
            self.bodies.append(body)
            self.seen.append(str(body["status"]))

    def stop(self) -> None:
        self.done.set()
        self.join()


@dataclass
class Loss:
    """What was observed before, during and after the broker lost its data."""

    settings: Settings
    worker: WorkerProcess
    events: list[dict[str, Any]]
    partitions_used: set[int] = field(default_factory=set)
    windows_before: dict[Any, float] = field(default_factory=dict)
    topics_after: dict[str, int] = field(default_factory=dict)  # name -> partitions, as the worker created them
    topics_back_s: float | None = None
    health_after: list[dict[str, Any]] = field(default_factory=list)
    windows_after: dict[Any, float] = field(default_factory=dict)
    counted_after: int = 0
    outcomes_after: Counter[str] = field(default_factory=Counter)
    dead_letters: list[bytes] = field(default_factory=list)
    dead_letters_unwritten: float = -1.0
    import_result: subprocess.CompletedProcess[str] | None = None
    import_after_kill_s: float = 0.0
    stop_s: float | None = None
    log: str = ""


def _topics(settings: Settings) -> dict[str, int]:
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=5000)
    try:
        names = [s.name for s in topic_specs(settings) if s.name in set(admin.list_topics())]
        return {str(d.get("name", d.get("topic"))): len(d["partitions"]) for d in admin.describe_topics(names)}
    finally:
        admin.close()


def _dead_letters(settings: Settings) -> list[bytes]:
    consumer = KafkaConsumer(
        settings.dead_letter_topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
    )
    try:
        return [m.value for m in consumer]
    finally:
        consumer.close()


def _import(settings: Settings, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "streams", "import", str(path)],
        env={**settings_env(settings), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def loss(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loss]:
    tmp: Path = tmp_path_factory.mktemp("broker-loss")
    own = EmbeddedBroker(port=free_port(), log_path=tmp / "broker.log").start()
    settings = fresh_settings(own.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(settings)
    worker = start_worker(settings, tmp, name="worker")
    seen = Loss(settings, worker, many_events(EVENTS, "loss"))
    seen.partitions_used = {input_partition_of(e["municipality"], settings.partitions) for e in seen.events}
    expected = expected_series(seen.events)
    try:
        worker.wait_ready(settings.partitions)
        publish(settings, seen.events)
        wait_for(lambda: window_series(worker) == expected, 60, "the events before the loss, `_all` included")
        seen.windows_before = window_series(worker)

        watching = HealthWatch(worker)
        watching.start()
        own.stop()
        time.sleep(OUTAGE_S)
        own.start()  # empty: no topics, no offsets, no consumer group
        up_at = time.monotonic()
        wait_for(lambda: len(_topics(settings)) == len(topic_specs(settings)), 60, "the worker to create the topics")
        seen.topics_back_s = time.monotonic() - up_at
        seen.topics_after = _topics(settings)
        wait_for(
            lambda: worker.log_path.read_text(errors="replace").count(RECOUNTED) == settings.partitions,
            60,
            "every partition to be counted again from the new (empty) input topic",
        )
        publish(settings, seen.events)  # the input is gone: the producer resends the same events

        def whole_again() -> bool:
            return watching.seen[-1:] == ["ok"] and window_series(worker) == expected

        wait_for(whole_again, 90, "the departments and `_all` to agree again and /health to say ok")
        time.sleep(3)  # anything counted twice would show by now
        watching.stop()
        seen.health_after = watching.bodies
        seen.windows_after = window_series(worker)
        seen.counted_after = counted(worker)
        seen.outcomes_after = outcomes(worker)

        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers)
        producer.send(settings.topic, key=b"183", value=b"this is no JSON").get(timeout=10)
        producer.close()
        wait_for(lambda: outcomes(worker)["rejected"] == 1, 60, "the record that is no JSON to be rejected")
        wait_for(lambda: len(_dead_letters(settings)) == 1, 30, "its dead letter on the recreated topic")
        seen.dead_letters = _dead_letters(settings)
        seen.dead_letters_unwritten = sum(worker.metrics().get("komhen_dead_letters_unwritten_total", {}).values())

        export_file = tmp / "uge43.csv"
        export_file.write_bytes(generated_file(seed=5, rows=100_000, encoding="utf-8", newline="\n"))
        importing = _import(settings, export_file)
        wait_for(
            lambda: outcomes(worker)["accepted"] > 0 or importing.poll() is not None,
            60,
            "the import to be counting",
        )
        own.stop()  # the broker dies under the import, and stays away
        killed_at = time.monotonic()
        stdout, stderr = importing.communicate(timeout=PUBLISH_TIMEOUT_S + 60)
        seen.import_after_kill_s = time.monotonic() - killed_at
        seen.import_result = subprocess.CompletedProcess(importing.args, importing.returncode, stdout, stderr)

        worker.process.send_signal(signal.SIGTERM)
        stopping_at = time.monotonic()
        try:
            worker.process.wait(timeout=STOP_BOUND_S + 30)
            seen.stop_s = time.monotonic() - stopping_at
        except subprocess.TimeoutExpired:
            pass  # asserted by the test
        seen.log = worker.log_path.read_text(errors="replace")
        yield seen
    except Exception:
        print(worker.log_tail(80))
        raise
    finally:
        worker.close()
        own.stop()


def test_the_worker_creates_the_lost_topics_with_their_layout(loss: Loss) -> None:
    assert loss.partitions_used == {0, 1, 2, 3}
    assert loss.topics_after == {s.name: s.partitions for s in topic_specs(loss.settings)}
    assert loss.log.count("var væk (brokeren mistede sine data, eller de blev slettet)") >= 1
    print(f"\ntopics back {loss.topics_back_s:.1f} s after the broker restarted")


def test_departments_and_all_agree_exactly_after_the_resend(loss: Loss) -> None:
    assert loss.windows_after == loss.windows_before == expected_series(loss.events)
    assert loss.counted_after == EVENTS  # the resent events are the same inquiries, not new ones
    assert loss.outcomes_after == Counter({"accepted": EVENTS, "duplicate": EVENTS})


def test_health_says_degraded_with_the_reason_until_the_summaries_are_whole(loss: Loss) -> None:
    """Degraded from the broker's stop (unreachable, then its topics not looked at, then lost) without a
    single `ok` between, until the topics are back and every summary is published and read again."""
    statuses = [h["status"] for h in loss.health_after]
    first = statuses.index("degraded")
    last = max(i for i, h in enumerate(loss.health_after) if h["topics"] != "ok")
    assert set(statuses[:first]) == {"ok"}, statuses
    assert set(statuses[first : last + 1]) == {"degraded"}, statuses
    assert set(statuses[last + 1 :]) == {"ok"}, statuses
    assert any("forsvandt med brokerens data" in h["topics"] for h in loss.health_after)
    print(f"\n/health from before the broker stopped: {statuses}")


def test_a_dead_letter_after_the_restart_lands_on_the_recreated_topic(loss: Loss) -> None:
    assert len(loss.dead_letters) == 1
    assert b'"reason":"malformed_json"' in loss.dead_letters[0].replace(b" ", b"")
    assert loss.dead_letters_unwritten == 0


def test_import_ends_within_the_publish_bound_with_one_line(loss: Loss) -> None:
    result = loss.import_result
    assert result is not None
    assert loss.import_after_kill_s < PUBLISH_TIMEOUT_S + 10, loss.import_after_kill_s
    assert result.returncode == 3, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line and ".csv:" not in line]
    assert len(lines) == 1, lines
    print(f"\nimport ended {loss.import_after_kill_s:.1f} s after the broker died: {lines[0]}")


def test_the_worker_stops_on_sigterm_within_the_bound_with_the_broker_gone(loss: Loss) -> None:
    assert loss.stop_s is not None and loss.stop_s < STOP_BOUND_S, loss.stop_s
    assert loss.worker.process.returncode is not None
    print(f"\nworker stopped {loss.stop_s:.1f} s after SIGTERM, the broker gone")
