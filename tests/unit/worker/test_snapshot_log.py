"""Whole snapshots on a simulated log: crashes mid-write, compaction and restarts never lose the newest one.

The real writer and loader (streams/worker/snapshotting.py) run against an in-memory log that
can fail after any record (a kill -9 between bucket records and head) and compact like Kafka
(only the newest record of each key stays; tombstones go). After every step the newest
complete snapshot must load back to exactly the state it was taken of, and reading it never
has to start further back than the rewrite rule promises. The same against the real broker
and real workers: tests/integration/worker/test_snapshots.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.documents.settings import Settings
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.snapshot_codec import SnapshotKeys
from streams.domain.counting.snapshot_format import fingerprint_of
from streams.domain.counting.snapshot_writing import REWRITE_SPAN, Catalog
from streams.domain.counting.windows import local_day
from streams.domain.events.messages import InputRecord
from streams.worker.pipeline import PartitionSlot
from streams.worker.service_settings import WorkerSettings
from streams.worker.snapshotting import SnapshotRecord, Snapshots, load_snapshot
from tests.fixtures.factories import TZ
from tests.unit.domain.counting.test_snapshots import DEPARTMENTS, KEYS, START, bucket_state, inquiry, service

PARTITION = 3
SNAPSHOTS_EVERY_MINUTE = WorkerSettings.of(replace(Settings(), snapshot_interval_s=60)).snapshots


class Crash(Exception):
    """The writer died after some records reached the log."""


class MemoryLog:
    """One partition of a compacted topic, in memory; `fail_after` records are accepted before a crash."""

    def __init__(self) -> None:
        self.records: list[SnapshotRecord] = []
        self.end = 0
        self.fail_after: int | None = None

    async def send(self, partition: int, records: list[tuple[bytes, bytes | None]]) -> list[int]:
        assert partition == PARTITION
        offsets = []
        for key, value in records:
            if self.fail_after is not None:
                if self.fail_after == 0:
                    self.fail_after = None
                    raise Crash
                self.fail_after -= 1
            self.records.append((self.end, key, value))
            offsets.append(self.end)
            self.end += 1
        return offsets

    async def bounds(self, partition: int) -> tuple[int, int]:
        return (self.records[0][0] if self.records else self.end), self.end

    async def read(self, partition: int, start: int, end: int) -> AsyncIterator[list[SnapshotRecord]]:
        chunk = [r for r in self.records if start <= r[0] < end]
        for i in range(0, len(chunk), 7):
            yield chunk[i : i + 7]

    async def close(self) -> None:
        pass

    def compact(self) -> None:
        """Kafka's log cleaner: the newest record of each key stays; tombstones are removed too."""
        newest = {key: offset for offset, key, _ in self.records}
        self.records = [r for r in self.records if newest[r[1]] == r[0] and r[2] is not None]


class Worker:
    """One worker's state of the partition, as the pipeline would hold it."""

    def __init__(self, log: MemoryLog, keys: SnapshotKeys = KEYS) -> None:
        self.slot = PartitionSlot(Aggregation(TZ, retention_days=400))
        self.slot.ready.set()
        self.slot.catalog = Catalog(PARTITION)
        self.snapshots = Snapshots(SNAPSHOTS_EVERY_MINUTE, log, inputs=None, keys=keys)  # type: ignore[arg-type]
        self.input_offset = 0

    async def write(self) -> int:
        return await self.snapshots.write(PARTITION, self.slot, owned=lambda: True)


counts = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30), st.integers(0, 5)), min_size=1, max_size=12)
step = st.one_of(
    st.tuples(st.just("count"), counts),
    st.tuples(st.just("service"), st.integers(0, 3)),
    st.tuples(st.just("prune"), st.integers(0, 10)),
    st.tuples(st.just("seal"), st.integers(0, 31)),
    st.tuples(st.just("snapshot"), st.none()),
    st.tuples(st.just("crash"), st.integers(0, 40)),
    st.tuples(st.just("compact"), st.none()),
    st.tuples(st.just("restart"), st.none()),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=40))
