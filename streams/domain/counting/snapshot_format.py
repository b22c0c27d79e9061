"""Snapshots of one input partition's counted state, as bytes (nothing here knows Kafka).

A worker writes the settled state of each partition it owns to a compacted topic, so that
the next owner loads it and replays the input topic only from the offset it covers, instead
of from the start. Three kinds of record, all in the snapshot topic's partition with the
number of the input partition:

- bucket   key ``b/<partition>/<slot>/<municipality>/<department>/<day>``: one department-day,
           its cells and service counts by number (see Terms) and its sorted 64-bit identities;
- manifest key ``m/<partition>/<slot>/<part>``: the manifest, in parts of at most PART_BYTES:
           the covered input offset, the terms, and one entry (slot, checksum, length) per bucket;
- head     key ``h/<partition>``: written last, once everything it points at is acknowledged:
           which manifest slot and parts (with checksums), and where to start reading buckets.

Crash safety under compaction: each bucket and the manifest have two slots, and a snapshot
writes a changed bucket into the slot the newest committed head does NOT point at. Compaction
keeps the newest record of each key, and no record newer than the head has the key of a
record the head points at, so nothing the newest head points at can be compacted away, and a
kill -9 between bucket records and head leaves the previous head and all its records intact.
A head is committed when it is written; readers check every record against its checksum and
length and reject a snapshot with one missing, altered or of an unknown format (see Damaged).

Only buckets that changed since the last snapshot are written; unchanged ones keep their
entry. So that a reader never has to read far, a snapshot also rewrites the buckets whose
records lie far behind the head (see Catalog.rewrite_before): compaction removes superseded
records on Kafka, but a broker that never compacts would otherwise make reading grow with
the number of snapshots ever written.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from streams.domain.counting.aggregation import (
    Aggregation,
    Cell,
    DayBucket,
    DepartmentKey,
    SealedCells,
    cell_id,
    cell_of,
    shared_key,
)
from streams.domain.counting.identities import Identities
from streams.domain.events.messages import InputRecord

FORMAT_VERSION = 1
PART_BYTES = 512 * 1024  # a manifest part stays well below Kafka's default 1 MB message limit
REWRITE_SPAN = 2  # rewrite buckets whose records lie more than this many times the live records behind the head

BucketKey = tuple[DepartmentKey, int]  # (department, day)
Pair = tuple[str, str | None]  # a projection key: (channel, direction), (channel, completion), (kind, task)
_BUCKET, _MANIFEST, _HEAD = b"KHSB", b"KHSM", b"KHSH"  # magic of each record kind
_PREFIX = struct.Struct("<4sHIQQ")  # magic, format version, partition, snapshot sequence, writer
_BIG_ENDIAN = sys.byteorder == "big"


# Why a partition is counted again from the start of the input topic (the `reason` of
# komhen_restores_total{path="full_replay"}): no snapshot yet, or one of the ways a snapshot is unusable.
NO_SNAPSHOT = "no_snapshot"
DAMAGE_REASONS = ("checksum", "format", "missing", "other_log", "partition", "truncated")


class Damaged(ValueError):
    """A snapshot that cannot be used; `reason` is a short word for the metric label (DAMAGE_REASONS)."""

    def __init__(self, reason: str, message: str) -> None:
        assert reason in DAMAGE_REASONS, reason
        super().__init__(message)
        self.reason = reason


def checksum(value: bytes) -> int:
    return zlib.crc32(value)


# -- keys ------------------------------------------------------------------------------------


def head_key(partition: int) -> bytes:
    return f"h/{partition}".encode()


def manifest_key(partition: int, slot: int, part: int) -> bytes:
    return f"m/{partition}/{slot}/{part}".encode()


def bucket_key(partition: int, slot: int, dept: DepartmentKey, day: int) -> bytes:
    return f"b/{partition}/{slot}/{dept[0]}/{dept[1]}/{date.fromordinal(day).isoformat()}".encode()


# -- primitive encoding ------------------------------------------------------------------------


def _le(values: array[int]) -> bytes:
    """Array bytes in little-endian order whatever the machine's."""
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


