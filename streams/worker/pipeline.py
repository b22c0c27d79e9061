"""The counting pipeline of one worker, free of Faust: records in, state and dead letters out.

State is a pure function of the input log. For each assigned partition the worker holds
an Aggregation that covers exactly the records below `next_offset`. When a partition is
assigned, its state is loaded from the newest snapshot (streams/worker/snapshotting.py), which
covers the records below some offset, and the rest is read from the input topic up to the
group's committed offset; without a usable snapshot the partition is read from its start
(Kafka Streams uses the same idea for source-topic tables). Live records below
`next_offset` are skipped (already counted), a gap above it is read first. So a crash, a
restart or a rebalance never loses or doubles a count, with no table write per event.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from streams.contract.texts import Line
from streams.documents.reference import event_contract
from streams.domain.counting.aggregation import Added, Aggregation
from streams.domain.counting.snapshot_format import Fingerprint, fingerprint_of
from streams.domain.counting.snapshot_writing import Catalog
from streams.domain.counting.windows import local_day
from streams.domain.events.inquiry import EventParser, InquiryEvent, Reason
from streams.domain.events.message_time import PartitionClock, clamp_ms
from streams.domain.events.messages import (
    Decoded,
    InputRecord,
    Rejection,
    dead_letter_id,
    dead_letter_key,
    decode_message,
    unprocessable,
    unprocessable_message,
)
from streams.telemetry.collectors import PipelineMetrics
from streams.worker.service_settings import CountingSettings

log = logging.getLogger(__name__)


class PartitionReader(Protocol):
    """Reads a partition of the input topic; implemented with aiokafka in restore.py."""

    async def committed(self, partition: int) -> int | None: ...

    def read(self, partition: int, start: int | None, end: int) -> AsyncIterator[list[InputRecord]]: ...


class SnapshotSource(Protocol):
    """Loads a partition's newest snapshot into a fresh slot; implemented in snapshots.py."""

    async def restore(self, partition: int, slot: PartitionSlot) -> None: ...

    def restored(self, partition: int, slot: PartitionSlot) -> None: ...


DeadLetterSink = Callable[[bytes | None, dict[str, Any]], Awaitable[None]]


COMPACT_EVERY_EVENTS = 50_000


def message_time(timestamp_ms: int) -> datetime:
    """The moment of a Kafka timestamp, within what datetime can represent (Kafka allows any int64)."""
    return datetime.fromtimestamp(clamp_ms(timestamp_ms) / 1000, UTC)


def compact_settled_days(aggregation: Aggregation) -> int:
    """Seal (store compactly) every day before the newest event's day."""
    if aggregation.newest is None:
        return 0
    return aggregation.compact(local_day(aggregation.newest, aggregation.tz))


@dataclass
class Restore:
    """How a partition's state was restored: for /health, the metrics and the one log line."""

    path: str = "none"  # snapshot | full_replay | none (nothing to read)
    reason: str = ""  # why not from a snapshot: no_snapshot, disabled, checksum, missing, format, other_log, ...
    snapshot_bytes: int = 0  # snapshot records read
    snapshot_events: int = 0  # events the snapshot held
    replayed_events: int = 0  # events counted from the input topic while restoring
    tried: bool = False  # a snapshot was looked for

    @property
    def events(self) -> int:
        return self.snapshot_events + self.replayed_events


