"""Promises 4 and 5, bad input never stops the pipeline and carries no personal data out.

Raw bytes go onto the input topic with kafka-python, bypassing the SDK's validation: malformed
JSON, an empty value, wrong types, unknown codes, a wrong direction for a channel, an over-long
string, a message over 1 MB, an event more than 5 minutes after its message time, one older than
the retention (the worker runs with the wall clock, which rejects those), a CPR-like number, a key
that does not match, and a batch mixing a good and a bad event. Each is rejected with its own
reason in `komhen_events_rejected_total{source,reason}` and in the dead-letter topic (read back;
the CPR copy redacted), the worker log never shows a rejected payload, and valid events sent after
them are counted exactly.
"""

from __future__ import annotations

import json
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher
from tests.fixtures.factories import event_json
from tests.fixtures.workers import Labels, WorkerProcess, fresh_settings, labels, wait_for
from tests.integration.worker.test_reliability_idempotence import assert_accounting, counted

MARK = "ZEBRA7731"  # a distinctive string in rejected payloads: it must never reach the worker log
CPR = "010190-1234"
NOW = datetime.now(UTC).replace(microsecond=0)
KEY = b"183/borgerservice"
ONE_MB = 1_000_000


@pytest.fixture
def settings(broker: EmbeddedBroker) -> Settings:
    """The wall clock: events older than the retention are `too_old`."""
    s = fresh_settings(broker.bootstrap_servers, clock="wall", session_timeout_s=6.0)
    ensure_topics(s)
    return s


def good(event_id: str, department: str = "borgerservice", **changes: Any) -> dict[str, Any]:
    return event_json(event_id, **{"occurred_at": NOW - timedelta(hours=1), "department": department, **changes})


def raw(obj: Any) -> bytes:
    return json.dumps(obj).encode()