def test_the_newest_complete_snapshot_always_loads_exactly_whatever_crashes_and_compaction_did(
    steps: list[tuple[str, Any]],
) -> None:
    asyncio.run(scenario(steps))


async def scenario(steps: list[tuple[str, Any]]) -> None:
    log = MemoryLog()
    worker = Worker(log)
    expected: tuple[dict[Any, Any], int] | None = None  # the state and covered offset of the newest snapshot
    n = 0
    for action, arg in steps:
        agg = worker.slot.aggregation
        if action == "count":
            for dept, day, cell in arg:
                n += 1
                agg.add(inquiry(n, dept, day, cell))
                worker.input_offset += 1
            worker.slot.next_offset = worker.input_offset
        elif action == "service":
            n += 1
            agg.add_service(service(n, arg, n % 30, n % 3, None))
            worker.input_offset += 1
            worker.slot.next_offset = worker.input_offset
        elif action == "prune":  # the retention moved past the oldest days
            agg.prune(local_day(START, TZ) + arg + agg.retention_days)
        elif action == "seal":
            agg.compact(local_day(START, TZ) + arg)
        elif action in ("snapshot", "crash"):
            if worker.slot.next_offset is None:
                continue
            state = (bucket_state(agg), worker.slot.next_offset)
            before = worker.slot.catalog
            assert before is not None
            if action == "crash":
                log.fail_after = arg
            try:
                await worker.write()
            except Crash:
                assert worker.slot.catalog is before  # nothing committed: the previous head stays newest
                continue
            log.fail_after = None
            if worker.slot.catalog is not before:
                expected = state
                after = worker.slot.catalog
                assert after is not None
                if after.entries and before.head_offset >= 0:  # reading starts no further back than promised
                    first = min(e.offset for e in after.entries.values())
                    assert first >= min(before.rewrite_before(), after.head_offset)
                    assert after.head_offset - first <= (after.head_offset - before.head_offset) + REWRITE_SPAN * (
                        len(before.entries) + 2
                    )
        elif action == "compact":
            log.compact()
        elif action == "restart":  # a new worker loads the newest snapshot and carries on from it
            loaded = await load_snapshot(log, PARTITION, TZ, 400, KEYS)
            worker = Worker(log)
            if loaded is not None:
                worker.slot.aggregation = loaded.aggregation
                worker.slot.catalog = loaded.catalog
                worker.slot.next_offset = loaded.manifest.covered
                worker.input_offset = loaded.manifest.covered
            # events after the snapshot are lost in this simulation; the real worker replays them
        loaded = await load_snapshot(log, PARTITION, TZ, 400, KEYS)
        if expected is None:
            assert loaded is None
        else:
            assert loaded is not None
            assert (bucket_state(loaded.aggregation), loaded.manifest.covered) == expected


def test_a_snapshot_writes_only_the_days_that_changed_and_tombstones_what_no_head_needs() -> None:
    async def run() -> list[list[tuple[bytes | None, bool]]]:
        log = MemoryLog()
        worker = Worker(log)
        rounds: list[list[tuple[bytes | None, bool]]] = []
        for events in ([(0, 1, 0), (0, 2, 0), (1, 1, 1)], [(0, 2, 3)], [], [(1, 1, 2)]):
            start = log.end
            for i, (dept, day, cell) in enumerate(events):
                worker.slot.aggregation.add(inquiry(100 * len(rounds) + i, dept, day, cell))
                worker.input_offset += 1
            worker.slot.next_offset = worker.input_offset
            await worker.write()
            rounds.append([(key, value is None) for offset, key, value in log.records if offset >= start])
        return rounds

    first, second, third, fourth = asyncio.run(run())
    day1, day2 = "2026-01-02", "2026-01-03"
    assert first == [
        (f"b/3/0/183/borgerservice/{day1}".encode(), False),
        (f"b/3/0/183/borgerservice/{day2}".encode(), False),
        (f"b/3/0/183/jobcenter/{day1}".encode(), False),
        (b"m/3/0/0", False),
        (b"h/3", False),
    ]
    # Only the changed day, into the other slot; the manifest alternates too.
    assert second == [(f"b/3/1/183/borgerservice/{day2}".encode(), False), (b"m/3/1/0", False), (b"h/3", False)]
    assert third == []  # nothing changed, nothing covered beyond: nothing written
    # The older record of the day changed in round two is tombstoned once no head needs it.
    assert fourth == [
        (f"b/3/0/183/borgerservice/{day2}".encode(), True),
        (f"b/3/1/183/jobcenter/{day1}".encode(), False),
        (b"m/3/0/0", False),
        (b"h/3", False),
    ]