class PartitionSlot:
    """An assigned partition: its state, what it covers, whether it is exported and may count."""

    def __init__(self, aggregation: Aggregation) -> None:
        self.aggregation = aggregation
        self.next_offset: int | None = None
        self.ready = asyncio.Event()  # restored once: its counts may be exported
        self.synced = asyncio.Event()  # caught up with the latest assignment: live records may be applied
        self.lock = asyncio.Lock()
        self.restored_records = 0
        self.events_since_compaction = 0
        self.restore = Restore()
        self.fingerprint: Fingerprint | None = None  # the last record counted (next_offset - 1)
        self.catalog: Catalog | None = None  # what the newest snapshot of this partition holds
        self.snapshot_at: float | None = None  # when this worker last wrote or loaded it (time.time())
        self.clock = PartitionClock()  # the time each record is judged against (domain/message_time.py)
        self.progressed_at = time.monotonic()  # when next_offset last moved (or the slot was created)
        self.failures = 0  # restores that failed in a row: a partition that cannot catch up is stalled

    def stalled_for(self, lag: int | None, now: float) -> float:
        """Seconds this partition has had records waiting without counting any; 0 when it is keeping up.

        Waiting means: records above what it counted (lag > 0), or a restore that keeps failing.
        """
        waiting = (lag is not None and lag > 0) or self.failures > 0
        return max(0.0, now - self.progressed_at) if waiting else 0.0