class _Writer:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def pack(self, fmt: str, *values: object) -> None:
        self.parts.append(struct.pack("<" + fmt, *values))

    def text(self, value: str | None) -> None:
        if value is None:
            self.parts.append(b"\xff\xff")
            return
        raw = value.encode()
        if len(raw) >= 0xFFFF:
            raise ValueError(f"text of {len(raw)} bytes is too long for a snapshot (at most 65534)")
        self.parts.append(struct.pack("<H", len(raw)) + raw)

    def array(self, values: array[int]) -> None:
        self.parts.append(struct.pack("<I", len(values)))
        self.parts.append(_le(values))

    def bytes(self) -> bytes:
        return b"".join(self.parts)


class _Reader:
    def __init__(self, data: bytes, what: str) -> None:
        self.data = memoryview(data)
        self.at = 0
        self.what = what

    def unpack(self, fmt: str) -> tuple[int, ...]:
        fmt = "<" + fmt
        try:
            values = struct.unpack_from(fmt, self.data, self.at)
        except struct.error:
            raise Damaged("truncated", f"{self.what} ends early") from None
        self.at += struct.calcsize(fmt)
        return values

    def text(self) -> str | None:
        (n,) = self.unpack("H")
        if n == 0xFFFF:
            return None
        if self.at + n > len(self.data):
            raise Damaged("truncated", f"{self.what} ends early")
        raw = bytes(self.data[self.at : self.at + n])
        self.at += n
        try:
            return raw.decode()
        except UnicodeDecodeError:
            raise Damaged("checksum", f"{self.what} holds text that is not UTF-8") from None

    def required_text(self) -> str:
        value = self.text()
        if value is None:
            raise Damaged("checksum", f"{self.what} lacks a required text")
        return value

    def array(self, typecode: str) -> array[int]:
        (n,) = self.unpack("I")
        out = array(typecode)
        size = n * out.itemsize
        if self.at + size > len(self.data):
            raise Damaged("truncated", f"{self.what} ends early")
        out.frombytes(self.data[self.at : self.at + size])
        self.at += size
        if _BIG_ENDIAN:
            out.byteswap()
        return out

    def end(self) -> None:
        if self.at != len(self.data):
            raise Damaged("checksum", f"{self.what} has {len(self.data) - self.at} bytes too many")


def _prefix(reader: _Reader, magic: bytes, partition: int) -> tuple[int, int]:
    """Check the magic, format and partition of a record; return its (sequence, writer)."""
    if bytes(reader.data[:4]) != magic:
        raise Damaged("format", f"{reader.what} is not a snapshot record of this kind")
    _, version, part, seq, writer = reader.unpack("4sHIQQ")
    if version != FORMAT_VERSION:
        raise Damaged("format", f"{reader.what} has format version {version}; this release reads {FORMAT_VERSION}")
    if part != partition:
        raise Damaged("partition", f"{reader.what} belongs to partition {part}, not {partition}")
    return int(seq), int(writer)


# -- terms: cells and service keys by number ------------------------------------------------------


