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

Every record ends with an HMAC-SHA256 tag over its key and bytes (snapshot_codec.SnapshotKeys):
the bucket records and manifest parts as written (their checksums and lengths in the manifest and
the head are of the sealed record), the head with its own checksum after the tag.

Crash safety under compaction: each bucket and the manifest have two slots, and a snapshot
writes a changed bucket into the slot the newest committed head does NOT point at. Compaction
keeps the newest record of each key, and no record newer than the head has the key of a
record the head points at, so nothing the newest head points at can be compacted away, and a
kill -9 between bucket records and head leaves the previous head and all its records intact.
A head is committed when it is written; readers check every record against its checksum,
length and tag and reject a snapshot with one missing, altered, not made with a snapshot key or
of an unknown format (see Damaged). Only records with valid tags are ever used, so someone
without a key can at most replay whole older snapshots of this deployment: their state plus
the input read from the offset they cover is still the exact count.

Only buckets that changed since the last snapshot are written; unchanged ones keep their
entry. So that a reader never has to read far, a snapshot also rewrites the buckets whose
records lie far behind the head (see snapshot_writing.Catalog.rewrite_before): compaction removes superseded
records on Kafka, but a broker that never compacts would otherwise make reading grow with
the number of snapshots ever written.

This module is the format: the keys and the three record kinds, encoded and decoded. Beside it:
snapshot_codec.py (the primitive encoding and `Damaged`), snapshot_writing.py (which buckets a
snapshot writes, and in what order) and snapshot_loading.py (a snapshot read back and checked).
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from streams.domain.counting.day_buckets import (
    Cell,
    DayBucket,
    DepartmentKey,
    SealedCells,
    cell_id,
    cell_of,
    shared_key,
)
from streams.domain.counting.identities import Identities
from streams.domain.counting.snapshot_codec import (
    BUCKET,
    FORMAT_VERSION,
    HEAD,
    MANIFEST,
    PREFIX,
    Damaged,
    Reader,
    SnapshotKeys,
    Writer,
    checksum,
    le,
    read_arrays,
    read_prefix,
)
from streams.domain.events.messages import InputRecord

PART_BYTES = 512 * 1024  # a manifest part stays well below Kafka's default 1 MB message limit

BucketKey = tuple[DepartmentKey, int]  # (department, day)
Pair = tuple[str, str | None]  # a projection key: (channel, direction), (channel, completion), (kind, task)


# -- keys ------------------------------------------------------------------------------------


def head_key(partition: int) -> bytes:
    return f"h/{partition}".encode()


def manifest_key(partition: int, slot: int, part: int) -> bytes:
    return f"m/{partition}/{slot}/{part}".encode()


def bucket_key(partition: int, slot: int, dept: DepartmentKey, day: int) -> bytes:
    return f"b/{partition}/{slot}/{dept[0]}/{dept[1]}/{date.fromordinal(day).isoformat()}".encode()


# -- terms: cells and service keys by number ------------------------------------------------------


class Terms:
    """The cells and projection keys one partition's bucket records refer to by number.

    Cells are interned per process (day_buckets.py), so their process-local ids cannot be
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
    out = Writer()
    out.parts.append(PREFIX.pack(BUCKET, FORMAT_VERSION, partition, seq, writer))
    out.pack("i", day)
    out.text(dept[0])
    out.text(dept[1])
    cells = bucket.cells
    identities = bucket.seen.sorted_array()
    projections = (bucket.channels, bucket.completions, bucket.service)
    out.parts.append(_COUNTS.pack(len(cells), *(len(p) for p in projections), len(identities)))
    out.parts.append(le(terms.cell_numbers(cells)))
    out.parts.append(le(cells.counts if isinstance(cells, SealedCells) else array("I", cells.values())))
    for projection in projections:
        out.parts.append(le(array("I", map(terms.pair_number, projection))))
        out.parts.append(le(array("I", projection.values())))
    out.parts.append(le(identities))
    return out.bytes()


@dataclass(frozen=True)
class RestoredBucket:
    dept: DepartmentKey
    day: int
    bucket: DayBucket
    events: int  # identities: one per event counted


def decode_bucket(value: bytes | memoryview, partition: int, terms: Terms) -> RestoredBucket:
    what = f"bucket record of partition {partition}"
    reader = Reader(value, what)
    read_prefix(reader, BUCKET, partition)
    (day,) = reader.unpack("i")
    dept = (reader.required_text(), reader.required_text())
    n_cells, n_channels, n_completions, n_service, n_identities = reader.unpack("5I")
    pairs = [("I", n) for n in (n_cells, n_channels, n_completions, n_service) for _ in range(2)]
    layout = (*pairs, ("q", n_identities))
    numbers, counts, *projected, identities = read_arrays(reader.data, reader.at, layout, what)
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


def fingerprint_of(record: InputRecord) -> Fingerprint:
    return Fingerprint(record.offset, record.timestamp_ms, checksum(record.value or b""))


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
    out = Writer()
    out.parts.append(PREFIX.pack(MANIFEST, FORMAT_VERSION, manifest.partition, manifest.seq, manifest.writer))
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


def decode_manifest(value: bytes | memoryview, partition: int) -> Manifest:
    what = f"manifest of partition {partition}"
    reader = Reader(value, what)
    seq, writer = read_prefix(reader, MANIFEST, partition)
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
    parts: tuple[tuple[int, int], ...]  # (checksum, length) of each sealed manifest part
    key_index: int = field(default=0, compare=False)  # read back: which snapshot key its tag was made with


def encode_head(head: Head, keys: SnapshotKeys) -> bytes:
    """The head sealed with the first key, then a checksum of it all (damage is told from forgery)."""
    out = Writer()
    out.parts.append(PREFIX.pack(HEAD, FORMAT_VERSION, head.partition, head.seq, head.writer))
    out.pack("qqqq", head.first_offset, head.manifest_offset, head.created_ms, head.covered)
    out.pack("BH", head.manifest_slot, len(head.parts))
    for crc, length in head.parts:
        out.pack("II", crc, length)
    sealed = keys.seal(head_key(head.partition), out.bytes())
    return sealed + struct.pack("<I", checksum(sealed))


def decode_head(value: bytes, partition: int, keys: SnapshotKeys) -> Head:
    what = f"snapshot head of partition {partition}"
    version = PREFIX.unpack_from(value)[1] if value[:4] == HEAD and len(value) >= PREFIX.size else None
    if version is not None and version != FORMAT_VERSION:  # another format may place its checksum elsewhere
        raise Damaged("format", f"{what} has format version {version}; this release reads {FORMAT_VERSION}")
    if len(value) < 4 or struct.unpack("<I", value[-4:])[0] != checksum(value[:-4]):
        raise Damaged("checksum", f"{what} does not match its checksum")
    body, key_index = keys.opened(head_key(partition), value[:-4], what)
    reader = Reader(body, what)
    seq, writer = read_prefix(reader, HEAD, partition)
    first, manifest_offset, created, covered = reader.unpack("qqqq")
    slot, n_parts = reader.unpack("BH")
    parts = tuple((crc, length) for crc, length in (reader.unpack("II") for _ in range(n_parts)))
    reader.end()
    return Head(partition, seq, writer, first, manifest_offset, created, covered, slot, parts, key_index)
