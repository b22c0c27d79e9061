"""Time and identity (issue 12, class 5, without the cross-partition corrections).

Forged Kafka timestamps (2015, 2031) must not bypass `too_old`/`future_timestamp` nor move the
event clock; the event clock must not jump on one outlier; dead letters carry an identity that is
the same when a record is processed again; the whole municipality is exported only when whole.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry

from streams.documents.reference import code_table
from streams.documents.settings import Settings
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.summaries import GlobalView, summaries_of
from streams.domain.counting.totals import event_clock
from streams.domain.events.inquiry import Reason
from streams.domain.events.message_time import PartitionClock
from streams.domain.events.messages import InputRecord, decode_message
from streams.telemetry.collectors import FigureKeeper, PipelineMetrics, register_state
from streams.worker.pipeline import Pipeline
from streams.worker.service_settings import WorkerSettings
from tests.fixtures.factories import TZ, event_json, parse_event, parser
from tests.unit.worker.test_pipeline_and_metrics import MemoryLog

NOW = datetime.now(UTC).replace(microsecond=0)
NOW_MS = int(NOW.timestamp() * 1000)
Y2015 = datetime(2015, 3, 2, 10, tzinfo=UTC)
Y2031 = datetime(2031, 3, 2, 10, tzinfo=UTC)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def test_a_forged_timestamp_is_judged_by_the_partition_clock_and_log_append_time_is_trusted() -> None:
    clock = PartitionClock()
    honest = [NOW_MS - 60_000 + i * 1000 for i in range(10)]
    judged = [clock.judge(t, log_append=False, now_ms=NOW_MS) for t in honest]
    assert judged == honest  # honest, increasing, not in the future: as they are
    assert clock.judge(ms(Y2031), log_append=False, now_ms=NOW_MS) == NOW_MS  # never after the worker's now
    assert clock.judge(ms(Y2015), log_append=False, now_ms=NOW_MS) >= honest[4]  # never before the median
    assert clock.judge(ms(Y2015), log_append=True, now_ms=NOW_MS) == ms(Y2015)  # the broker stamped it


def test_honest_records_after_a_quiet_weekend_move_the_partition_clock_at_once() -> None:
    clock = PartitionClock()
    friday = [NOW_MS - 3 * 86_400_000 + i for i in range(15)]
    for t in friday:
        clock.judge(t, log_append=False, now_ms=NOW_MS)
    assert clock.judge(NOW_MS - 5_000, log_append=False, now_ms=NOW_MS) == NOW_MS - 5_000


@settings(max_examples=300, database=None)
@given(
    steps=st.lists(st.integers(0, 3_600_000), min_size=1, max_size=60),
    forged=st.dictionaries(
        st.integers(1, 14).map(lambda k: 4 * k),  # at most four forged in any fifteen records
        st.sampled_from([ms(Y2015), ms(Y2031), -1, 2**62]),
        max_size=14,
    ),
)
def test_a_replay_judges_every_record_as_the_live_run_did(steps: list[int], forged: dict[int, int]) -> None:
    """The restore reads the same log later: the same judgements for every record not stamped in the future."""
    times, t = [], NOW_MS - 30 * 86_400_000
    for i, step in enumerate(steps):
        t += step
        times.append(forged.get(i, t))
    live, replay = PartitionClock(), PartitionClock()
    first = [live.judge(x, log_append=False, now_ms=NOW_MS) for x in times]
    later = [replay.judge(x, log_append=False, now_ms=NOW_MS + 86_400_000) for x in times]
    assert [a for a, x in zip(first, times, strict=True) if x <= NOW_MS] == [
        b for b, x in zip(later, times, strict=True) if x <= NOW_MS
    ]
    assert max(first) <= NOW_MS


def record(offset: int, event: dict[str, Any], timestamp_ms: int) -> InputRecord:
    key = f"{event['municipality']}/{event['department']}".encode()
    return InputRecord(0, offset, timestamp_ms, key, json.dumps(event).encode())


def run_pipeline(records: list[InputRecord], clock: str) -> tuple[Pipeline, CollectorRegistry, list[dict[str, Any]]]:
    registry = CollectorRegistry()
    letters: list[dict[str, Any]] = []

    async def dead_letter(key: bytes | None, letter: dict[str, Any]) -> None:
        letters.append(letter)

    pipeline = Pipeline(
        WorkerSettings.of(Settings(clock=clock)).counting,
        PipelineMetrics(registry),
        MemoryLog(records, None),
        dead_letter,
    )
    register_state(registry, FigureKeeper(pipeline.aggregations, clock=clock, min_interval_s=0).current)

    async def scenario() -> None:
        await asyncio.gather(*pipeline.assign([0]))
        await pipeline.process(records)

    asyncio.run(scenario())
    return pipeline, registry, letters


@pytest.mark.parametrize("clock", ["wall", "event"])
def test_forged_2015_and_2031_timestamps_bypass_nothing_and_leave_the_event_clock_alone(clock: str) -> None:
    honest = [
        record(i, event_json(f"h{i}", occurred_at=NOW - timedelta(hours=1)), NOW_MS - 3_600_000) for i in range(20)
    ]
    forged = [
        record(20, event_json("old", occurred_at=Y2015), ms(Y2015)),
        record(21, event_json("future", occurred_at=Y2031), ms(Y2031)),
        record(22, event_json("future-2", occurred_at=Y2031 + timedelta(days=1)), ms(Y2031)),
        record(23, event_json("late", occurred_at=NOW - timedelta(minutes=10)), ms(Y2031)),  # honest event
    ]
    _, registry, letters = run_pipeline(honest + forged, clock)
    reasons = sorted((x["offset"], x["reason"]) for x in letters)
    expected = [(21, "future_timestamp"), (22, "future_timestamp")]
    if clock == "wall":
        expected = [(20, "too_old"), *expected]
    assert reasons == expected
    now = datetime.now(UTC).timestamp() + 5  # the wall clock's reference is the moment of the scrape
    reference = registry.get_sample_value("komhen_reference_timestamp_seconds")
    assert reference is not None and reference <= now
    if clock == "event":
        assert reference == (NOW - timedelta(minutes=10)).timestamp()  # the newest honest event
    source = registry.get_sample_value("komhen_last_event_timestamp_seconds", {"source": "telephony"})
    assert source is not None and source <= now  # a 2031 stamp cannot silence KomhenSourceSilent


def test_service_events_older_than_the_retention_are_too_old_too() -> None:
    service = {**event_json("s1", occurred_at=Y2015, channel=None, direction=None), "kind": "call_abandoned"}
    decoded = decode_message(
        json.dumps(service).encode(),
        b"183/borgerservice",
        parser=parser(),
        received_at=NOW,
        retention=timedelta(days=400),
    )
    assert [r.reason for r in decoded.rejected] == [Reason.TOO_OLD]


def aggregation(*moments: datetime) -> Aggregation:
    agg = Aggregation(TZ, 400)
    for i, moment in enumerate(moments):
        agg.add(parse_event(event_json(f"e{i}", occurred_at=moment)))
    return agg


def test_the_event_clock_skips_one_lone_outlier_but_follows_real_days() -> None:
    week = [datetime(2013, 11, 4 + d, 10, i, tzinfo=TZ) for d in range(5) for i in range(3)]
    assert event_clock([aggregation(*week)]) == week[-1]
    outlier = datetime(2031, 1, 1, 12, tzinfo=TZ)
    moved = event_clock([aggregation(*week, outlier)])
    assert moved == datetime(2013, 11, 8, 23, 59, 59, 999999, tzinfo=TZ)  # the end of the last real day
    assert event_clock([aggregation(*week, outlier, outlier + timedelta(minutes=1))]) == outlier + timedelta(minutes=1)
    next_morning = datetime(2013, 11, 9, 8, tzinfo=TZ)  # a new day right after: real, the clock moves
    assert event_clock([aggregation(*week, next_morning)]) == next_morning
    weekly = [datetime(2013, 1, 7, 10, tzinfo=TZ) + timedelta(weeks=w) for w in range(10)]
    assert event_clock([aggregation(*weekly)]) == weekly[-1]  # sparse data: nothing to prefer


def test_the_event_clock_reads_the_whole_municipality_without_counting_it_twice() -> None:
    real = [datetime(2013, 11, 4, 10, i, tzinfo=TZ) for i in range(5)]
    local = aggregation(*real, datetime(2031, 1, 1, 12, tzinfo=TZ))
    view = GlobalView(Aggregation(TZ, 400), code_table())
    for key, value in summaries_of(local, local.take_changed()):
        view.apply(key, value)
    # The outlier is in both the local partition and the view: still one event on its day.
    assert event_clock([local], view.aggregation) == datetime(2013, 11, 4, 23, 59, 59, 999999, tzinfo=TZ)


def test_day_totals_follow_pruning_and_replaced_summaries() -> None:
    agg = aggregation(datetime(2013, 11, 4, 10, tzinfo=TZ), datetime(2013, 11, 4, 11, tzinfo=TZ))
    day = datetime(2013, 11, 4, tzinfo=TZ).date().toordinal()
    assert agg.day_totals == {day: 2}
    view = GlobalView(Aggregation(TZ, 400), code_table())
    for _ in range(2):  # the same bucket summarised twice replaces, never adds
        agg.changed.add((("183", "borgerservice"), day))
        for key, value in summaries_of(agg, agg.take_changed()):
            view.apply(key, value)
    assert view.aggregation.day_totals == {day: 2}
    agg.prune(day + 401)
    assert agg.day_totals == {}


def test_the_state_figures_are_recomputed_at_once_when_the_whole_municipality_becomes_available() -> None:
    agg = aggregation(NOW)
    view: list[Aggregation | None] = [None]
    registry = CollectorRegistry()
    register_state(registry, FigureKeeper(lambda: [agg], clock="event", municipality_view=lambda: view[0]).current)
    scope = {"municipality": "183", "channel": "phone", "direction": "in", "window": "7d"}
    assert registry.get_sample_value("komhen_window_inquiries", {**scope, "department": "_all"}) is None
    view[0] = agg  # within the minimum interval, yet the view is new: no stale cache without `_all`
    assert registry.get_sample_value("komhen_window_inquiries", {**scope, "department": "_all"}) == 1


def test_the_view_is_whole_only_after_reading_past_the_first_publish_after_the_restore() -> None:
    from streams.worker.summaries import ViewSync

    sync = ViewSync()
    sync.published(at=1.0, restored=False)  # partitions still restoring: their summaries are not out
    sync.fetched_nothing(polled_at=2.0)
    assert not sync.whole
    sync.published(at=3.0, restored=True)
    sync.fetched_nothing(polled_at=2.9)  # that fetch began before the publish ended: it may have missed it
    assert not sync.whole
    sync.fetched_nothing(polled_at=3.1)
    assert sync.whole
    sync.published(at=9.0, restored=True)  # later publishes keep it whole (live summaries lag a second)
    assert sync.whole and sync.published_at == 3.0