class Terms:
    """The cells and projection keys one partition's bucket records refer to by number.

    Cells are interned per process (aggregation.py), so their process-local ids cannot be
    stored. Each partition keeps its own append-only numbering, written in every manifest;
    a bucket record written by an earlier snapshot stays valid because numbers never change.
    A day loaded from a snapshot keeps its cell numbers and reads them through `cells`.
    Pairs are the keys of the projections: (channel, direction), (channel, completion) and
    the service keys (kind, task).
    """

    def __init__(self, cells: Iterable[Cell] = (), pairs: Iterable[Pair] = ()) -> None:
        self.cells: list[Cell] = []
        self.pairs: list[Pair] = []
        self._number: dict[int, int] = {}  # process-local cell id -> number
        self._pair_number: dict[Pair, int] = {}
        for cell in cells:
            self.cell_number(cell_id(cell))
        for pair in pairs:
            self.pair_number(pair)

    def cell_number(self, local: int) -> int:
        number = self._number.get(local)
        if number is None:
            number = self._number[local] = len(self.cells)
            self.cells.append(cell_of(local))
        return number

    def pair_number(self, pair: Pair) -> int:
        number = self._pair_number.get(pair)
        if number is None:
            number = self._pair_number[pair] = len(self.pairs)
            self.pairs.append(shared_key(pair))
        return number

    def cell_numbers(self, cells: Mapping[Cell, int]) -> array[int]:
        if isinstance(cells, SealedCells) and cells.table is self.cells:
            return cells.ids  # loaded from this partition's snapshot: already numbered so
        number = self.cell_number
        return array("I", (number(cell_id(cell)) for cell in cells))

    def check_cells(self, numbers: array[int], what: str) -> None:
        if numbers and max(numbers) >= len(self.cells):
            raise Damaged("checksum", f"{what} refers to a cell the manifest does not list")

    def projection(self, numbers: array[int], counts: array[int], what: str) -> dict[Any, int]:
        if len(numbers) != len(counts):
            raise Damaged("checksum", f"{what} has keys and counts of different lengths")
        try:
            return dict(zip(map(self.pairs.__getitem__, numbers), counts, strict=True))
        except IndexError:
            raise Damaged("checksum", f"{what} refers to a key the manifest does not list") from None


# -- bucket records ----------------------------------------------------------------------------


_COUNTS = struct.Struct("<5I")  # cells, channels, completions, service keys, identities


def encode_bucket(
    partition: int, seq: int, writer: int, dept: DepartmentKey, day: int, bucket: DayBucket, terms: Terms
) -> bytes:
    """A bucket record: the lengths first, then counts by term number and identities sorted (8 bytes each)."""
    out = _Writer()
    out.parts.append(_PREFIX.pack(_BUCKET, FORMAT_VERSION, partition, seq, writer))
    out.pack("i", day)
    out.text(dept[0])
    out.text(dept[1])
    cells = bucket.cells
    identities = bucket.seen.sorted_array()
    projections = (bucket.channels, bucket.completions, bucket.service)
    out.parts.append(_COUNTS.pack(len(cells), *(len(p) for p in projections), len(identities)))
    out.parts.append(_le(terms.cell_numbers(cells)))
    out.parts.append(_le(cells.counts if isinstance(cells, SealedCells) else array("I", cells.values())))
    for projection in projections:
        out.parts.append(_le(array("I", map(terms.pair_number, projection))))
        out.parts.append(_le(array("I", projection.values())))
    out.parts.append(_le(identities))
    return out.bytes()


@dataclass(frozen=True)
class RestoredBucket:
    dept: DepartmentKey
    day: int
    bucket: DayBucket
    events: int  # identities: one per event counted


def _arrays(data: memoryview, at: int, layout: tuple[tuple[str, int], ...], what: str) -> list[array[int]]:
    out = []
    for typecode, n in layout:
        values = array(typecode)
        end = at + n * values.itemsize
        if end > len(data):
            raise Damaged("truncated", f"{what} ends early")
        values.frombytes(data[at:end])
        if _BIG_ENDIAN:
            values.byteswap()
        out.append(values)
        at = end
    if at != len(data):
        raise Damaged("checksum", f"{what} has {len(data) - at} bytes too many")
    return out


