"""Time and identity (issue 12, class 5) against real workers; the cross-partition corrections are not here.

A producer that sets the Kafka message timestamp (2015, 2031, beyond year 9999) bypassed
`too_old` and `future_timestamp`, and with the event clock one such message moved the reference
day to 2031 and emptied the 7-day window. After a restart `/health` said `ok` before `_all` had
caught up (28,941 instead of 33,333 for a few seconds).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kafka import KafkaProducer

from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher
from tests.fixtures.factories import TZ, event_json
from tests.fixtures.workers import (
    WorkerProcess,
    committed_offsets,
    labels,
    messages_per_partition,
    start_worker,
    wait_for,
    whole_municipality,
)
from tests.integration.worker.test_reliability_idempotence import counted, many_events

NOW = datetime.now(UTC).replace(microsecond=0)
Y2015 = datetime(2015, 3, 2, 10, tzinfo=UTC)
Y2031 = datetime(2031, 3, 2, 10, tzinfo=UTC)
KEY = b"183/borgerservice"


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def send(settings: Settings, records: list[tuple[dict[str, Any], int | None]]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers)
    for event, timestamp_ms in records:
        producer.send(settings.topic, key=KEY, value=json.dumps(event).encode(), timestamp_ms=timestamp_ms)
        producer.flush(30)  # one at a time: each record's own timestamp, in this order
    producer.close()


def rejected(worker: WorkerProcess) -> dict[str, float]:
    return {dict(k)["reason"]: v for k, v in worker.metrics().get("komhen_events_rejected_total", {}).items()}


def test_a_wall_clock_worker_judges_forged_timestamps_by_the_partition_clock(
    settings: Settings, tmp_path: Path
) -> None:
    wall = replace(settings, clock="wall")
    worker = start_worker(wall, tmp_path, "wall")
    try:
        worker.wait_ready(wall.partitions)
        recent = NOW - timedelta(hours=1)
        honest: list[tuple[dict[str, Any], int | None]] = [
            (event_json(f"h{i}", occurred_at=recent), None) for i in range(20)
        ]
        forged = [
            (event_json("old", occurred_at=Y2015), ms(Y2015)),  # bypassed too_old
            (event_json("future", occurred_at=Y2031), ms(Y2031)),  # bypassed future_timestamp
            (event_json("far", occurred_at=Y2031), 2**62),
            (event_json("honest-late", occurred_at=NOW - timedelta(minutes=5)), ms(Y2031)),  # a wrong clock only
        ]
        send(wall, [*honest, *forged])
        wait_for(lambda: sum(rejected(worker).values()) == 3, 60, "the forged records judged")
        assert rejected(worker) == {"too_old": 1.0, "future_timestamp": 2.0}
        assert counted(worker) == 21
        metrics = worker.metrics()
        (last,) = metrics["komhen_last_event_timestamp_seconds"].values()
        assert last <= time.time()  # a 2031 stamp does not make the source look alive until 2031
    finally:
        worker.close()


def test_an_event_clock_worker_keeps_its_reference_day_against_forged_times_and_a_lone_outlier(
    settings: Settings, worker: WorkerProcess
) -> None:
    week = [datetime(2013, 11, 4 + d, 9, i, tzinfo=TZ) for d in range(5) for i in range(40)]  # a replayed week
    with Publisher(settings) as publisher:
        publisher.publish([event_json(f"w{i}", occurred_at=moment) for i, moment in enumerate(week)])
    send(
        settings,
        [
            (event_json("y2031", occurred_at=Y2031), ms(Y2031)),  # moved the reference day to 2031
            (event_json("typo", occurred_at=datetime(2023, 11, 8, 9, tzinfo=TZ)), None),  # accepted, alone
        ],
    )
    wait_for(lambda: counted(worker) == len(week) + 1, 60, "the week and the lone event")
    assert rejected(worker) == {"future_timestamp": 1.0}
    end_of_week = datetime(2013, 11, 8, 23, 59, 59, 999999, tzinfo=TZ).timestamp()

    def reference() -> float:  # the gauges are recomputed at most once a second: wait for the one after the lone event
        return worker.metrics()["komhen_reference_timestamp_seconds"][frozenset()]

    wait_for(lambda: reference() == end_of_week, 10, "the windows to end with the replayed week")
    metrics = worker.metrics()
    assert metrics["komhen_reference_timestamp_seconds"][frozenset()] == end_of_week
    seven_days = metrics["komhen_window_inquiries"][
        labels(municipality="183", department="borgerservice", channel="phone", direction="in", window="7d")
    ]
    assert seven_days == len(week)  # not emptied


def test_after_a_restart_health_says_ok_only_when_the_whole_municipality_is_whole(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    events = many_events(33_333, "whole", seed=12)
    with Publisher(settings) as publisher:
        assert publisher.publish(events[:30_000]).published == 30_000

    wait_for(lambda: whole_municipality(worker) == 30_000, 120, "the first 30,000 in _all")
    with Publisher(settings) as publisher:  # the last ones: killed before their summaries are surely out
        assert publisher.publish(events[30_000:]).published == len(events) - 30_000
    wait_for(lambda: counted(worker) == len(events), 60, "every event counted")
    held = messages_per_partition(settings)
    wait_for(lambda: all(committed_offsets(settings)[p] == n for p, n in held.items()), 30, "offsets committed")
    worker.kill()

    again = start_worker(settings, tmp_path, name="restarted")
    try:
        seen: list[str] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                health = again.health()
            except OSError:
                time.sleep(0.05)
                continue
            seen.append(str(health["status"]))
            if health["status"] == "ok":
                break
            whole_municipality(again)  # scraped meanwhile, as Prometheus does: no partial sum may be kept for later
            time.sleep(0.05)
        assert seen[-1] == "ok", seen[-5:]
        assert whole_municipality(again) == len(events)  # at the first "ok", not a few seconds later
        assert health["municipality"] == "whole"
        assert "restoring" in seen  # it did say so while the view was catching up
    finally:
        again.close()


def test_dead_letters_written_again_after_a_crash_carry_the_same_identity(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    """At-least-once: after kill -9 the records not yet committed are processed again and their dead
    letters written again; each carries the id topic/partition/offset/n, the same both times."""
    from kafka import KafkaConsumer

    invalid = 6_000
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, linger_ms=5)
    for i in range(invalid):
        bad = event_json(f"bad-{i}", occurred_at=NOW, channel="fax")
        producer.send(settings.topic, key=f"183/afd-{i % 8}".encode(), value=json.dumps(bad).encode())
    producer.flush(60)
    producer.close()
    wait_for(lambda: sum(rejected(worker).values()) >= invalid // 3, 60, "a third rejected")
    worker.kill()  # mid-stream, before the group committed what it processed
    again = start_worker(settings, tmp_path, name="restarted")
    try:
        again.wait_ready(settings.partitions)
        consumer = KafkaConsumer(
            settings.dead_letter_topic,
            bootstrap_servers=settings.bootstrap_servers,
            auto_offset_reset="earliest",
            consumer_timeout_ms=8_000,
        )
        letters = [json.loads(m.value) for m in consumer]
        consumer.close()
    finally:
        again.close()
    by_id: dict[str, list[dict[str, Any]]] = {}
    for letter in letters:
        by_id.setdefault(letter["id"], []).append(letter)
    assert len(by_id) == invalid  # none missing
    assert all(len({json.dumps(x, sort_keys=True) for x in copies}) == 1 for copies in by_id.values())
    print(f"{len(letters) - invalid} duplicate dead letters after kill -9, every one with its original's id")
