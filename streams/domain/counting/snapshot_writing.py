"""Writing a snapshot: which buckets it writes and into which slots (a pure plan), and the order its records
must reach the log (buckets, manifest parts, head), each step acknowledged before the next.

A module of its own because the crash-safety argument of snapshot_format.py lives here: a bucket
goes into the slot the committed head does not point at, tombstones only remove what no committed
head points at, and a snapshot is committed only once its head is acknowledged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import DepartmentKey
from streams.domain.counting.snapshot_codec import SnapshotKeys, checksum
from streams.domain.counting.snapshot_format import (
    BucketKey,
    Entry,
    Fingerprint,
    Head,
    Manifest,
    Terms,
    bucket_key,
    encode_bucket,
    encode_head,
    encode_manifest,
    head_key,
    manifest_key,
    manifest_parts,
)

REWRITE_SPAN = 2  # rewrite buckets whose records lie more than this many times the live records behind the head


@dataclass
class Catalog:
    """What the newest committed snapshot of a partition holds, as far as this worker knows."""

    partition: int
    terms: Terms = field(default_factory=Terms)
    entries: dict[BucketKey, Entry] = field(default_factory=dict)
    seq: int = 0  # of the newest committed snapshot; 0 before the first
    manifest_slot: int = 1  # so the first manifest goes to slot 0
    head_offset: int = -1
    tombstones: list[bytes] = field(default_factory=list)  # keys no committed head points at any more
    covered: int = -1  # the input offset the newest committed snapshot covers
    older_key: bool = False  # loaded with a key other than the first: the next snapshot signs it anew

    def rewrite_before(self) -> int:
        """Buckets whose records lie before this offset are rewritten by the next snapshot."""
        live = len(self.entries) + 2
        return self.head_offset - REWRITE_SPAN * live if self.head_offset >= 0 else -1


@dataclass
class Plan:
    """What one snapshot writes: buckets (into the slots the committed head does not use), tombstones."""

    seq: int
    write: dict[BucketKey, int]  # bucket -> slot it is written to
    keep: dict[BucketKey, Entry]  # unchanged buckets, as the committed head has them
    dropped: list[BucketKey]
    tombstones: list[bytes]
    cleared: set[BucketKey]  # buckets whose other slot is tombstoned by this snapshot


def plan_snapshot(
    catalog: Catalog, present: Mapping[DepartmentKey, Mapping[int, object]], unsaved: Iterable[BucketKey]
) -> Plan:
    """Decide which buckets a snapshot writes, and where; pure, so it can be tested against a simulated log."""

    def exists(key: BucketKey) -> bool:
        return key[1] in present.get(key[0], {})

    write: dict[BucketKey, int] = {}
    before = catalog.rewrite_before()
    candidates = set(unsaved) | {k for k, e in catalog.entries.items() if e.offset < before}
    for key in sorted(candidates):
        if exists(key):
            entry = catalog.entries.get(key)
            write[key] = 0 if entry is None else 1 - entry.slot
    dropped = sorted(k for k in catalog.entries if not exists(k))
    keep = {k: e for k, e in catalog.entries.items() if k not in write and exists(k)}
    p = catalog.partition
    cleared = {k for k, e in keep.items() if e.other_written}
    written = {bucket_key(p, slot, *k) for k, slot in write.items()}
    tombstones = [
        key
        for key in [*catalog.tombstones, *(bucket_key(p, 1 - keep[k].slot, *k) for k in sorted(cleared))]
        if key not in written  # a bucket dropped and made again: its new record must stay
    ]
    return Plan(catalog.seq + 1, write, keep, dropped, tombstones, cleared)


class SnapshotWrite:
    """One snapshot of a partition, in the order it must reach the log: tombstones and buckets,
    then the manifest parts, then the head.

    Made while the partition's state does not change (the caller holds its lock): the plan is
    made and the bucket records encoded at once. The caller sends each step's records, waits
    until the broker acknowledged every one, and reports their offsets before the next step.
    If anything fails, `abort` marks the buckets unsaved again; the committed head stays valid.
    """

    def __init__(
        self,
        catalog: Catalog,
        aggregation: Aggregation,
        *,
        covered: int,
        fingerprint: Fingerprint | None,
        writer: int,
        keys: SnapshotKeys,
    ) -> None:
        self.catalog = catalog
        self.keys = keys
        self.aggregation = aggregation
        self.unsaved = aggregation.take_unsaved()
        self.plan = plan_snapshot(catalog, aggregation.buckets, self.unsaved)
        self.covered = covered
        self.fingerprint = fingerprint
        self.writer = writer
        self.unpublished = aggregation.unpublished_buckets()  # not yet (known to be) published: the next owner does
        self.newest = aggregation.newest
        p, seq = catalog.partition, self.plan.seq
        self.records: list[tuple[bytes, bytes | None]] = [(key, None) for key in self.plan.tombstones]
        self._buckets: list[tuple[BucketKey, Entry]] = []
        for key, slot in self.plan.write.items():
            record_key = bucket_key(p, slot, *key)
            body = encode_bucket(p, seq, writer, key[0], key[1], aggregation.buckets[key[0]][key[1]], catalog.terms)
            value = keys.seal(record_key, body)
            self.records.append((record_key, value))
            self._buckets.append((key, Entry(slot, checksum(value), len(value), -1, key in catalog.entries)))
        self.entries: dict[BucketKey, Entry] = {}
        self.manifest_slot = 1 - catalog.manifest_slot
        self._parts: list[bytes] = []
        self._manifest_offset = -1

    @property
    def bucket_bytes(self) -> int:
        return sum(len(v) for _, v in self.records if v is not None)

    def buckets_sent(self, offsets: list[int]) -> None:
        """The offsets of `records`, in order, once every one is acknowledged."""
        bucket_offsets = offsets[len(self.plan.tombstones) :]
        self.entries = {
            k: (Entry(e.slot, e.crc, e.length, e.offset, False) if k in self.plan.cleared else e)
            for k, e in self.plan.keep.items()
        }
        for (key, entry), offset in zip(self._buckets, bucket_offsets, strict=True):
            self.entries[key] = Entry(entry.slot, entry.crc, entry.length, offset, entry.other_written)

    def manifest_records(self) -> list[tuple[bytes, bytes]]:
        manifest = Manifest(
            self.catalog.partition,
            self.plan.seq,
            self.writer,
            self.covered,
            self.fingerprint,
            self.newest,
            self.catalog.terms,
            self.entries,
            self.unpublished,
        )
        p = self.catalog.partition
        bodies = manifest_parts(encode_manifest(manifest))
        keys = [manifest_key(p, self.manifest_slot, i) for i in range(len(bodies))]
        self._parts = [self.keys.seal(key, body) for key, body in zip(keys, bodies, strict=True)]
        return list(zip(keys, self._parts, strict=True))

    def manifest_sent(self, offsets: list[int]) -> None:
        self._manifest_offset = offsets[0]

    def head_record(self, created_ms: int) -> tuple[bytes, bytes]:
        p = self.catalog.partition
        head = Head(
            partition=p,
            seq=self.plan.seq,
            writer=self.writer,
            first_offset=min((e.offset for e in self.entries.values()), default=self._manifest_offset),
            manifest_offset=self._manifest_offset,
            created_ms=created_ms,
            covered=self.covered,
            manifest_slot=self.manifest_slot,
            parts=tuple((checksum(part), len(part)) for part in self._parts),
        )
        return head_key(p), encode_head(head, self.keys)

    def commit(self, head_offset: int) -> Catalog:
        """The catalog once the head is acknowledged at `head_offset`: this snapshot is the newest."""
        old = self.catalog
        tombstones = []
        for key in self.plan.dropped:  # the previous head pointed at these: tombstoned from the next snapshot on
            entry = old.entries[key]
            tombstones.append(bucket_key(old.partition, entry.slot, *key))
            if entry.other_written:
                tombstones.append(bucket_key(old.partition, 1 - entry.slot, *key))
        return Catalog(
            old.partition,
            old.terms,
            self.entries,
            self.plan.seq,
            self.manifest_slot,
            head_offset,
            tombstones,
            self.covered,
        )

    def abort(self) -> None:
        """Not committed: the buckets it would have saved are unsaved again."""
        self.aggregation.unsaved |= self.unsaved