def decode_bucket(value: bytes, partition: int, terms: Terms) -> RestoredBucket:
    what = f"bucket record of partition {partition}"
    reader = _Reader(value, what)
    _prefix(reader, _BUCKET, partition)
    (day,) = reader.unpack("i")
    dept = (reader.required_text(), reader.required_text())
    n_cells, n_channels, n_completions, n_service, n_identities = reader.unpack("5I")
    pairs = [("I", n) for n in (n_cells, n_channels, n_completions, n_service) for _ in range(2)]
    layout = (*pairs, ("q", n_identities))
    numbers, counts, *projected, identities = _arrays(reader.data, reader.at, layout, what)
    terms.check_cells(numbers, what)
    cells = SealedCells.from_arrays(numbers, counts, terms.cells)
    channels, completions, service = (terms.projection(projected[i], projected[i + 1], what) for i in (0, 2, 4))
    bucket = DayBucket.restored(cells, channels, completions, service, Identities.from_sorted(identities))
    return RestoredBucket(dept, day, bucket, n_identities)


# -- manifest ------------------------------------------------------------------------------------


class Entry(NamedTuple):
    """Where the newest committed snapshot keeps one bucket, and how to recognise it."""

    slot: int
    crc: int
    length: int
    offset: int = -1  # in the snapshot partition (known to the writer and, after reading, the reader)
    other_written: bool = False  # the other slot holds an older record, to be tombstoned once unreferenced


@dataclass(frozen=True)
class Fingerprint:
    """The last input record a snapshot covers, to tell the same log from a recreated one."""

    offset: int
    timestamp_ms: int
    crc: int


@dataclass
class Manifest:
    partition: int
    seq: int
    writer: int
    covered: int  # the input offset the state covers: every record below it is counted
    fingerprint: Fingerprint | None
    newest: datetime | None
    terms: Terms
    entries: dict[BucketKey, Entry]
    unpublished: set[BucketKey]  # buckets whose summaries were not yet published when it was written


def _form_byte(form: bool | None) -> int:
    return 0 if form is None else 2 if form else 1


def encode_manifest(manifest: Manifest) -> bytes:
    out = _Writer()
    out.parts.append(_PREFIX.pack(_MANIFEST, FORMAT_VERSION, manifest.partition, manifest.seq, manifest.writer))
    fp = manifest.fingerprint or Fingerprint(-1, 0, 0)
    out.pack("qqqI", manifest.covered, fp.offset, fp.timestamp_ms, fp.crc)
    out.text(manifest.newest.isoformat() if manifest.newest else None)
    out.pack("I", len(manifest.terms.cells))
    for cell in manifest.terms.cells:
        for text in cell[:5]:
            out.text(text)
        out.pack("B", _form_byte(cell.form))
    out.pack("I", len(manifest.terms.pairs))
    for first, second in manifest.terms.pairs:
        out.text(first)
        out.text(second)
    depts: dict[DepartmentKey, int] = {}
    for dept, _ in (*manifest.entries, *manifest.unpublished):
        depts.setdefault(dept, len(depts))
    out.pack("I", len(depts))
    for municipality, department in depts:
        out.text(municipality)
        out.text(department)
    keys = sorted(manifest.entries)
    entries = [manifest.entries[k] for k in keys]
    out.array(array("I", (depts[dept] for dept, _ in keys)))
    out.array(array("i", (day for _, day in keys)))
    out.array(array("B", (e.slot for e in entries)))
    out.array(array("I", (e.crc for e in entries)))
    out.array(array("I", (e.length for e in entries)))
    unpublished = sorted(manifest.unpublished)
    out.array(array("I", (depts[dept] for dept, _ in unpublished)))
    out.array(array("i", (day for _, day in unpublished)))
    return out.bytes()