class FakeInputs:
    """The input topic as restore() checks it: its bounds and the first record from an offset."""

    def __init__(self, records: dict[int, InputRecord], begin: int, end: int) -> None:
        self.records, self.begin, self.end = records, begin, end

    async def bounds(self, partition: int) -> tuple[int, int]:
        return self.begin, self.end

    async def first_record_from(self, partition: int, offset: int) -> InputRecord | None:
        return next((self.records[o] for o in sorted(self.records) if o >= offset), None)


class FlakyLog(MemoryLog):
    """A snapshot topic that fails once, as a broker that is briefly unreachable."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_bounds = False

    async def bounds(self, partition: int) -> tuple[int, int]:
        if self.fail_bounds:
            self.fail_bounds = False
            raise ConnectionError("broker unreachable")
        return await super().bounds(partition)


def counted_partition(log: MemoryLog, last: InputRecord) -> Worker:
    """A worker that counted 3 events from input offsets 0..2 and wrote a snapshot covering them."""
    worker = Worker(log)
    for n in range(3):
        worker.slot.aggregation.add(inquiry(n, 0, n, n))
    worker.slot.next_offset = 3
    worker.slot.fingerprint = fingerprint_of(last)
    asyncio.run(worker.write())
    return worker


def restore_into_fresh_slot(log: MemoryLog, inputs: FakeInputs) -> PartitionSlot:
    slot = PartitionSlot(Aggregation(TZ, retention_days=400))
    snapshots = Snapshots(SNAPSHOTS_EVERY_MINUTE, log, inputs, keys=KEYS)
    asyncio.run(snapshots.restore(PARTITION, slot))
    return slot


LAST = InputRecord(PARTITION, 2, 1_767_000_000_000, b"183/borgerservice", b'{"event_id": "e-2"}')


def test_a_snapshot_of_the_same_log_is_loaded_and_covers_what_it_counted() -> None:
    log = MemoryLog()
    counted_partition(log, LAST)
    slot = restore_into_fresh_slot(log, FakeInputs({2: LAST, 3: replace(LAST, offset=3)}, 0, 4))
    assert (slot.restore.path, slot.restore.tried, slot.next_offset, slot.restore.snapshot_events) == (
        "snapshot",
        True,
        3,
        3,
    )
    assert slot.fingerprint == fingerprint_of(LAST) and slot.catalog is not None and slot.catalog.seq == 1


@pytest.mark.parametrize(
    ("records", "begin", "end", "message"),
    [
        ({2: replace(LAST, value=b"other")}, 0, 3, "the input record at offset 2 is not the one it counted last"),
        ({2: replace(LAST, timestamp_ms=1)}, 0, 3, "the input record at offset 2 is not the one it counted last"),
        ({}, 0, 1, "the input topic has no record at offset 2, the last one it counted"),
        ({5: replace(LAST, offset=5)}, 0, 6, "the input topic has no record at offset 2, the last one it counted"),
    ],
)
def test_a_snapshot_of_another_log_falls_back_to_the_full_replay(
    records: dict[int, InputRecord], begin: int, end: int, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    log = MemoryLog()
    counted_partition(log, LAST)
    slot = restore_into_fresh_slot(log, FakeInputs(records, begin, end))
    assert (slot.restore.reason, slot.restore.tried, slot.next_offset) == ("other_log", True, None)
    assert not slot.aggregation.buckets and slot.catalog is not None and slot.catalog.seq == 0
    (line,) = [r.getMessage() for r in caplog.records if "kan ikke bruges" in r.getMessage()]
    assert f"(other_log: {message}: the topic was recreated); tæller partitionen igen fra begyndelsen" in line


def test_a_snapshot_whose_last_record_is_gone_by_retention_is_used_and_lost_records_are_named(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = MemoryLog()
    counted_partition(log, LAST)
    slot = restore_into_fresh_slot(log, FakeInputs({7: replace(LAST, offset=7)}, 7, 8))
    assert (slot.restore.path, slot.next_offset) == ("snapshot", 3)
    assert any(
        "inputposterne 3 til 6 efter øjebliksbilledet findes ikke længere i emnet, så deres hændelser er tabt"
        in r.getMessage()
        for r in caplog.records
    )


def test_a_kafka_error_while_loading_leaves_the_snapshot_to_be_looked_for_again() -> None:
    log = FlakyLog()
    counted_partition(log, LAST)
    log.fail_bounds = True
    inputs = FakeInputs({2: LAST}, 0, 3)
    slot = PartitionSlot(Aggregation(TZ, retention_days=400))
    snapshots = Snapshots(SNAPSHOTS_EVERY_MINUTE, log, inputs, keys=KEYS)
    with pytest.raises(ConnectionError):
        asyncio.run(snapshots.restore(PARTITION, slot))
    assert not slot.restore.tried  # the pipeline retries: the snapshot is looked for again, not skipped
    asyncio.run(snapshots.restore(PARTITION, slot))
    assert (slot.restore.path, slot.next_offset) == ("snapshot", 3)


class RebalancingLog(MemoryLog):
    """A rebalance begins while the bucket records are being sent."""

    snapshots: Snapshots | None = None

    async def send(self, partition: int, records: list[tuple[bytes, bytes | None]]) -> list[int]:
        offsets = await super().send(partition, records)
        if self.snapshots is not None and any(key.startswith(b"b/") for key, _ in records):
            self.snapshots.revoked()
        return offsets


def test_a_rebalance_during_a_write_fences_its_head_and_the_rest_of_the_round(caplog: pytest.LogCaptureFixture) -> None:
    log = RebalancingLog()
    first = counted_partition(log, LAST)  # committed before any rebalance
    head_before = [r for r in log.records if r[1] == b"h/3"]
    other = PartitionSlot(Aggregation(TZ, retention_days=400))
    other.ready.set()
    other.catalog, other.next_offset = Catalog(4), 1
    other.aggregation.add(inquiry(50, 1, 1, 1))
    first.slot.aggregation.add(inquiry(51, 0, 9, 1))
    first.slot.next_offset = 4
    log.snapshots = first.snapshots

    with caplog.at_level(logging.INFO, logger="streams.worker.snapshotting"):
        written = asyncio.run(first.snapshots.write_all({PARTITION: first.slot, 4: other}))

    assert written == 0
    assert [r for r in log.records if r[1] == b"h/3"] == head_before  # the head of the fenced write never came
    fenced = [r.getMessage() for r in caplog.records if "ikke gemt" in r.getMessage()]
    assert fenced == [  # and the next partition's write was not begun (this log holds partition 3 only)
        "partition 3: øjebliksbilledet blev ikke gemt, for partitionen blev imens givet til en anden",
        "partition 4: øjebliksbilledet blev ikke gemt, for partitionen blev imens givet til en anden",
    ]
    assert first.slot.catalog is not None and first.slot.catalog.seq == 1
    assert (DEPARTMENTS[0], local_day(START, TZ) + 9) in first.slot.aggregation.unsaved  # written next time
    loaded = asyncio.run(load_snapshot(log, PARTITION, TZ, 400, KEYS))
    assert loaded is not None and loaded.manifest.covered == 3  # the committed snapshot still loads
