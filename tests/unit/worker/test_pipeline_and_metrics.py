"""The pipeline against an in-memory partition log (no broker), and the metrics it exports.

These pin down the recovery rules: state covers exactly the records below next_offset,
restored records are not reported again, redelivered records are skipped, gaps are read.
The same rules are proven against the real broker in tests/integration.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from streams.documents.reference import code_table
from streams.documents.settings import Settings
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.summaries import GlobalView, summaries_of
from streams.domain.events.messages import InputRecord
from streams.telemetry.collectors import FigureKeeper, PipelineMetrics, register_state
from streams.worker.health import health_status
from streams.worker.pipeline import Pipeline
from streams.worker.service_settings import WorkerSettings
from tests.fixtures.factories import event_json, parse_event

NOW_MS = int(datetime(2026, 11, 20, 12, tzinfo=UTC).timestamp() * 1000)


def message(i: int, channel: str = "phone", direction: str = "in", department: str = "borgerservice") -> InputRecord:
    event = event_json(f"e{i}", department=department, channel=channel, direction=direction)
    return InputRecord(0, i, NOW_MS, f"183/{department}".encode(), json.dumps(event).encode())


class MemoryLog:
    """A PartitionReader over lists of records, with a settable committed offset."""

    def __init__(self, records: list[InputRecord], committed: int | None) -> None:
        self.records = records
        self._committed = committed
        self.reads: list[tuple[int | None, int]] = []

    async def committed(self, partition: int) -> int | None:
        return self._committed

    async def read(self, partition: int, start: int | None, end: int) -> AsyncIterator[list[InputRecord]]:
        self.reads.append((start, end))
        yield [r for r in self.records if (start or 0) <= r.offset < end]


def pipeline_over(log: MemoryLog) -> tuple[Pipeline, CollectorRegistry, list[dict[str, Any]], GlobalView]:
    registry = CollectorRegistry()
    letters: list[dict[str, Any]] = []

    async def dead_letter(key: bytes | None, record: dict[str, Any]) -> None:
        letters.append(record)

    pipeline = Pipeline(WorkerSettings.of(Settings()).counting, PipelineMetrics(registry), log, dead_letter)
    view = GlobalView(Aggregation(Settings().tz, 400), code_table())
    state = FigureKeeper(
        pipeline.aggregations, clock="event", municipality_view=lambda: view.aggregation, min_interval_s=0
    )
    register_state(registry, state.current)
    return pipeline, registry, letters, view


def publish_summaries(pipeline: Pipeline, view: GlobalView) -> None:
    """What the worker's summary timer and follower do, through the encoded messages."""
    for aggregation in pipeline.aggregations():
        for key, value in summaries_of(aggregation, aggregation.take_changed()):
            view.apply(key, value)


def window(registry: CollectorRegistry, channel: str = "phone", department: str = "borgerservice") -> float | None:
    return registry.get_sample_value(
        "komhen_window_inquiries",
        {"municipality": "183", "department": department, "channel": channel, "direction": "in", "window": "7d"},
    )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_assignment_restores_below_the_committed_offset_without_reporting_it_again() -> None:
    log = MemoryLog([message(i) for i in range(10)], committed=6)

    async def scenario() -> None:
        pipeline, registry, _, _ = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0]))
        assert window(registry) == 6
        assert (
            registry.get_sample_value(
                "komhen_inquiries_total",
                {"municipality": "183", "department": "borgerservice", "channel": "phone", "direction": "in"},
            )
            is None
        )
        await pipeline.process(log.records[4:])  # Faust redelivers from before the commit
        assert window(registry) == 10
        assert (
            registry.get_sample_value(
                "komhen_inquiries_total",
                {"municipality": "183", "department": "borgerservice", "channel": "phone", "direction": "in"},
            )
            == 4
        )

    run(scenario())
    assert log.reads == [(None, 6)]


