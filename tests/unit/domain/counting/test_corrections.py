"""A resend that corrects an inquiry's department or day is not counted again: the first version wins.

The identity of an inquiry is (municipality, source, event_id). A later version with another
department or day is a correction (`Added.CORRECTION`, a duplicate in the accounting); the same
source and event id in another municipality is another inquiry. The partition's index of every
counted identity (`PartitionIdentities`) is what makes this one lookup; its own property test
forces merges with a tiny merge threshold.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.domain.counting.aggregation import Added, Aggregation
from streams.domain.counting.identities import PartitionIdentities
from streams.domain.counting.windows import local_day
from streams.domain.events.service import ServiceEvent, ServiceKind
from tests.fixtures.factories import TZ, inquiry

START = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


def cells(agg: Aggregation) -> dict[tuple[str, str, int], int]:
    """Inquiries per (municipality, department, day), only where there are some."""
    out: Counter[tuple[str, str, int]] = Counter()
    for (municipality, department), day, bucket in agg.days():
        out[(municipality, department, day)] += sum(bucket.cells.values())
    return {k: v for k, v in out.items() if v}


def test_a_correction_of_department_or_day_keeps_the_first_version_counted() -> None:
    agg = Aggregation(TZ, retention_days=400)
    first_day = local_day(START, TZ)
    assert agg.add(inquiry("tel-1", occurred_at=START)) is Added.NEW
    assert agg.add(inquiry("tel-1", occurred_at=START)) is Added.DUPLICATE  # a plain resend
    assert agg.add(inquiry("tel-1", occurred_at=START, department="jobcenter")) is Added.CORRECTION
    assert agg.add(inquiry("tel-1", occurred_at=START + timedelta(days=3))) is Added.CORRECTION
    assert agg.add(inquiry("tel-1", occurred_at=START, channel="email")) is Added.DUPLICATE  # same bucket
    assert agg.add(inquiry("tel-1", occurred_at=START, source="selfservice")) is Added.NEW  # another source
    assert agg.add(inquiry("tel-1", occurred_at=START, municipality="165")) is Added.NEW  # another municipality

    assert cells(agg) == {("183", "borgerservice", first_day): 2, ("165", "borgerservice", first_day): 1}
    # The correction left no trace: no bucket for the department or day it named, so no series either.
    assert ("183", "jobcenter") not in agg.buckets
    assert set(agg.buckets[("183", "borgerservice")]) == {first_day}
    assert agg.day_totals == {first_day: 3}
    assert not agg.add(inquiry("tel-1", occurred_at=START, department="jobcenter"))  # falsy: nothing counted


def test_service_events_are_corrected_the_same_way_and_apart_from_inquiries() -> None:
    agg = Aggregation(TZ, retention_days=400)
    kind = ServiceKind.CALL_ABANDONED

    def abandoned(department: str, days: int = 0) -> ServiceEvent:
        return ServiceEvent(kind, "tel-1", "telephony", START + timedelta(days=days), "183", department)

    assert agg.add_service(abandoned("borgerservice")) is Added.NEW
    assert agg.add_service(abandoned("jobcenter")) is Added.CORRECTION
    assert agg.add_service(abandoned("borgerservice", days=1)) is Added.CORRECTION
    assert agg.add(inquiry("tel-1", occurred_at=START)) is Added.NEW  # an inquiry with the same id is another thing
    assert [(d, b.kinds) for d, _, b in agg.days()] == [(("183", "borgerservice"), {kind.value: 1})]


def test_first_wins_within_the_retention_a_version_after_the_first_left_it_counts() -> None:
    agg = Aggregation(TZ, retention_days=30)
    first_day = local_day(START, TZ)
    assert agg.add(inquiry("tel-1", occurred_at=START)) is Added.NEW
    later = START + timedelta(days=40)
    assert agg.add(inquiry("tel-1", occurred_at=later, department="jobcenter")) is Added.CORRECTION
    assert agg.prune(first_day + 31) == 1  # the first version's day leaves the retention, and its identity
    assert len(agg.identities) == 0
    assert agg.add(inquiry("tel-1", occurred_at=later, department="jobcenter")) is Added.NEW
    assert cells(agg) == {("183", "jobcenter", local_day(later, TZ)): 1}


def test_a_reset_forgets_the_index_and_counts_the_log_again_as_recounted() -> None:
    agg = Aggregation(TZ, retention_days=400)
    agg.add(inquiry("tel-1", occurred_at=START))
    agg.reset()
    assert len(agg.identities) == 0
    assert agg.add(inquiry("tel-1", occurred_at=START, department="jobcenter")) is Added.RECOUNTED
    assert agg.add(inquiry("tel-1", occurred_at=START)) is Added.CORRECTION


# One version of an inquiry: (municipality, source, event id, department, day offset, channel).
versions = st.tuples(
    st.sampled_from(["183", "165"]),
    st.sampled_from(["telephony", "selfservice"]),
    st.integers(0, 15),
    st.sampled_from(["borgerservice", "jobcenter", "byggeri"]),
    st.integers(0, 9),
    st.sampled_from(["phone", "email"]),
)


@settings(max_examples=200, deadline=None)
@given(stream=st.lists(versions, max_size=150), compact_at=st.integers(0, 150), compact_before=st.integers(0, 10))
def test_counts_equal_the_first_versions_whatever_the_order_of_resends_and_corrections(
    stream: list[tuple[str, str, int, str, int, str]], compact_at: int, compact_before: int
) -> None:
    agg = Aggregation(TZ, retention_days=400)
    first: dict[tuple[str, str, int], tuple[str, int]] = {}
    expected: Counter[tuple[str, str, int]] = Counter()
    for n, (municipality, source, number, department, days, channel) in enumerate(stream):
        if n == compact_at:
            agg.compact(local_day(START, TZ) + compact_before)  # sealed days answer the same
        moment = START + timedelta(days=days)
        added = agg.add(
            inquiry(
                f"id-{number}",
                source=source,
                municipality=municipality,
                department=department,
                occurred_at=moment,
                channel=channel,
            )
        )
        identity, where = (municipality, source, number), (department, local_day(moment, TZ))
        if identity not in first:
            first[identity] = where
            expected[(municipality, *where)] += 1
            assert added is Added.NEW
        else:
            assert added is (Added.DUPLICATE if first[identity] == where else Added.CORRECTION)
    assert cells(agg) == dict(expected)
    assert len(agg.identities) == len(first)


class MergingOften(PartitionIdentities):
    SHARDS = 4  # few shards, each merging after two changes: the merges are what is tested
    MIN_MERGE = 2


def spread(n: int) -> int:
    """A signed 64-bit value for n, spread over the whole range (and so over every shard)."""
    return ((n * 0x9E3779B97F4A7C15) & (2**64 - 1)) - 2**63


operations = st.lists(st.tuples(st.booleans(), st.integers(0, 40).map(spread)), max_size=400)


@settings(max_examples=200, deadline=None)
@given(ops=operations, restore_at=st.integers(0, 400))
def test_the_index_answers_like_a_set_through_merges_removals_and_a_restore(
    ops: list[tuple[bool, int]], restore_at: int
) -> None:
    index, model = MergingOften(), set[int]()
    for n, (claim, value) in enumerate(ops):
        if n == restore_at:  # a restart: the index built at once from what the buckets hold
            index = MergingOften()
            index.build(model)
        if claim:
            assert index.claim(value) is (value not in model)  # True once: the first version
            model.add(value)
        elif value in model:
            index.remove(value)
            model.discard(value)
        assert (value in index) == (value in model)
    assert len(index) == len(model)
    assert all(v in index for v in model)
    assert not any(v in index for _, v in ops if v not in model)
    assert sum(len(s) for s in index.sealed) == len({v for s in index.sealed for v in s})  # never stored twice