class Pipeline:
    """Applies input records to per-partition state, sends rejections to the dead-letter topic."""

    def __init__(
        self,
        settings: CountingSettings,
        metrics: PipelineMetrics,
        reader: PartitionReader,
        dead_letters: DeadLetterSink,
        snapshots: SnapshotSource | None = None,
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.reader = reader
        self.dead_letters = dead_letters
        self.snapshots = snapshots
        self.parser = EventParser(event_contract())  # this worker's: what it proved valid stays here
        self.slots: dict[int, PartitionSlot] = {}
        self.joined = False  # set by the first assignment: until then the worker counts nothing

    # -- assignment --------------------------------------------------------------------

    def assign(self, partitions: Iterable[int]) -> list[asyncio.Task[None]]:
        """Own exactly `partitions` from now on; bring each one's state up to the committed offset."""
        owned = set(partitions)
        self.joined = True
        for partition in set(self.slots) - owned:
            del self.slots[partition]  # another worker owns it now and exports its counts
        return [self._sync_task(partition) for partition in sorted(owned)]

    def aggregations(self) -> list[Aggregation]:
        """State of the partitions this worker owns and has restored (never stale copies)."""
        return [s.aggregation for s in list(self.slots.values()) if s.ready.is_set()]

    @property
    def restoring(self) -> list[int]:
        return sorted(p for p, s in self.slots.items() if not s.ready.is_set())

    def _sync_task(self, partition: int) -> asyncio.Task[None]:
        slot = self.slots.get(partition)
        if slot is None:
            slot = self.slots[partition] = PartitionSlot(Aggregation(self.settings.tz, self.settings.retention_days))
        slot.synced.clear()  # until it has compared itself with the group's offsets again
        return asyncio.create_task(self._sync(partition, slot), name=f"restore-{partition}")

    async def _sync(self, partition: int, slot: PartitionSlot) -> None:
        """Read what the group committed beyond this state, without re-reporting it.

        Until this succeeds the partition is not ready: its live records wait and its
        counts are not exported, because a partial state would be a wrong count.
        """
        delay = 1.0
        while self.slots.get(partition) is slot:
            try:
                async with slot.lock:
                    if self.snapshots is not None and not slot.restore.tried:
                        await self.snapshots.restore(partition, slot)  # sets next_offset if it found one
                    committed = await self.reader.committed(partition)
                    if committed is None and slot.next_offset is not None and slot.ready.is_set():
                        log.warning(Line("log.offsets_lost", partition=str(partition), offset=str(slot.next_offset)))
                        slot.aggregation.reset()
                        slot.clock.reset()
                        slot.next_offset = None
                        slot.fingerprint = None
                        slot.restored_records = 0
                    if committed and (slot.next_offset is None or slot.next_offset < committed):
                        log.info(
                            Line("log.restoring_all", partition=str(partition), end=str(committed))
                            if slot.next_offset is None
                            else Line(
                                "log.restoring",
                                partition=str(partition),
                                start=str(slot.next_offset),
                                end=str(committed),
                            )
                        )
                        if slot.next_offset is None and not slot.ready.is_set():
                            slot.restore.path = "full_replay"
                        await self._read_into(partition, slot, slot.next_offset, committed, live=False)
                        slot.next_offset = committed
                        log.info(Line("log.restored", partition=str(partition), n=slot.restored_records))
                slot.failures = 0
                slot.progressed_at = time.monotonic()
                if self.snapshots is not None and not slot.ready.is_set():
                    self.snapshots.restored(partition, slot)
                slot.ready.set()
                slot.synced.set()
                return
            except Exception:
                slot.failures += 1
                log.exception(Line("log.restore_failed", partition=str(partition), seconds=round(delay)))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    # -- live processing ---------------------------------------------------------------

    async def process(self, records: list[InputRecord]) -> None:
        """Count a batch of live records (any partitions, offsets ascending per partition)."""
        by_partition: dict[int, list[InputRecord]] = {}
        for record in records:
            by_partition.setdefault(record.partition, []).append(record)
        for partition, items in by_partition.items():
            slot = self.slots.get(partition)
            if slot is None:
                # Faust only hands us assigned partitions; one we have not seen yet was
                # assigned before our signal handler ran.
                self._sync_task(partition)
                slot = self.slots[partition]
            await slot.synced.wait()
            async with slot.lock:
                if self.slots.get(partition) is not slot:
                    continue  # revoked meanwhile: the new owner counts these
                first = items[0].offset
                if slot.next_offset is None and first > 0:
                    # Nothing counted yet, and delivery does not start at offset 0: whatever lies
                    # before it (all of a recreated log, or nothing if retention trimmed it) first.
                    await self._read_into(partition, slot, None, first, live=True)
                elif slot.next_offset is not None and first > slot.next_offset:
                    log.warning(
                        Line(
                            "log.undelivered",
                            partition=str(partition),
                            first=str(slot.next_offset),
                            last=str(first - 1),
                        )
                    )
                    await self._read_into(partition, slot, slot.next_offset, first, live=True)
                fresh = [r for r in items if slot.next_offset is None or r.offset >= slot.next_offset]
                if fresh:
                    await self._apply(slot, fresh, live=True)
                    slot.fingerprint = fingerprint_of(fresh[-1])

    async def _read_into(self, partition: int, slot: PartitionSlot, start: int | None, end: int, *, live: bool) -> None:
        async for chunk in self.reader.read(partition, start, end):
            counted = slot.aggregation.counted
            await self._apply(slot, chunk, live=live)
            slot.fingerprint = fingerprint_of(chunk[-1])
            if not live:
                slot.restored_records += len(chunk)
                slot.restore.replayed_events += slot.aggregation.counted - counted
            await asyncio.sleep(0)  # let scrapes and heartbeats run during a long restore
        compact_settled_days(slot.aggregation)

    def _decode(self, record: InputRecord, received_ms: int) -> Decoded:
        return decode_message(
            record.value,
            record.key,
            parser=self.parser,
            received_at=message_time(received_ms),
            retention=self.settings.too_old_after,
            max_bytes=self.settings.max_message_bytes,
            registry=self.settings.sources,
        )

    async def _apply(self, slot: PartitionSlot, records: list[InputRecord], *, live: bool) -> None:
        """Decode, validate, deduplicate and count; in live mode also record metrics and dead letters.

        Every record is handled on its own: whatever one record does to the decoder or the
        counting state, it becomes a dead letter (reason `unprocessable` if nothing else fits)
        and the partition moves on to the next.
        """
        aggregation = slot.aggregation
        accepted: Counter[tuple[str, str, str, str]] = Counter()
        outcomes: Counter[tuple[str, str]] = Counter()
        service: Counter[tuple[str, str, str]] = Counter()
        findings: Counter[tuple[str, str, str]] = Counter()
        corrections: Counter[str] = Counter()
        rejected: list[tuple[InputRecord, int, Rejection]] = []
        newest_by_source: dict[str, float] = {}
        now_ms = int(time.time() * 1000)
        for record in records:
            received_ms = slot.clock.judge(record.timestamp_ms, log_append=record.log_append, now_ms=now_ms)
            try:
                decoded = self._decode(record, received_ms)
            except Exception as exc:  # decode_message never raises; if that ever breaks, still move on
                decoded = unprocessable_message(record.value, exc)
            failed: list[Rejection] = []
            for event in decoded.events:
                try:
                    added = aggregation.add(event)
                except Exception as exc:
                    failed.append(_failed(event, exc))
                    continue
                if added is Added.NEW:
                    accepted[(event.municipality, event.department, event.channel, event.direction)] += 1
                    outcomes[(event.source, "accepted")] += 1
                else:  # a duplicate (a correction too), or counted again after a reset: not a new inquiry
                    outcomes[(event.source, "duplicate")] += 1
                    if added is Added.CORRECTION:
                        corrections[event.source] += 1
            for measure in decoded.service:
                try:
                    added = aggregation.add_service(measure)
                except Exception as exc:
                    failed.append(_failed(measure, exc))
                    continue
                if added is Added.NEW:
                    service[(measure.municipality, measure.department, measure.kind.value)] += 1
                    outcomes[(measure.source, "accepted")] += 1
                else:
                    outcomes[(measure.source, "duplicate")] += 1
                    if added is Added.CORRECTION:
                        corrections[measure.source] += 1
            for source in {e.source for e in decoded.events} | {m.source for m in decoded.service}:
                seen = newest_by_source.get(source)
                if seen is None or received_ms > seen:
                    newest_by_source[source] = received_ms
            for sequence, rejection in enumerate([*decoded.rejected, *failed]):
                rejected.append((record, sequence, rejection))
            for source, finding in decoded.findings:
                findings[(source, finding.field, finding.reason.value)] += 1
            slot.next_offset = record.offset + 1
            slot.events_since_compaction += len(decoded.events) + len(decoded.service)
        if records:
            slot.progressed_at = time.monotonic()
        if slot.events_since_compaction >= COMPACT_EVERY_EVENTS:  # keep memory flat during long runs
            compact_settled_days(aggregation)
            slot.events_since_compaction = 0
        if not live:
            return
        for _, _, rejection in rejected:
            if rejection.reason is Reason.UNPROCESSABLE:
                log.error(Line("log.dead_letter", detail=rejection.detail))
        self.metrics.record(
            accepted, outcomes, [r for _, _, r in rejected], newest_by_source, service, findings, corrections
        )
        # Sent together: each send returns once the broker took its letter (or failed, counted below).
        await asyncio.gather(*(self._dead_letter(*letter) for letter in rejected))

    async def _dead_letter(self, record: InputRecord, sequence: int, rejection: Rejection) -> None:
        letter = rejection.to_dead_letter(
            id=dead_letter_id(self.settings.topic, record.partition, record.offset, sequence),
            topic=self.settings.topic,
            partition=record.partition,
            offset=record.offset,
            message_timestamp_ms=record.timestamp_ms,
        )
        try:
            await self.dead_letters(dead_letter_key(record.key), letter)
        except Exception as exc:  # counted already; a dead letter that cannot be written must not stop counting
            self.metrics.dead_letters_unwritten.inc()
            log.error(
                Line(
                    "log.dead_letter_failed",
                    record=f"{self.settings.topic}/{record.partition}/{record.offset}",
                    error=type(exc).__name__,
                )
            )


def _failed(event: InquiryEvent | Any, exc: Exception) -> Rejection:
    """An event that passed validation but could not be counted: dead-lettered as `unprocessable`."""
    try:
        text = json.dumps(event.to_json(), ensure_ascii=False)
    except Exception:
        text = ""
    return Rejection.of(Reason.UNPROCESSABLE, unprocessable(exc).detail, None, None, event.source, text)