def decode_manifest(value: bytes, partition: int) -> Manifest:
    what = f"manifest of partition {partition}"
    reader = _Reader(value, what)
    seq, writer = _prefix(reader, _MANIFEST, partition)
    covered, fp_offset, fp_timestamp, fp_crc = reader.unpack("qqqI")
    newest_text = reader.text()
    (n_cells,) = reader.unpack("I")
    cells = []
    for _ in range(n_cells):
        texts = [reader.text() for _ in range(5)]
        (form,) = reader.unpack("B")
        if texts[0] is None or texts[1] is None or form > 2:
            raise Damaged("checksum", f"{what} lists a cell without channel or direction")
        cells.append(Cell(texts[0], texts[1], texts[2], texts[3], texts[4], None if form == 0 else form == 2))
    (n_pairs,) = reader.unpack("I")
    pairs = [(reader.required_text(), reader.text()) for _ in range(n_pairs)]
    (n_depts,) = reader.unpack("I")
    depts = [(reader.required_text(), reader.required_text()) for _ in range(n_depts)]
    dept_numbers, days, slots = reader.array("I"), reader.array("i"), reader.array("B")
    crcs, lengths = reader.array("I"), reader.array("I")
    unpublished_depts, unpublished_days = reader.array("I"), reader.array("i")
    reader.end()
    if not len(dept_numbers) == len(days) == len(slots) == len(crcs) == len(lengths) or len(unpublished_depts) != len(
        unpublished_days
    ):
        raise Damaged("checksum", f"{what} has entry columns of different lengths")
    try:
        entries = {
            (depts[d], day): Entry(slot, crc, length)
            for d, day, slot, crc, length in zip(dept_numbers, days, slots, crcs, lengths, strict=True)
        }
        unpublished = {(depts[d], day) for d, day in zip(unpublished_depts, unpublished_days, strict=True)}
    except IndexError:
        raise Damaged("checksum", f"{what} refers to a department it does not list") from None
    if any(slot > 1 for slot in slots):
        raise Damaged("checksum", f"{what} names a slot other than 0 or 1")
    return Manifest(
        partition=partition,
        seq=seq,
        writer=writer,
        covered=covered,
        fingerprint=None if fp_offset < 0 else Fingerprint(fp_offset, fp_timestamp, fp_crc),
        newest=datetime.fromisoformat(newest_text) if newest_text else None,
        terms=Terms(cells, pairs),
        entries=entries,
        unpublished=unpublished,
    )


def manifest_parts(value: bytes) -> list[bytes]:
    return [value[i : i + PART_BYTES] for i in range(0, len(value), PART_BYTES)] or [b""]


# -- head -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    partition: int
    seq: int
    writer: int
    first_offset: int  # the oldest bucket record it points at: reading starts here
    manifest_offset: int  # the first manifest part
    created_ms: int
    covered: int
    manifest_slot: int
    parts: tuple[tuple[int, int], ...]  # (checksum, length) of each manifest part


def encode_head(head: Head) -> bytes:
    out = _Writer()
    out.parts.append(_PREFIX.pack(_HEAD, FORMAT_VERSION, head.partition, head.seq, head.writer))
    out.pack("qqqq", head.first_offset, head.manifest_offset, head.created_ms, head.covered)
    out.pack("BH", head.manifest_slot, len(head.parts))
    for crc, length in head.parts:
        out.pack("II", crc, length)
    body = out.bytes()
    return body + struct.pack("<I", checksum(body))


def decode_head(value: bytes, partition: int) -> Head:
    what = f"snapshot head of partition {partition}"
    if len(value) < 4 or struct.unpack("<I", value[-4:])[0] != checksum(value[:-4]):
        version = _PREFIX.unpack_from(value)[1] if value[:4] == _HEAD and len(value) >= _PREFIX.size else None
        if version is not None and version != FORMAT_VERSION:  # a later format may place its checksum elsewhere
            raise Damaged("format", f"{what} has format version {version}; this release reads {FORMAT_VERSION}")
        raise Damaged("checksum", f"{what} does not match its checksum")
    reader = _Reader(value[:-4], what)
    seq, writer = _prefix(reader, _HEAD, partition)
    first, manifest_offset, created, covered = reader.unpack("qqqq")
    slot, n_parts = reader.unpack("BH")
    parts = tuple((crc, length) for crc, length in (reader.unpack("II") for _ in range(n_parts)))
    reader.end()
    return Head(partition, seq, writer, first, manifest_offset, created, covered, slot, parts)