def test_a_gap_in_delivery_is_read_from_the_topic_and_reported() -> None:
    records = [message(i) for i in range(8)]
    records[5] = InputRecord(0, 5, NOW_MS, b"183/borgerservice", b"{oops")
    log = MemoryLog(records, committed=None)

    async def scenario() -> None:
        pipeline, registry, letters, _ = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records[:3])
        await pipeline.process(records[7:])  # 3..6 never came
        assert window(registry) == 7
        assert [(letter["reason"], letter["offset"]) for letter in letters] == [("malformed_json", 5)]
        assert (
            registry.get_sample_value("komhen_events_rejected_total", {"source": "invalid", "reason": "malformed_json"})
            == 1
        )

    run(scenario())
    assert log.reads == [(3, 7)]


def test_implausible_descriptive_values_are_counted_per_source_field_and_reason_and_the_inquiries_too() -> None:
    odd = [
        {"form": "J"},  # normalised
        {"form": "J", "kle": "23.5"},  # normalised, and a KLE code left out
        {"inquiry_type": "KLAGE"},  # left out
        {"completion": "immediate", "channel": "email"},  # STRAKS on e-mail: kept, no finding
    ]
    records = [
        InputRecord(0, i, NOW_MS, b"183/borgerservice", json.dumps(event_json(f"o{i}", **fields)).encode())
        for i, fields in enumerate(odd)
    ]
    log = MemoryLog(records, committed=None)

    async def scenario() -> None:
        pipeline, registry, letters, _ = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)
        assert (window(registry), window(registry, "email"), letters) == (3, 1, [])

        def findings(field: str, reason: str) -> float | None:
            labels = {"source": "telephony", "field": field, "reason": reason}
            return registry.get_sample_value("komhen_descriptive_findings_total", labels)

        assert (
            findings("form", "normalised"),
            findings("kle", "invalid_format"),
            findings("inquiry_type", "unknown_code"),
            findings("completion", "normalised"),
        ) == (2, 1, 1, None)
        assert registry.get_sample_value("komhen_events_total", {"source": "telephony", "outcome": "accepted"}) == 4

    run(scenario())


def test_each_department_is_exported_with_the_name_of_its_newest_named_inquiry_and_summaries_carry_it() -> None:
    named = [
        ("n1", "2026-11-19T10:00:00+01:00", "Børn og Unge"),
        ("n2", "2026-11-20T09:00:00+01:00", "BØRN OG UNGE"),  # newest by event time: this one
        ("n3", "2026-11-19T12:00:00+01:00", "Boern og Unge"),  # later on the topic, but older
        ("n4", "2026-11-20T10:00:00+01:00", None),  # no name: changes nothing
    ]
    records = [
        InputRecord(
            0,
            i,
            NOW_MS,
            b"183/boern-og-unge",
            json.dumps(event_json(e, department="boern-og-unge", occurred_at=at, department_name=name)).encode(),
        )
        for i, (e, at, name) in enumerate(named)
    ]
    log = MemoryLog(records, committed=None)

    async def scenario() -> None:
        pipeline, registry, _, view = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)
        info = {"municipality": "183", "department": "boern-og-unge"}
        assert registry.get_sample_value("komhen_department_info", {**info, "department_name": "BØRN OG UNGE"}) == 1
        assert registry.get_sample_value("komhen_department_info", {**info, "department_name": "Børn og Unge"}) is None
        publish_summaries(pipeline, view)
        assert view.aggregation.department_names() == {("183", "boern-og-unge"): "BØRN OG UNGE"}
        by_day = {date.fromordinal(day): bucket.name for _, day, bucket in view.aggregation.days()}
        assert by_day == {date(2026, 11, 19): "Boern og Unge", date(2026, 11, 20): "BØRN OG UNGE"}  # each its newest

    run(scenario())


def test_revoked_partitions_are_no_longer_exported() -> None:
    log = MemoryLog([message(0)], committed=None)

    async def scenario() -> None:
        pipeline, registry, _, _ = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0, 1]))
        await pipeline.process([message(0)])
        assert window(registry) == 1
        await asyncio.gather(*pipeline.assign([1]))
        assert window(registry) is None
        assert pipeline.aggregations()[0].buckets == {}

    run(scenario())


