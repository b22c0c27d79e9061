"""Known events in, exact window counts and shares out: broker, worker process and /metrics.

Expected values are computed here independently of streams.domain.counting (windows, aggregation),
with plain date arithmetic over the published events.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kafka import KafkaConsumer, KafkaProducer

from streams.documents.reference import code_table
from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher
from tests.fixtures.factories import event_json
from tests.fixtures.workers import (
    WorkerProcess,
    committed_offsets,
    labels,
    messages_per_partition,
    start_worker,
    wait_for,
)

CPH = ZoneInfo("Europe/Copenhagen")
REF = datetime(2026, 1, 20, 14, 0, tzinfo=CPH)  # newest event: windows end on 20 January 2026
DEPARTMENTS = [("183", "borgerservice"), ("183", "byggeri"), ("183", "boern-unge"), ("165", "borgerservice")]
WINDOW_DAYS = {"7d": 7, "28d": 28, "365d": 365}


def known_events(n: int = 1500) -> list[dict[str, Any]]:
    """Events over 40 days up to REF, both directions, local times near midnight too."""
    rnd = random.Random(42)
    pairs = code_table().channel_directions()
    events = []
    for i in range(n):
        municipality, department = rnd.choice(DEPARTMENTS)
        channel, direction = rnd.choice(pairs)
        moment = REF - timedelta(days=rnd.randrange(0, 40), minutes=rnd.choice([0, 30, 14 * 60 + 15, 13 * 60 + 50]))
        events.append(
            event_json(
                f"e2e-{i}",
                source=rnd.choice(["telephony", "selfservice"]),
                occurred_at=moment.astimezone(ZoneInfo("UTC") if i % 3 == 0 else CPH),
                municipality=municipality,
                department=department,
                channel=channel,
                direction=direction,
            )
        )
    events.append({**events[0], "event_id": "e2e-newest", "occurred_at": REF.isoformat()})
    return events


def expected_windows(events: list[dict[str, Any]]) -> dict[tuple[str, str, str, str, str], int]:
    """(municipality, department, channel, direction, window) -> count, '_all' included."""
    ref_day = REF.date()
    out: Counter[tuple[str, str, str, str, str]] = Counter()
    seen = set()
    for e in events:  # the first version of an inquiry counts, in its department and on its day
        if (e["municipality"], e["source"], e["event_id"]) in seen:
            continue
        seen.add((e["municipality"], e["source"], e["event_id"]))
        day: date = datetime.fromisoformat(e["occurred_at"]).astimezone(CPH).date()
        age = (ref_day - day).days
        windows = [w for w, n in WINDOW_DAYS.items() if 0 <= age < n]
        if day.year == ref_day.year and age >= 0:
            windows.append("ytd")
        for window in windows:
            for department in (e["department"], "_all"):
                out[(e["municipality"], department, e["channel"], e["direction"], window)] += 1
    return out


def test_worker_exports_exact_window_counts_and_shares(settings: Settings, worker: WorkerProcess) -> None:
    events = known_events()
    resent = events[:200]  # a source resending: counted once
    with Publisher(settings) as publisher:
        result = publisher.publish(events)
        assert result.published == len(events) and not result.rejected
        assert publisher.publish(resent).published == len(resent)

    expected = expected_windows(events)
    whole_year = sum(v for k, v in expected.items() if k[1] == "_all" and k[4] == "365d")
    wait_for(
        lambda: (
            sum(worker.metrics().get("komhen_inquiries_total", {}).values()) == len(events)
            and municipality_total(worker, "365d") == whole_year
        ),
        60,
        "all events to be counted, in the departments and the whole municipality",
    )
    metrics = worker.metrics()
    assert (
        sum(metrics["komhen_events_total"][labels(source=s, outcome="duplicate")] for s in ("telephony", "selfservice"))
        == 200
    )

    window_series = metrics["komhen_window_inquiries"]
    for (municipality, department, channel, direction, window), count in expected.items():
        key = labels(
            municipality=municipality, department=department, channel=channel, direction=direction, window=window
        )
        assert window_series[key] == count, key
    # Every exported series is accounted for: the others are exactly zero.
    nonzero = {k for k, v in window_series.items() if v}
    assert len(nonzero) == len(expected)

    shares = metrics["komhen_channel_share"]
    totals: Counter[tuple[str, str, str, str]] = Counter()
    for (municipality, department, _, direction, window), count in expected.items():
        totals[(municipality, department, direction, window)] += count
    checked = 0
    for (municipality, department, channel, direction, window), count in expected.items():
        key = labels(
            municipality=municipality, department=department, channel=channel, direction=direction, window=window
        )
        assert shares[key] == count / totals[(municipality, department, direction, window)], key
        checked += 1
    assert checked == len(expected)
    lag = metrics["komhen_consumer_lag"]
    assert set(lag.values()) == {0.0} and {dict(k)["topic"] for k in lag} == {settings.topic}
    # The 7-day window really ends on 20 January and the year-to-date window starts on 1 January.
    assert metrics["komhen_reference_timestamp_seconds"][frozenset()] == REF.timestamp()
    ytd_all = sum(v for k, v in expected.items() if k[1] == "_all" and k[4] == "ytd")
    d365_all = sum(v for k, v in expected.items() if k[1] == "_all" and k[4] == "365d")
    assert 0 < ytd_all < d365_all


def test_invalid_event_goes_to_dead_letter_topic_with_reason(settings: Settings, worker: WorkerProcess) -> None:
    bad = {
        "schema_version": 1,
        "event_id": "bad-1",
        "source": "reception",
        "occurred_at": "2026-01-20T10:00:00+01:00",
        "municipality": "183",
        "department": "borgerservice",
        "channel": "personal",
        "direction": "out",
    }
    good = {**bad, "event_id": "good-1", "direction": "in"}
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers)
    key = b"183/borgerservice"
    producer.send(settings.topic, key=key, value=json.dumps(bad).encode())
    producer.send(settings.topic, key=key, value=b"{not json")
    producer.send(settings.topic, key=key, value=json.dumps(good).encode())
    producer.flush()
    producer.close()

    def settled() -> bool:  # the rejections and the good event may be exported in different scrapes
        metrics = worker.metrics()
        rejected = sum(metrics.get("komhen_events_rejected_total", {}).values())
        return rejected == 2 and sum(metrics.get("komhen_inquiries_total", {}).values()) == 1

    wait_for(settled, 60, "2 rejections and 1 inquiry")
    metrics = worker.metrics()
    assert metrics["komhen_events_rejected_total"] == {
        labels(source="reception", reason="direction_not_allowed"): 1.0,
        labels(source="invalid", reason="malformed_json"): 1.0,
    }
    assert sum(metrics["komhen_inquiries_total"].values()) == 1

    consumer = KafkaConsumer(
        settings.dead_letter_topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=10_000,
    )
    letters = []
    for message in consumer:
        letters.append(json.loads(message.value))
        if len(letters) == 2:
            break
    consumer.close()
    by_reason = {letter["reason"]: letter for letter in letters}
    assert set(by_reason) == {"direction_not_allowed", "malformed_json"}
    wrong_direction = by_reason["direction_not_allowed"]
    assert wrong_direction["detail"] == "channel personal allows direction in, got out"
    assert wrong_direction["field"] == "direction"
    assert json.loads(wrong_direction["payload"]) == bad
    assert wrong_direction["topic"] == settings.topic
    assert by_reason["malformed_json"]["payload"] == "{not json"


def test_restarted_worker_restores_exact_counts_from_the_topic(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    events = known_events(600)
    with Publisher(settings) as publisher:
        publisher.publish(events)
    wait_for(lambda: sum(worker.metrics().get("komhen_inquiries_total", {}).values()) == len(events), 60, "counting")
    expected = expected_windows(events)
    wait_for(
        lambda: (
            municipality_total(worker, "365d")
            == sum(v for k, v in expected.items() if k[1] == "_all" and k[4] == "365d")
        ),
        30,
        "the whole municipality",
    )
    before = worker.metrics()["komhen_window_inquiries"]
    held = messages_per_partition(settings)
    wait_for(lambda: all(committed_offsets(settings)[p] == n for p, n in held.items()), 30, "offsets committed")
    worker.kill()  # kill -9

    again = start_worker(settings, tmp_path, name="restarted")
    try:
        again.wait_ready(settings.partitions)
        wait_for(lambda: again.metrics().get("komhen_window_inquiries") == before, 30, "the same counts after restart")
        after = again.metrics()
        # Rebuilt from the topic, not delivered again as new traffic.
        assert after["komhen_restored_records"][frozenset()] == sum(held.values())
        assert sum(after.get("komhen_inquiries_total", {}).values()) == 0
        with Publisher(settings) as publisher:  # the whole set resent after the restart
            publisher.publish(events)
        wait_for(lambda: _duplicates(again) == len(events), 60, "resent events to be recognised")
        assert again.metrics()["komhen_window_inquiries"] == before
    finally:
        again.close()


def municipality_total(worker: WorkerProcess, window: str) -> float:
    series = worker.metrics().get("komhen_window_inquiries", {})
    return sum(v for k, v in series.items() if ("department", "_all") in k and ("window", window) in k)


def _duplicates(worker: WorkerProcess) -> float:
    return sum(v for k, v in worker.metrics().get("komhen_events_total", {}).items() if ("outcome", "duplicate") in k)