# -- the writer's and reader's view of the newest committed snapshot ----------------------------


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
    ) -> None:
        self.catalog = catalog
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
            value = encode_bucket(p, seq, writer, key[0], key[1], aggregation.buckets[key[0]][key[1]], catalog.terms)
            self.records.append((bucket_key(p, slot, *key), value))
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
        self._parts = manifest_parts(encode_manifest(manifest))
        p = self.catalog.partition
        return [(manifest_key(p, self.manifest_slot, i), part) for i, part in enumerate(self._parts)]

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
        return head_key(p), encode_head(head)

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


# -- reading ----------------------------------------------------------------------------------


@dataclass
class Loaded:
    """A snapshot read back whole: the state, what it covers, and the catalog to continue from."""

    aggregation: Aggregation
    manifest: Manifest
    catalog: Catalog
    events: int


class Assembly:
    """Collects the records a manifest points at, as they are read in offset order, and checks them."""

    def __init__(self, head: Head, manifest: Manifest, tz: ZoneInfo, retention_days: int) -> None:
        self.head = head
        self.manifest = manifest
        p = head.partition
        self.expected: dict[bytes, tuple[BucketKey, Entry]] = {
            bucket_key(p, e.slot, *k): (k, e) for k, e in manifest.entries.items()
        }
        self.found: dict[BucketKey, Entry] = {}
        self.aggregation = Aggregation(tz, retention_days)
        self.events = 0

    def feed(self, key: bytes | None, value: bytes | None, offset: int) -> None:
        """One record between the head's first offset and its manifest, in offset order."""
        if key is None or value is None:
            return
        expected = self.expected.get(key)
        if expected is None:
            return
        bucket_key_, entry = expected
        if len(value) != entry.length or checksum(value) != entry.crc:
            return  # an older record of the same slot; the one the manifest means comes later
        restored = decode_bucket(value, self.head.partition, self.manifest.terms)
        if (restored.dept, restored.day) != bucket_key_:
            raise Damaged("checksum", f"a bucket record of partition {self.head.partition} is filed under another key")
        self.aggregation.put_restored(restored.dept, restored.day, restored.bucket)
        self.events += restored.events
        self.found[bucket_key_] = Entry(entry.slot, entry.crc, entry.length, offset, False)
        del self.expected[key]

    def finish(self) -> Loaded:
        if self.expected:
            key = next(iter(self.expected))
            raise Damaged(
                "missing",
                f"{len(self.expected)} bucket records the manifest of partition {self.head.partition} points at "
                f"are missing or altered (e.g. {key.decode(errors='replace')})",
            )
        manifest = self.manifest
        aggregation = self.aggregation
        aggregation.index_identities()
        aggregation.newest = manifest.newest
        aggregation.changed = set(manifest.unpublished)
        catalog = Catalog(
            self.head.partition,
            manifest.terms,
            dict(self.found),  # the other slots are not known: left for compaction once a bucket is rewritten
            manifest.seq,
            self.head.manifest_slot,
            -1,  # set by the reader, which knows the head's offset
            covered=manifest.covered,
        )
        return Loaded(aggregation, manifest, catalog, self.events)


def fingerprint_of(record: InputRecord) -> Fingerprint:
    return Fingerprint(record.offset, record.timestamp_ms, checksum(record.value or b""))


def join_parts(head: Head, parts: Mapping[int, bytes]) -> bytes:
    """The manifest from its parts (part number -> value), each checked against the head."""
    out = []
    for number, (crc, length) in enumerate(head.parts):
        value = parts.get(number)
        if value is None:
            raise Damaged("missing", f"part {number} of the manifest of partition {head.partition} is missing")
        if len(value) != length or checksum(value) != crc:
            raise Damaged("checksum", f"part {number} of the manifest of partition {head.partition} is altered")
        out.append(value)
    return b"".join(out)
