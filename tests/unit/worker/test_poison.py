"""No poison message: whatever a record does to the decoder or the counting state, it becomes a
dead letter with a reason, is counted, and the partition moves on (issue 12, class 1).

Property-based over the inputs that broke it (deeply nested JSON, absurd times, arbitrary bytes),
plus simulated faults where a bug would sit (the decoder, the counting state, the dead-letter sink).
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from streams.documents.reference import code_table
from streams.documents.settings import Settings
from streams.domain.counting.aggregation import Aggregation
from streams.domain.events.inquiry import InvalidEvent, Reason
from streams.domain.events.messages import TOO_DEEP, InputRecord, decode_message
from streams.domain.events.service import parse_service_event
from streams.telemetry.collectors import PipelineMetrics
from streams.worker import pipeline as pipeline_module
from streams.worker.health import health_status
from streams.worker.pipeline import PartitionSlot, Pipeline, message_time
from streams.worker.service_settings import WorkerSettings
from tests.fixtures.factories import event_json, parse_event, parser
from tests.unit.worker.test_pipeline_and_metrics import NOW_MS, MemoryLog, message, window

RECEIVED = datetime(2026, 11, 20, 12, tzinfo=UTC)
KEY = b"183/borgerservice"


def nested(depth: int, open_: str = "[", close: str = "]") -> bytes:
    return (open_ * depth + close * depth).encode()


def decode(value: bytes | None, key: bytes | None = KEY, retention: timedelta | None = timedelta(days=400)) -> Any:
    return decode_message(value, key, parser=parser(), received_at=RECEIVED, retention=retention)


@pytest.mark.parametrize(
    "value",
    [
        nested(20_000),  # the trial's ~20 KB of nested arrays
        nested(200_000),
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"schema_version":1,"events":' + nested(30_000) + b"}",
    ],
    ids=["20 KB of arrays", "200 KB of arrays", "nested objects", "nested events of a batch"],
)
def test_json_nested_too_deeply_is_one_malformed_json_rejection(value: bytes) -> None:
    decoded = decode(value)
    assert decoded.events == [] and len(decoded.rejected) == 1
    rejection = decoded.rejected[0]
    assert rejection.reason in (Reason.MALFORMED_JSON, Reason.WRONG_TYPE)
    if rejection.reason is Reason.MALFORMED_JSON:
        assert rejection.detail == TOO_DEEP


def test_a_deep_item_in_a_batch_is_rejected_alone_and_its_neighbours_count() -> None:
    # 900 levels parse, but re-encoding the item for its dead letter runs deeper than the parser did.
    text = json.dumps(event_json("e1")) + "," + "[" * 900 + "]" * 900 + "," + json.dumps(event_json("e2"))
    value = b'{"schema_version":1,"events":[' + text.encode() + b"]}"
    decoded = decode(value)
    assert [e.event_id for e in decoded.events] == ["e1", "e2"]
    assert [(r.index, r.reason) for r in decoded.rejected] == [(1, Reason.WRONG_TYPE)]


@pytest.mark.parametrize(
    "occurred_at",
    ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "0001-01-01T00:00:00+14:00"],
)
def test_a_moment_that_falls_off_the_calendar_in_some_time_zone_is_invalid_not_a_crash(occurred_at: str) -> None:
    for retention in (None, timedelta(days=400)):  # the event clock checks no age: year 1 reached the state
        decoded = decode(json.dumps(event_json("e1", occurred_at=occurred_at)).encode(), retention=retention)
        assert [(r.reason, r.field) for r in decoded.rejected] in (
            [(Reason.INVALID_FORMAT, "occurred_at")],
            [(Reason.FUTURE_TIMESTAMP, "occurred_at")],
        )
    service = {**event_json("s1", occurred_at=occurred_at, channel=None, direction=None), "kind": "call_abandoned"}
    with pytest.raises(InvalidEvent, match="is not a real date and time"):
        parse_service_event(service, parser())


def test_parse_event_refuses_year_one_so_publishers_never_send_it() -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(event_json("e1", occurred_at="0001-01-01T00:30:00+01:00"))
    assert caught.value.reason is Reason.INVALID_FORMAT


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(
    value=st.one_of(
        st.binary(max_size=300),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.integers(1, 3000).map(nested),
        st.dictionaries(st.sampled_from(sorted(event_json("x"))), json_values, max_size=9).map(
            lambda d: json.dumps({**event_json("x"), **d}).encode()
        ),
    ),
    key=st.one_of(st.none(), st.binary(max_size=30), st.just(KEY)),
    clock=st.sampled_from([None, timedelta(days=400)]),
)
def test_decoding_never_raises_and_accounts_for_every_event(value: bytes, key: bytes | None, clock: Any) -> None:
    decoded = decode(value, key, retention=clock)
    assert len(decoded.events) + len(decoded.service) + len(decoded.rejected) >= 1
    for event in decoded.events:  # what is accepted can always be placed on a day
        event.occurred_at.astimezone(UTC)


def test_a_record_that_breaks_the_decoder_is_dead_lettered_and_the_partition_moves_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = pipeline_module.decode_message

    def broken(value: bytes | None, key: bytes | None, **kwargs: Any) -> Any:
        if value and b'"e3"' in value:
            raise RuntimeError("a bug in the decoder, quoting the input 010190-1234")
        return real(value, key, **kwargs)

    monkeypatch.setattr(pipeline_module, "decode_message", broken)
    records = [message(i) for i in range(6)]
    pipeline, registry, letters = over(records)

    async def scenario() -> None:
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)

    asyncio.run(scenario())
    assert window(registry) == 5
    assert [(x["reason"], x["offset"], x["id"]) for x in letters] == [("unprocessable", 3, "inquiries/0/3/0")]
    assert letters[0]["detail"] == (
        "the worker could not process this input (RuntimeError); it is kept here to be looked into"
    )
    assert "010190" not in json.dumps(letters)
    assert (
        registry.get_sample_value("komhen_events_rejected_total", {"source": "invalid", "reason": "unprocessable"}) == 1
    )
    assert pipeline.slots[0].next_offset == 6


def test_an_event_the_counting_state_cannot_take_is_dead_lettered_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Aggregation.add

    def add(self: Aggregation, event: Any) -> Any:
        if event.event_id == "e1":
            raise OverflowError("date value out of range")
        return real(self, event)

    monkeypatch.setattr(Aggregation, "add", add)
    batch = {"schema_version": 1, "events": [event_json(f"e{i}") for i in range(3)]}
    records = [
        InputRecord(0, 0, NOW_MS, KEY, json.dumps(batch).encode()),
        InputRecord(0, 1, NOW_MS, KEY, message(3).value),
    ]
    pipeline, registry, letters = over(records)

    async def scenario() -> None:
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)

    asyncio.run(scenario())
    assert window(registry) == 3  # e0 and e2 of the batch, e3 of the next record
    assert [(x["reason"], x["offset"], x["source"]) for x in letters] == [("unprocessable", 0, "telephony")]
    assert json.loads(letters[0]["payload"])["event_id"] == "e1"


def test_a_dead_letter_that_cannot_be_written_is_counted_and_counting_goes_on() -> None:
    records = [message(0), InputRecord(0, 1, NOW_MS, KEY, b"{oops"), message(2)]
    registry = CollectorRegistry()

    async def failing(key: bytes | None, record: dict[str, Any]) -> None:
        raise ConnectionError("broker gone")

    pipeline = Pipeline(
        WorkerSettings.of(Settings()).counting, PipelineMetrics(registry), MemoryLog(records, None), failing
    )

    async def scenario() -> None:
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)

    asyncio.run(scenario())
    assert registry.get_sample_value("komhen_dead_letters_unwritten_total") == 1
    assert (
        registry.get_sample_value("komhen_events_rejected_total", {"source": "invalid", "reason": "malformed_json"})
        == 1
    )
    assert pipeline.slots[0].next_offset == 3


@pytest.mark.parametrize("timestamp_ms", [-1, 0, 2**62, -(2**63), 2**63 - 1])
def test_any_kafka_timestamp_is_a_moment(timestamp_ms: int) -> None:
    assert message_time(timestamp_ms).tzinfo is UTC


def test_a_partition_with_records_waiting_and_none_counted_is_stalled() -> None:
    slot = PartitionSlot(Aggregation(Settings().tz, 400))
    slot.progressed_at = start = 1000.0
    assert slot.stalled_for(lag=0, now=start + 500) == 0  # nothing waiting: idle, not stalled
    assert slot.stalled_for(lag=None, now=start + 500) == 0
    assert slot.stalled_for(lag=7, now=start + 500) == 500
    slot.failures = 3  # a restore that keeps failing waits for records, whatever the lag says
    assert slot.stalled_for(lag=None, now=start + 90) == 90
    assert health_status(restoring=True, reachable=True, joined=True, stalled=True) == "stalled"


def test_a_restore_that_keeps_failing_counts_its_failures_and_succeeds_later(monkeypatch: pytest.MonkeyPatch) -> None:
    class Flaky(MemoryLog):
        calls = 0

        async def committed(self, partition: int) -> int | None:
            self.calls += 1
            if self.calls < 3:
                raise ConnectionError("no coordinator")
            return 2

    log = Flaky([message(0), message(1)], committed=2)
    pipeline, registry, _ = over(log.records, log=log)
    seen: list[int] = []

    async def scenario() -> None:
        (task,) = pipeline.assign([0])
        while not task.done():
            seen.append(pipeline.slots[0].failures)
            await asyncio.sleep(0.05)

    real_sleep = asyncio.sleep

    async def fast_sleep(seconds: float) -> None:  # the retry waits 1 s, 2 s, ...: not in a unit test
        await real_sleep(min(seconds, 0.01))

    monkeypatch.setattr(pipeline_module.asyncio, "sleep", fast_sleep)
    asyncio.run(scenario())
    assert max(seen) >= 1 and pipeline.slots[0].failures == 0
    assert window(registry) == 2


def over(records: list[InputRecord], log: MemoryLog | None = None) -> tuple[Pipeline, CollectorRegistry, list[Any]]:
    from streams.telemetry.collectors import FigureKeeper, register_state

    registry = CollectorRegistry()
    letters: list[dict[str, Any]] = []

    async def dead_letter(key: bytes | None, record: dict[str, Any]) -> None:
        letters.append(record)

    pipeline = Pipeline(
        WorkerSettings.of(Settings()).counting, PipelineMetrics(registry), log or MemoryLog(records, None), dead_letter
    )
    register_state(registry, FigureKeeper(pipeline.aggregations, clock="event", min_interval_s=0).current)
    return pipeline, registry, letters


def test_a_summary_no_worker_wrote_is_skipped_and_the_view_still_reads() -> None:
    from streams.domain.counting.summaries import GlobalView, SummaryProblem, summaries_of

    agg = Aggregation(Settings().tz, 400)
    agg.add(parse_event(event_json("e1")))
    view = GlobalView(Aggregation(Settings().tz, 400), code_table())
    for key, value in [
        (b"183/x/2026-11-20", nested(50_000)),
        (b"no-slashes", b"{}"),
        (b"\xff\xfe/a/b", b"{}"),
        (b"183/y/2026-13-45", b'{"cells": []}'),
        (b"183/z/2026-11-20", b'{"cells": [[1]], "service": []}'),
        *summaries_of(agg, agg.take_changed()),
    ]:
        view.apply(key, value)
    days = {dept: sum(sum(b.cells.values()) for b in d.values()) for dept, d in view.aggregation.buckets.items()}
    assert days[("183", "borgerservice")] == 1 and view.skipped == {SummaryProblem.UNREADABLE: 5}


def test_the_sdk_rejects_an_event_that_breaks_validation_and_keeps_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    from streams.ingress import publisher

    real = publisher.parse_item

    def broken(obj: Any, **kwargs: Any) -> Any:
        if obj.get("event_id") == "e1":
            raise KeyError("a bug")
        return real(obj, **kwargs)

    monkeypatch.setattr(publisher, "parse_item", broken)
    valid, rejected = publisher.validate_events(
        [event_json("e0"), event_json("e1"), event_json("e2")], Settings(), parser()
    )
    assert [e["event_id"] for e in valid] == ["e0", "e2"]
    assert [(i, e.reason) for i, e in rejected] == [(1, Reason.UNPROCESSABLE)]


def test_the_ingest_answers_400_for_a_body_nested_too_deeply_and_keeps_valid_ndjson_lines() -> None:
    from streams.ingress.http.payload import _NOT_JSON, BadRequest, decode_body

    with pytest.raises(BadRequest) as caught:
        decode_body(nested(20_000), "application/json")
    assert caught.value.status == 400 and TOO_DEEP in str(caught.value)
    lines = b"\n".join([json.dumps(event_json("e0")).encode(), nested(20_000), json.dumps(event_json("e1")).encode()])
    items = decode_body(lines, "application/x-ndjson")
    assert items[1] is _NOT_JSON and [i["event_id"] for i in (items[0], items[2])] == ["e0", "e1"]


def test_komhen_publish_reads_a_line_nested_too_deeply_as_one_unreadable_line() -> None:
    import io

    from streams.cli.publish import Unreadable, read_items

    content = b"\n".join([json.dumps(event_json("e0")).encode(), nested(20_000), json.dumps(event_json("e1")).encode()])
    items = list(read_items(io.BytesIO(content)))
    assert [type(i.value) is Unreadable for i in items] == [False, True, False]
    assert str(items[1].value) == "for dybt indlejret til at kunne læses som JSON (en hændelse er et fladt objekt)"
    (whole,) = list(read_items(io.BytesIO(nested(20_000))))
    assert isinstance(whole.value, Unreadable)


def test_a_lone_surrogate_from_a_json_escape_still_makes_a_dead_letter() -> None:
    from streams.domain.events.messages import encode_dead_letter

    decoded = decode(b'{"schema_version": 1, "event_id": "\\ud800x"}')
    (rejection,) = decoded.rejected
    value = encode_dead_letter(rejection.to_dead_letter(topic="inquiries", partition=0, offset=0))
    assert json.loads(value)["reason"] == "missing_field"
    value.decode("utf-8")  # valid UTF-8 for every consumer