def test_health_says_joining_until_the_group_assigned_partitions_even_none() -> None:
    """Events published before the join wait in Kafka; "ok" before it would promise counting that has not begun."""
    pipeline, _, _, _ = pipeline_over(MemoryLog([], committed=None))
    assert health_status(restoring=False, reachable=True, joined=pipeline.joined) == "joining"
    pipeline.assign([])  # more workers than partitions: a real assignment of nothing
    assert health_status(restoring=False, reachable=True, joined=pipeline.joined) == "ok"
    assert health_status(restoring=False, reachable=False, joined=True) == "degraded"
    assert health_status(restoring=True, reachable=False, joined=True) == "restoring"


def test_shares_and_the_whole_municipality_in_the_exposition() -> None:
    records = [message(0), message(1), message(2, "self_service"), message(3, "digital_post", "out", "byggeri")]
    log = MemoryLog(records, committed=None)

    async def scenario() -> None:
        pipeline, registry, _, view = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)
        publish_summaries(pipeline, view)

        def share(department: str, channel: str, direction: str = "in") -> float | None:
            return registry.get_sample_value(
                "komhen_channel_share",
                {
                    "municipality": "183",
                    "department": department,
                    "channel": channel,
                    "direction": direction,
                    "window": "7d",
                },
            )

        assert share("borgerservice", "phone") == 2 / 3
        assert share("borgerservice", "self_service") == 1 / 3
        assert share("borgerservice", "personal") == 0.0
        assert share("borgerservice", "digital_post", "out") is None  # no outgoing: no share
        assert share("byggeri", "digital_post", "out") == 1.0
        assert share("_all", "phone") == 2 / 3
        assert share("_all", "digital_post", "out") == 1.0
        assert window(registry, "phone", "_all") == 2
        assert registry.get_sample_value("komhen_events_total", {"source": "telephony", "outcome": "accepted"}) == 4

    run(scenario())


def test_source_labels_are_bounded_against_hostile_input() -> None:
    metrics = PipelineMetrics(CollectorRegistry())
    labels = {metrics.source_label(f"s{i}") for i in range(150)}
    assert len(labels) == 101 and "other" in labels
    assert metrics.source_label("Not A Slug!") == "invalid"
    assert metrics.source_label(None) == "invalid"


def test_a_dropped_bucket_is_removed_from_the_global_view_by_a_tombstone() -> None:
    log = MemoryLog([message(0)], committed=None)

    async def scenario() -> None:
        pipeline, registry, _, view = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process([message(0)])
        publish_summaries(pipeline, view)
        assert window(registry, "phone", "_all") == 1
        (aggregation,) = pipeline.aggregations()
        aggregation.prune(aggregation.newest.toordinal() + 401)  # type: ignore[union-attr]
        publish_summaries(pipeline, view)
        assert view.aggregation.buckets == {("183", "borgerservice"): {}}

    run(scenario())


def test_the_global_view_decodes_the_latest_summary_of_each_bucket_and_holds_little_undecoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(GlobalView, "PENDING_MAX_BYTES", 2000)
    agg = Aggregation(Settings().tz, 400)
    view = GlobalView(Aggregation(Settings().tz, 400), code_table())
    largest_pending = 0
    for i in range(60):
        event = json.loads(message(i).value)  # type: ignore[arg-type]
        agg.add(parse_event({**event, "occurred_at": f"2026-11-{10 + i % 10}T09:15:00+01:00"}))
        for key, value in summaries_of(agg, agg.take_changed()):
            view.apply(key, value)
            largest_pending = max(largest_pending, sum(len(v or b"") for v in view._pending.values()))
    assert largest_pending <= 2000 + 400  # the budget, and the summary that went over it
    assert {day: dict(b.cells) for _, day, b in view.aggregation.days()} == {
        day: dict(b.cells) for _, day, b in agg.days()
    }
    assert sum(n for _, _, b in view.aggregation.days() for n in b.cells.values()) == 60


def service(i: int, kind: str, kle: str | None = None) -> InputRecord:
    event = {
        "schema_version": 1,
        "kind": kind,
        "event_id": f"s{i}",
        "source": "telephony",
        "occurred_at": "2026-11-20T09:20:00+01:00",
        "municipality": "183",
        "department": "borgerservice",
    }
    if kle:
        event["kle"] = kle
    return InputRecord(0, i, NOW_MS, b"183/borgerservice", json.dumps(event).encode())


