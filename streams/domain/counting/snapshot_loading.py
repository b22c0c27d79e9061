"""Loading a snapshot: the records a head and its manifest point at, collected in offset order and checked,
back into an Aggregation and the Catalog the next snapshot continues from.

A module of its own because reading back is where a damaged or forged snapshot is found: every
manifest part is checked against the head and every bucket against its manifest entry, each record's
tag against the snapshot keys, and whatever is missing, altered or not signed with a key refuses the
whole snapshot (`Damaged`), so the partition is counted again instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.snapshot_codec import Damaged, SnapshotKeys, checksum
from streams.domain.counting.snapshot_format import (
    BucketKey,
    Entry,
    Head,
    Manifest,
    bucket_key,
    decode_bucket,
    manifest_key,
)
from streams.domain.counting.snapshot_writing import Catalog


@dataclass
class Loaded:
    """A snapshot read back whole: the state, what it covers, and the catalog to continue from."""

    aggregation: Aggregation
    manifest: Manifest
    catalog: Catalog
    events: int


class Assembly:
    """Collects the records a manifest points at, as they are read in offset order, and checks them."""

    def __init__(
        self, head: Head, manifest: Manifest, tz: ZoneInfo, retention_days: int, keys: SnapshotKeys, *, older_key: bool
    ) -> None:
        """`older_key`: the head or a manifest part was signed with a key other than the first."""
        self.head = head
        self.manifest = manifest
        self.keys = keys
        self.older_key = older_key
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
        body, key_index = self.keys.opened(key, value, f"a bucket record of partition {self.head.partition}")
        restored = decode_bucket(body, self.head.partition, self.manifest.terms)
        if (restored.dept, restored.day) != bucket_key_:
            raise Damaged("checksum", f"a bucket record of partition {self.head.partition} is filed under another key")
        self.aggregation.put_restored(restored.dept, restored.day, restored.bucket)
        if key_index:  # signed with a key being rotated out: the next snapshot writes it with the first
            self.aggregation.unsaved.add(bucket_key_)
            self.older_key = True
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
            older_key=self.older_key,
        )
        return Loaded(aggregation, manifest, catalog, self.events)


def join_parts(head: Head, parts: Mapping[int, bytes], keys: SnapshotKeys) -> tuple[bytes, bool]:
    """The manifest from its parts (part number -> value), each checked against the head and its tag;
    and whether any part was signed with a key other than the first."""
    out = []
    older_key = False
    for number, (crc, length) in enumerate(head.parts):
        value = parts.get(number)
        what = f"part {number} of the manifest of partition {head.partition}"
        if value is None:
            raise Damaged("missing", f"{what} is missing")
        if len(value) != length or checksum(value) != crc:
            raise Damaged("checksum", f"{what} is altered")
        body, key_index = keys.opened(manifest_key(head.partition, head.manifest_slot, number), value, what)
        out.append(body)
        older_key |= key_index > 0
    return b"".join(out), older_key