# (key, value, message timestamp or None for now, expected rejections as (source label, reason)).
BAD: list[tuple[bytes, bytes | None, int | None, list[tuple[str, str]]]] = [
    (
        KEY,
        b'{"schema_version": 1, "event_id": "' + MARK.encode() + b'-malformed", ',
        None,
        [("invalid", "malformed_json")],
    ),
    (KEY, None, None, [("invalid", "malformed_json")]),
    (KEY, raw(good(123)), None, [("telephony", "wrong_type")]),  # type: ignore[arg-type]
    (KEY, raw(good("wt-2", direction=7)), None, [("telephony", "wrong_type")]),
    # Only descriptive values are odd: counted, each finding counted, nothing dead-lettered.
    (KEY, raw(good("desc-1", form="JA", kle=f"{MARK}-1", completion="immediate", channel="web")), None, []),
    (KEY, raw(good("uc-1", channel=f"fax-{MARK}")), None, [("telephony", "unknown_code")]),
    (KEY, raw(good("dir-1", channel="personal", direction="out")), None, [("telephony", "direction_not_allowed")]),
    (KEY, raw(good(MARK + "x" * 200)), None, [("telephony", "too_long")]),
    (KEY, raw(good("big-1", note=MARK * (ONE_MB // len(MARK) + 10))), None, [("invalid", "too_large")]),
    (
        KEY,
        raw(good("fut-1", occurred_at=(NOW + timedelta(days=1)).isoformat())),
        None,  # a day after its message reached Kafka (a forged message time would not count: see test_time)
        [("telephony", "future_timestamp")],
    ),
    (KEY, raw(good("old-1", occurred_at=(NOW - timedelta(days=401)).isoformat())), None, [("telephony", "too_old")]),
    (KEY, raw(good(f"call-{CPR}")), None, [("telephony", "personal_data")]),
    (b"183/byggeri", raw(good("km-1")), None, [("telephony", "key_mismatch")]),
    (
        KEY,
        raw({"schema_version": 1, "events": [good("batch-ok"), good("batch-bad", channel="fax")]}),
        None,
        [("telephony", "unknown_code")],
    ),
]
BAD_EVENTS = len(BAD) + 1  # the batch holds two events, one of them valid
VALID_AFTER = 600


def read_dead_letters(settings: Settings, n: int) -> list[bytes]:
    consumer = KafkaConsumer(
        settings.dead_letter_topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=10_000,
    )
    letters: list[bytes] = []
    try:
        for message in consumer:
            letters.append(message.value)
            if len(letters) == n:
                break
    finally:
        consumer.close()
    return letters


def test_every_kind_of_bad_input_is_rejected_with_its_reason_and_counting_goes_on(
    settings: Settings, worker: WorkerProcess
) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, max_request_size=2 * ONE_MB)
    try:
        sizes = []
        for key, value, timestamp_ms, _ in BAD:
            metadata = producer.send(settings.topic, key=key, value=value, timestamp_ms=timestamp_ms).get(timeout=30)
            sizes.append(len(value or b""))
            assert metadata.offset >= 0  # the broker acknowledged it (the > 1 MB one too)
        assert max(sizes) > ONE_MB
    finally:
        producer.close()
    valid = [
        good(f"after-{i}", department=("borgerservice", "byggeri", "jobcenter")[i % 3]) for i in range(VALID_AFTER)
    ]
    with Publisher(settings) as publisher:
        assert publisher.publish(valid).published == VALID_AFTER

    expected_rejections = Counter(r for *_, rejections in BAD for r in rejections)
    rejected = sum(expected_rejections.values())
    wait_for(lambda: counted(worker) == VALID_AFTER + 2, 60, "the valid events sent after the bad ones")
    metrics = worker.metrics()
    assert metrics["komhen_events_rejected_total"] == {
        labels(source=source, reason=reason): float(n) for (source, reason), n in expected_rejections.items()
    }
    by_department: dict[Labels, float] = {
        labels(municipality="183", department=d, channel="phone", direction="in"): float(n)
        for d, n in Counter(e["department"] for e in [*valid, good("batch-ok")]).items()
    }
    by_department[labels(municipality="183", department="borgerservice", channel="web", direction="in")] = 1.0
    assert metrics["komhen_inquiries_total"] == by_department
    assert metrics["komhen_descriptive_findings_total"] == {
        labels(source="telephony", field="form", reason="normalised"): 1.0,
        labels(source="telephony", field="kle", reason="invalid_format"): 1.0,
    }
    # Accounting: every event received is counted or rejected (no duplicates here).
    assert_accounting(
        worker, received=BAD_EVENTS + VALID_AFTER, accepted=VALID_AFTER + 2, duplicates=0, rejected=rejected
    )

    letters = read_dead_letters(settings, rejected)
    records = [json.loads(letter) for letter in letters]
    assert Counter(r["reason"] for r in records) == Counter(reason for _, reason in expected_rejections.elements())
    assert {r["topic"] for r in records} == {settings.topic}
    by_reason = {r["reason"]: r for r in records}
    personal = by_reason["personal_data"]
    assert personal["field"] == "event_id"
    assert json.loads(personal["payload"])["event_id"] == "call-[CPR fjernet]"
    for letter in letters:  # the clear digits never appear in the dead-letter bytes, in any form
        assert CPR.encode() not in letter and CPR.replace("-", "").encode() not in letter
    assert by_reason["too_large"]["payload_truncated"] is True
    assert len(by_reason["too_large"]["payload"]) <= 64_000
    assert by_reason["future_timestamp"]["field"] == "occurred_at"
    assert by_reason["too_old"]["detail"].endswith("is older than the retention of 400 days")
    assert by_reason["direction_not_allowed"]["detail"] == "channel personal allows direction in, got out"
    assert by_reason["key_mismatch"]["detail"] == (
        "message key '183/byggeri' is neither the event's municipality '183' nor '183/borgerservice'"
    )

    log = worker.log_path.read_text(errors="replace")
    assert MARK not in log
    assert CPR not in log and CPR.replace("-", "") not in log
    # Nor do the metrics and health endpoints carry event content: no payload text, no CPR, no event id.
    for path in ("/metrics", "/health"):
        with urllib.request.urlopen(worker.base_url + path, timeout=5) as response:
            body = response.read().decode()
        assert MARK not in body and CPR.replace("-", "") not in body and "after-1" not in body, path
    assert worker.process.poll() is None