def test_service_events_give_answer_and_completion_rates_next_to_the_inquiries() -> None:
    records = [
        message(0),
        message(1),
        message(2),  # three answered calls
        service(3, "call_abandoned"),  # one abandoned: answer rate 3/4
        service(3, "call_abandoned"),  # the same abandoned call resent: counted once
        message(4, "self_service"),  # one completed transaction ...
        service(5, "selfservice_started", "23.05.10"),
        service(6, "selfservice_started", "23.05.10"),  # ... of two started: completion 1/2
        service(6, "selfservice_abandoned", "23.05.10"),  # same id, another kind: its own event
        service(7, "visit_no_show"),
        service(8, "visit_no_show"),
        service(9, "visit_cancelled"),  # reception visits missed: never inquiries either
    ]
    log = MemoryLog(records, committed=None)

    async def scenario() -> None:
        pipeline, registry, _, view = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)
        publish_summaries(pipeline, view)
        for department in ("borgerservice", "_all"):
            scope = {"municipality": "183", "department": department, "window": "7d"}
            assert registry.get_sample_value("komhen_answer_rate", scope) == 3 / 4
            assert registry.get_sample_value("komhen_selfservice_completion_rate", scope) == 1 / 2
            kinds = {
                kind: registry.get_sample_value("komhen_window_service_events", {**scope, "kind": kind})
                for kind in ("call_abandoned", "selfservice_started", "selfservice_abandoned", "visit_no_show")
            }
            assert kinds == {
                "call_abandoned": 1,
                "selfservice_started": 2,
                "selfservice_abandoned": 1,
                "visit_no_show": 2,
            }
        where = {"municipality": "183", "department": "borgerservice"}
        assert registry.get_sample_value("komhen_calls_abandoned_total", where) == 1
        assert registry.get_sample_value("komhen_selfservice_attempts_total", {**where, "outcome": "started"}) == 2
        assert registry.get_sample_value("komhen_visits_missed_total", {**where, "outcome": "no_show"}) == 2
        assert registry.get_sample_value("komhen_visits_missed_total", {**where, "outcome": "cancelled"}) == 1
        assert registry.get_sample_value("komhen_events_total", {"source": "telephony", "outcome": "duplicate"}) == 1
        assert window(registry, "phone") == 3  # service events are never inquiries

    run(scenario())


def test_first_contact_resolution_per_department_and_for_the_municipality() -> None:
    def call(i: int, completion: str | None, department: str = "borgerservice") -> InputRecord:
        record = message(i, department=department)
        body = json.loads(record.value or b"{}")
        if completion:
            body["completion"] = completion
        return InputRecord(0, i, NOW_MS, record.key, json.dumps(body).encode())

    records = [
        call(0, "immediate"),
        call(1, "immediate"),
        call(2, "forwarded"),
        call(3, None),
        call(4, "forwarded", "byggeri"),
    ]
    log = MemoryLog(records, committed=None)

    async def scenario() -> None:
        pipeline, registry, _, view = pipeline_over(log)
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)
        publish_summaries(pipeline, view)

        def fcr(department: str) -> float | None:
            return registry.get_sample_value(
                "komhen_first_contact_resolution", {"municipality": "183", "department": department, "window": "7d"}
            )

        assert (fcr("borgerservice"), fcr("byggeri"), fcr("_all")) == (2 / 3, 0.0, 2 / 4)

    run(scenario())


def test_window_gauges_are_recomputed_at_most_once_per_interval() -> None:
    agg = Aggregation(Settings().tz, 400)
    registry = CollectorRegistry()
    register_state(registry, FigureKeeper(lambda: [agg], clock="event", min_interval_s=3600).current)
    labels = {"municipality": "183", "department": "borgerservice", "channel": "phone", "direction": "in"}

    def add(i: int) -> None:
        agg.add(parse_event(json.loads(message(i).value or b"{}")))

    add(0)
    assert registry.get_sample_value("komhen_window_inquiries", {**labels, "window": "7d"}) == 1
    add(1)  # within the interval: the scrape is served from the last computation
    assert registry.get_sample_value("komhen_window_inquiries", {**labels, "window": "7d"}) == 1
