"""No poison message (issue 12, class 1): records that broke the decoder or the counting state.

The hostile trial's ~20 KB of nested JSON arrays stopped a partition for good: the agent
crashed on `RecursionError`, 80 of 200 later valid events were never counted, no dead letter
was written, and after a restart the worker stayed `restoring`. Here every such record goes
onto one partition among valid events, raw with kafka-python: each must become exactly one
dead letter with its reason, every valid event must be counted, `/health` must stay `ok`, and a
worker restarted after `kill -9` must restore the partition (not retry for ever) to the same
counts.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kafka import KafkaProducer

from streams.documents.settings import Settings
from tests.fixtures.factories import event_json
from tests.fixtures.workers import WorkerProcess, committed_offsets, messages_per_partition, start_worker, wait_for
from tests.integration.worker.test_reliability_bad_input import read_dead_letters
from tests.integration.worker.test_reliability_idempotence import assert_accounting, counted

KEY = b"183/borgerservice"
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
VALID = 200


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def good(i: int, **changes: Any) -> bytes:
    return json.dumps(event_json(f"v-{i}", **{"occurred_at": NOW, **changes})).encode()


# (value, Kafka timestamp or None for now, reason): every attack becomes exactly one dead letter.
POISON: list[tuple[bytes, int | None, str]] = [
    (nested(10_000), None, "malformed_json"),  # the trial's ~20 KB of arrays
    (nested(100_000), None, "malformed_json"),
    (b'{"a":' * 30_000 + b"1" + b"}" * 30_000, None, "malformed_json"),
    (b'{"schema_version":1,"events":[' + good(9001) + b"," + nested(20_000) + b"]}", None, "malformed_json"),
    (good(9002, occurred_at="0001-01-01T00:30:00+01:00"), None, "invalid_format"),  # broke the state's calendar
    (b"\xff\xfe\x00not utf-8", None, "malformed_json"),
    (b"[" * 5 + b"{oops", 2**62, "malformed_json"),  # a timestamp beyond datetime's years
    (b"{oops", -(2**40), "malformed_json"),
]


def test_poison_records_become_dead_letters_and_the_partition_keeps_counting_across_a_restart(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, max_request_size=2_000_000)
    try:
        for i in range(VALID):
            producer.send(settings.topic, key=KEY, value=good(i))
            if i % 25 == 0 and i // 25 < len(POISON):  # poison between the valid events, not only at the end
                value, timestamp_ms, _ = POISON[i // 25]
                producer.send(settings.topic, key=KEY, value=value, timestamp_ms=timestamp_ms)
        producer.flush(30)
    finally:
        producer.close()
    rejected = len(POISON)
    accepted = VALID  # (the valid event in the batch with a nested item is lost with it: the JSON cannot be read)
    wait_for(lambda: counted(worker) == accepted, 60, "every valid event, the ones after the poison too")
    assert_accounting(worker, received=accepted + rejected, accepted=accepted, duplicates=0, rejected=rejected)
    health = worker.health()
    assert (health["status"], health["stalled"]) == ("ok", [])
    assert worker.metrics()["komhen_partition_stalled_seconds"] == {
        frozenset({("topic", settings.topic), ("partition", str(p))}): 0.0 for p in range(settings.partitions)
    }

    letters = [json.loads(letter) for letter in read_dead_letters(settings, rejected)]
    assert Counter(letter["reason"] for letter in letters) == Counter(reason for *_, reason in POISON)
    assert len({letter["id"] for letter in letters}) == rejected
    for letter in letters:
        assert letter["id"] == f"{settings.topic}/{letter['partition']}/{letter['offset']}/0"
    assert "RecursionError" not in worker.log_path.read_text(errors="replace")

    held = messages_per_partition(settings)
    wait_for(lambda: all(committed_offsets(settings)[p] == n for p, n in held.items()), 30, "offsets committed")
    worker.kill()
    again = start_worker(settings, tmp_path, name="restarted")
    try:
        again.wait_ready(settings.partitions, timeout_s=60)  # restored, not retrying the poison for ever
        assert again.metrics()["komhen_restored_records"][frozenset()] == sum(held.values())
        by_window = {
            dict(k)["window"]: v
            for k, v in again.metrics()["komhen_window_inquiries"].items()
            if {("department", "borgerservice"), ("channel", "phone"), ("direction", "in")} <= k
        }
        assert by_window["7d"] == accepted
        assert_accounting(again, received=0, accepted=0, duplicates=0, rejected=0)  # restored, not re-reported
    finally:
        again.close()
