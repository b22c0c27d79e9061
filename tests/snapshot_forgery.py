"""A snapshot forged as someone who can write to the snapshot topic would: the project's own encoder, every
count multiplied, every checksum recomputed, signed with a key of the forger's choice.

Shared by the unit tests (an in-memory log) and the integration tests (the real topic, written with a
plain Kafka client). Reading a snapshot needs no key (a tag is appended bytes); the helper reads with
the test's own keys only for brevity.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import TypeVar

from streams.domain.counting.day_buckets import SealedCells
from streams.domain.counting.snapshot_codec import SnapshotKeys, checksum
from streams.domain.counting.snapshot_format import (
    Entry,
    Head,
    decode_bucket,
    decode_head,
    decode_manifest,
    encode_bucket,
    encode_head,
    encode_manifest,
    head_key,
    manifest_key,
    manifest_parts,
)
from streams.domain.counting.snapshot_loading import join_parts

Record = tuple[int, bytes | None, bytes | None]  # offset, key, value
K = TypeVar("K")
Append = Callable[[list[tuple[bytes, bytes]]], list[int]]  # writes records in order, returns their offsets


def forge_times(
    records: Sequence[Record],
    partition: int,
    *,
    factor: int,
    read_with: SnapshotKeys,
    sign_with: SnapshotKeys,
    append: Append,
) -> int:
    """Append a snapshot of `partition` whose counts are the newest one's × `factor`; return the inquiries it claims."""
    head_offset, _, head_value = [r for r in records if r[1] == head_key(partition)][-1]
    assert head_value is not None
    head = decode_head(head_value, partition, read_with)
    by_offset = {offset: (key, value) for offset, key, value in records}
    parts = {}
    for number in range(len(head.parts)):
        wanted = manifest_key(partition, head.manifest_slot, number)
        parts[number] = next(
            v
            for o, (k, v) in sorted(by_offset.items())
            if head.manifest_offset <= o < head_offset and k == wanted and v
        )
    manifest = decode_manifest(join_parts(head, parts, read_with)[0], partition)

    forged: list[tuple[bytes, bytes]] = []
    claimed = 0
    for (dept, day), entry in sorted(manifest.entries.items()):
        prefix = f"b/{partition}/{entry.slot}/{dept[0]}/{dept[1]}/".encode()
        key, value = next(
            (k, v)
            for o, (k, v) in sorted(by_offset.items())
            if k is not None and v and k.startswith(prefix) and len(v) == entry.length and checksum(v) == entry.crc
        )
        restored = decode_bucket(read_with.opened(key, value, "a bucket record")[0], partition, manifest.terms)
        assert (restored.dept, restored.day) == (dept, day)
        cells = restored.bucket.cells
        assert isinstance(cells, SealedCells)
        cells.counts = array("I", (n * factor for n in cells.counts))
        claimed += sum(cells.counts)
        bucket = restored.bucket
        bucket.channels, bucket.completions, bucket.service = (
            times(bucket.channels, factor),
            times(bucket.completions, factor),
            times(bucket.service, factor),
        )
        body = encode_bucket(partition, manifest.seq + 1, 1, dept, day, restored.bucket, manifest.terms)
        forged.append((key, sign_with.seal(key, body)))
    offsets = append(forged)
    manifest.entries = {
        bucket: Entry(entry.slot, checksum(value), len(value))
        for (bucket, entry), (_, value) in zip(sorted(manifest.entries.items()), forged, strict=True)
    }
    manifest.seq += 1
    sealed_parts = [
        sign_with.seal(manifest_key(partition, head.manifest_slot, i), body)
        for i, body in enumerate(manifest_parts(encode_manifest(manifest)))
    ]
    part_offsets = append([(manifest_key(partition, head.manifest_slot, i), p) for i, p in enumerate(sealed_parts)])
    forged_head = Head(
        partition,
        manifest.seq,
        head.writer,
        min(offsets, default=part_offsets[0]),
        part_offsets[0],
        head.created_ms + 1,
        head.covered,
        head.manifest_slot,
        tuple((checksum(p), len(p)) for p in sealed_parts),
    )
    append([(head_key(partition), encode_head(forged_head, sign_with))])
    return claimed


def times(counts: dict[K, int], factor: int) -> dict[K, int]:
    return {key: n * factor for key, n in counts.items()}
