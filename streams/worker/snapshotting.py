"""Snapshots of the partitions a worker owns: written every KOMHEN_SNAPSHOT_INTERVAL_S and at a
clean stop, loaded when a partition is assigned.

Loading finds the newest head at the end of the snapshot partition, its manifest just before
it, and the bucket records from the head's first offset on, each checked against the
manifest (streams/domain/counting/snapshot_format.py says why nothing a head points at can be compacted
away). It then checks that the snapshot was made from the input log that is there now: the
record it covered last must be the same. A snapshot that is missing, damaged or of another
log leaves the partition to be read from the start of the input topic, with one log line and
`komhen_restores_total{path="full_replay",reason=…}`.

Writing happens only for partitions this worker owns and has restored. A rebalance fences
the writes in flight: the head is not written once the partition may belong to another
worker, so two workers never interleave records of one partition's snapshot.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from streams.contract.texts import Line
from streams.domain.counting.snapshot_codec import NO_SNAPSHOT, Damaged, SnapshotKeys, checksum
from streams.domain.counting.snapshot_format import Manifest, decode_head, decode_manifest, head_key, manifest_key
from streams.domain.counting.snapshot_loading import Assembly, Loaded, join_parts
from streams.domain.counting.snapshot_writing import Catalog, SnapshotWrite
from streams.domain.events.messages import InputRecord
from streams.telemetry.collectors import RestoreFigures, SnapshotMetrics
from streams.worker.pipeline import PartitionSlot
from streams.worker.service_settings import SnapshotSettings

log = logging.getLogger(__name__)
TAIL_RECORDS = 256  # the head is the last record of a snapshot: look for it this far from the end first
LARGE_SNAPSHOT_BUCKETS = 1000  # a write of this many day buckets or more is logged (after a full replay: all)

SnapshotRecord = tuple[int, bytes | None, bytes | None]  # offset, key, value


class SnapshotLog(Protocol):
    """The snapshot topic: implemented on Kafka in streams/broker/snapshot_topic.py, in memory in the tests."""

    async def send(self, partition: int, records: list[tuple[bytes, bytes | None]]) -> list[int]: ...

    async def bounds(self, partition: int) -> tuple[int, int]: ...

    def read(self, partition: int, start: int, end: int) -> AsyncIterator[list[SnapshotRecord]]: ...

    async def close(self) -> None: ...


class InputLog(Protocol):
    """What a snapshot is checked against: the input topic (streams/broker/reading.py)."""

    async def bounds(self, partition: int) -> tuple[int, int]: ...

    async def first_record_from(self, partition: int, offset: int) -> InputRecord | None: ...


class Fenced(Exception):
    """The partition was revoked while its snapshot was being written: the head is not written."""


@dataclass
class Progress:
    bytes: int = 0
    events: int = 0


async def load_snapshot(
    snapshots: SnapshotLog,
    partition: int,
    tz: ZoneInfo,
    retention_days: int,
    keys: SnapshotKeys,
    progress: Progress | None = None,
) -> Loaded | None:
    """The newest complete snapshot of `partition`, or None if there is none; Damaged if it cannot be used."""
    progress = progress or Progress()
    begin, end = await snapshots.bounds(partition)
    wanted = head_key(partition)
    tail: list[SnapshotRecord] = []
    window = TAIL_RECORDS
    while True:
        start = max(begin, end - window)
        tail = [r async for chunk in snapshots.read(partition, start, end) for r in chunk]
        heads = [r for r in tail if r[1] == wanted]
        if heads:
            break
        if start <= begin:
            return None
        window *= 16
    head_offset, _, head_value = heads[-1]
    if head_value is None:
        return None  # deleted on purpose (a tombstone): no snapshot
    progress.bytes += len(head_value)
    head = decode_head(head_value, partition, keys)
    part_keys = {manifest_key(partition, head.manifest_slot, i): i for i in range(len(head.parts))}
    if head.manifest_offset < start:
        tail = [r async for chunk in snapshots.read(partition, head.manifest_offset, start) for r in chunk] + tail
    parts = {
        part_keys[k]: v
        for offset, k, v in tail
        if head.manifest_offset <= offset < head_offset and k in part_keys and v is not None
    }
    manifest_value, older_key = join_parts(head, parts, keys)
    progress.bytes += len(manifest_value)
    manifest = decode_manifest(manifest_value, partition)
    assembly = Assembly(head, manifest, tz, retention_days, keys, older_key=older_key or head.key_index > 0)
    async for chunk in snapshots.read(partition, head.first_offset, head.manifest_offset):
        for offset, key, value in chunk:
            assembly.feed(key, value, offset)
            progress.bytes += len(value or b"")
        progress.events = assembly.events
        await asyncio.sleep(0)  # let scrapes and heartbeats run
    loaded = assembly.finish()
    loaded.catalog.head_offset = head_offset
    return loaded


class Snapshots:
    """Writes and loads the snapshots of the partitions one worker owns (the pipeline's SnapshotSource)."""

    def __init__(
        self,
        settings: SnapshotSettings,
        snapshots: SnapshotLog,
        inputs: InputLog,
        metrics: SnapshotMetrics | None = None,
        writer_id: int | None = None,
        *,
        keys: SnapshotKeys,
    ) -> None:
        self.settings = settings
        self.keys = keys  # written with the first, accepted with any
        self.log = snapshots
        self.inputs = inputs
        self.metrics = metrics
        self.writer_id = writer_id if writer_id is not None else int.from_bytes(os.urandom(8), "little") >> 1
        self.generation = 0  # bumped by every revocation: writes begun before it do not commit
        self.writing = asyncio.Lock()  # one round of writes at a time; a revocation waits for it
        self.wanted = asyncio.Event()  # a round is wanted before the interval is up (after a full replay)
        self._loading: dict[int, Progress] = {}

    # -- loading -------------------------------------------------------------------------------

    async def restore(self, partition: int, slot: PartitionSlot) -> None:
        """Load the newest snapshot into a fresh slot; otherwise say why the partition is read from its start.

        Kafka errors propagate (the pipeline retries); only a snapshot that can never be used
        falls back to reading the input topic from its start.
        """
        restore = slot.restore
        if not self.settings.enabled:
            restore.reason, restore.tried = "disabled", True
            return
        progress = self._loading[partition] = Progress()
        try:
            loaded = await load_snapshot(
                self.log, partition, self.settings.tz, self.settings.retention_days, self.keys, progress
            )
            if loaded is not None:
                await self._check_same_log(partition, loaded.manifest)
        except Damaged as exc:
            log.warning(
                Line(
                    "log.snapshot_unusable",
                    partition=str(partition),
                    reason=exc.reason,
                    problem=str(exc),
                    days=self.settings.input_retention_days,
                )
            )
            restore.reason, restore.tried = exc.reason, True
            slot.catalog = Catalog(partition)
            return
        finally:
            restore.snapshot_bytes = progress.bytes
            if self._loading.get(partition) is progress:  # a restore of a newer slot may have begun meanwhile
                del self._loading[partition]
        restore.tried = True  # a Kafka error above leaves it False: the next attempt looks again
        if loaded is None:
            restore.reason = NO_SNAPSHOT
            slot.catalog = Catalog(partition)
            return
        manifest = loaded.manifest
        slot.aggregation = loaded.aggregation
        slot.next_offset = manifest.covered or None
        slot.fingerprint = manifest.fingerprint
        slot.catalog = loaded.catalog
        slot.snapshot_at = time.time()
        restore.path = "snapshot"
        restore.snapshot_events = loaded.events
        if loaded.catalog.older_key:
            log.info(Line("log.snapshot_old_key", partition=str(partition)))
        log.info(
            Line(
                "log.snapshot_loaded",
                partition=str(partition),
                seq=str(manifest.seq),
                events=loaded.events,
                size=restore.snapshot_bytes,
                days=len(manifest.entries),
                covered=str(manifest.covered),
            )
        )

    async def _check_same_log(self, partition: int, manifest: Manifest) -> None:
        """Damaged("other_log") unless the input partition still holds the log the snapshot was made from.

        The record the snapshot counted last must be there, unaltered, or gone by retention.
        End offsets are only used to confirm that a record is not there: some brokers report
        them too low (Tansu with compressed batches).
        """
        fp = manifest.fingerprint
        if fp is None:
            return
        record = await self.inputs.first_record_from(partition, fp.offset)
        if record is not None and record.offset == fp.offset:
            if record.timestamp_ms == fp.timestamp_ms and checksum(record.value or b"") == fp.crc:
                return
            raise Damaged(
                "other_log",
                f"the input record at offset {fp.offset} is not the one it counted last: the topic was recreated",
            )
        begin, end = await self.inputs.bounds(partition)
        if begin > fp.offset:  # deleted by retention: nothing to compare, but what came after it must be there
            if begin > manifest.covered:
                log.error(
                    Line("log.snapshot_gap", partition=str(partition), first=str(manifest.covered), last=str(begin - 1))
                )
            return
        if record is not None or end <= fp.offset:
            raise Damaged(
                "other_log",
                f"the input topic has no record at offset {fp.offset}, the last one it counted: the topic was "
                "recreated",
            )
        raise RuntimeError(f"the input record at offset {fp.offset} did not arrive; will try again")

    def restored(self, partition: int, slot: PartitionSlot) -> None:
        restore = slot.restore
        if restore.path == "full_replay" and restore.reason == "":
            restore.reason = NO_SNAPSHOT
        rekey = slot.catalog is not None and slot.catalog.older_key
        if (restore.path == "full_replay" or rekey) and self.settings.enabled:
            self.wanted.set()  # its first snapshot (or the first with the current key) now, not after the interval
        if self.metrics is not None:
            self.metrics.restored(restore.path, restore.reason)

    # -- writing -------------------------------------------------------------------------------

    def revoked(self) -> None:
        """A rebalance began: writes in flight must not commit."""
        self.generation += 1

    async def write(
        self, partition: int, slot: PartitionSlot, owned: Callable[[], bool], generation: int | None = None
    ) -> int:
        """Write a snapshot of the partition if anything changed since the last; return the bytes written.

        Fenced if a rebalance began since `generation` (by default: since this call), before the
        first record is sent or before the head: its records then go to slots no head points at.
        """
        generation = self.generation if generation is None else generation

        def check() -> None:
            if self.generation != generation or not owned():
                raise Fenced(f"partition {partition} was revoked")

        check()
        catalog = slot.catalog
        if catalog is None or not slot.ready.is_set() or slot.next_offset is None:
            return 0
        begin, end = await self.log.bounds(partition)
        async with slot.lock:
            aggregation = slot.aggregation
            if catalog.head_offset >= end or min((e.offset for e in catalog.entries.values()), default=begin) < begin:
                log.warning(Line("log.snapshot_gone", partition=str(partition)))
                catalog = slot.catalog = Catalog(partition, seq=catalog.seq)
                aggregation.unsaved.update((dept, day) for dept, day, _ in aggregation.days())
            if not aggregation.unsaved and catalog.covered == slot.next_offset and not catalog.older_key:
                return 0
            snapshot = SnapshotWrite(
                catalog,
                aggregation,
                covered=slot.next_offset,
                fingerprint=slot.fingerprint,
                writer=self.writer_id,
                keys=self.keys,
            )
        if len(snapshot.plan.write) >= LARGE_SNAPSHOT_BUCKETS:
            log.info(
                Line(
                    "log.snapshot_writing",
                    partition=str(partition),
                    seq=str(snapshot.plan.seq),
                    days=len(snapshot.plan.write),
                    megabytes=snapshot.bucket_bytes / 1e6,
                )
            )

        written = 0
        try:
            check()
            offsets = await self.log.send(partition, snapshot.records)
            written += snapshot.bucket_bytes
            snapshot.buckets_sent(offsets)
            check()
            parts = snapshot.manifest_records()
            snapshot.manifest_sent(await self.log.send(partition, [(k, v) for k, v in parts]))
            written += sum(len(v) for _, v in parts)
            check()
            head = snapshot.head_record(int(time.time() * 1000))
            (head_offset,) = await self.log.send(partition, [head])
            written += len(head[1])
        except BaseException:
            snapshot.abort()
            raise
        slot.catalog = snapshot.commit(head_offset)
        slot.snapshot_at = time.time()
        if self.metrics is not None:
            self.metrics.written(written)
        return written

    async def write_all(self, slots: Mapping[int, PartitionSlot]) -> int:
        """One round: a snapshot of every owned, restored partition that changed."""
        total = 0
        async with self.writing:
            generation = self.generation  # a rebalance during the round fences the rest of it
            for partition, slot in sorted(slots.items()):

                def owned(partition: int = partition, slot: PartitionSlot = slot) -> bool:
                    return slots.get(partition) is slot

                try:
                    total += await self.write(partition, slot, owned, generation)
                except Fenced:
                    log.info(Line("log.snapshot_revoked", partition=str(partition)))
                except Exception as exc:
                    if self.metrics is not None:
                        self.metrics.failed()
                    log.warning(
                        Line(
                            "log.snapshot_failed",
                            partition=str(partition),
                            error=type(exc).__name__,
                            problem=str(exc),
                            seconds=round(self.settings.interval_s),
                        )
                    )
        return total

    async def close(self) -> None:
        await self.log.close()

    def figures(self, slots: Mapping[int, PartitionSlot]) -> dict[int, RestoreFigures]:
        """Per owned partition: how it was restored and when its snapshot was last written or loaded."""
        out = {}
        for partition, slot in sorted(slots.items()):
            restore = slot.restore
            loading = self._loading.get(partition)
            snapshot_bytes = loading.bytes if loading else restore.snapshot_bytes
            events = (loading.events if loading else restore.snapshot_events) + restore.replayed_events
            catalog = slot.catalog
            covered = catalog.covered if catalog is not None and catalog.seq > 0 else None
            out[partition] = RestoreFigures(
                path=restore.path if slot.ready.is_set() else "restoring",
                reason=restore.reason,
                events=events,
                snapshot_bytes=snapshot_bytes,
                snapshot_at=slot.snapshot_at,
                behind=None if covered is None else max(0, (slot.next_offset or 0) - covered),
            )
        return out
