"""Snapshot records as bytes: a partition's state survives the round trip exactly, and damage is seen.

Pure: buckets, manifest and head are encoded and decoded without a broker. The crash and
compaction behaviour of whole snapshots is tested against an in-memory log in
test_snapshot_log.py, and against the real broker in tests/integration/worker/test_snapshots.py.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.domain.counting.aggregation import Added, Aggregation
from streams.domain.counting.identities import identity
from streams.domain.counting.snapshot_codec import FORMAT_VERSION, Damaged, SnapshotKeys, checksum
from streams.domain.counting.snapshot_format import (
    Fingerprint,
    Head,
    Manifest,
    Terms,
    decode_bucket,
    decode_head,
    decode_manifest,
    encode_bucket,
    encode_head,
    encode_manifest,
    manifest_key,
    manifest_parts,
)
from streams.domain.counting.snapshot_loading import Assembly, Loaded, join_parts
from streams.domain.counting.snapshot_writing import Catalog, SnapshotWrite
from streams.domain.counting.windows import local_day
from streams.domain.events.inquiry import InquiryEvent
from streams.domain.events.service import ServiceEvent, ServiceKind
from tests.fixtures.factories import TZ

START = datetime(2026, 1, 1, 9, tzinfo=TZ)
KEYS = SnapshotKeys([b"unit tests' snapshot key, 32 bytes or more"])
DEPARTMENTS = [("183", "borgerservice"), ("183", "jobcenter"), ("165", "sundhed"), ("183", "æble-øst")]
CELLS = [
    ("phone", "in", "VEJL", "23.05.10", "immediate", None),
    ("phone", "out", None, None, None, None),
    ("self_service", "in", "OPRET", "27.12.00", None, True),
    ("email", "in", "INFO", "02.34", None, False),
    ("personal", "in", None, None, "forwarded", None),
    ("digital_post", "out", "STATUS", "15.00.00", None, None),
]


def inquiry(n: int, dept: int, day: int, cell: int, source: str = "telephony") -> InquiryEvent:
    channel, direction, inquiry_type, kle, completion, form = CELLS[cell]
    municipality, department = DEPARTMENTS[dept]
    moment = START + timedelta(days=day, minutes=n % 600)
    return InquiryEvent(
        f"e-{n}", source, moment, municipality, department, channel, direction, inquiry_type, kle, completion, form
    )


def service(n: int, dept: int, day: int, kind: int, kle: str | None) -> ServiceEvent:
    municipality, department = DEPARTMENTS[dept]
    return ServiceEvent(
        list(ServiceKind)[kind], f"s-{n}", "telephony", START + timedelta(days=day), municipality, department, kle
    )


events_strategy = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 5), st.integers(0, 3)), min_size=1, max_size=120
)
service_strategy = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 2), st.sampled_from([None, "23.05.10"])),
    max_size=30,
)


def aggregation_of(
    events: list[tuple[int, int, int, int]], services: list[tuple[int, int, int, str | None]], seal_before: int
) -> tuple[Aggregation, list[Any]]:
    agg = Aggregation(TZ, retention_days=400)
    counted: list[Any] = []
    for n, (dept, day, cell, resend) in enumerate(events):
        event = inquiry(n // (1 + resend), dept, day, cell)  # some ids repeat: duplicates
        agg.add(event)
        counted.append(event)
    for n, (dept, day, kind, kle) in enumerate(services):
        measure = service(n, dept, day, kind, kle)
        agg.add_service(measure)
        counted.append(measure)
    agg.compact(local_day(START, TZ) + seal_before)  # some days sealed (arrays), the rest open (dicts)
    return agg, counted


def bucket_state(agg: Aggregation) -> dict[Any, Any]:
    """Everything a bucket holds, in plain comparable form."""
    return {
        (dept, day): (
            dict(b.cells.items()),
            dict(b.channels),
            dict(b.completions),
            dict(b.service),
            dict(b.kinds),
            list(b.seen.sorted_array()),
        )
        for dept, day, b in agg.days()
    }


def snapshot_bytes(
    agg: Aggregation, partition: int = 2, keys: SnapshotKeys = KEYS
) -> tuple[Head, Manifest, dict[int, tuple[bytes, bytes | None]]]:
    """A whole snapshot as a log would hold it: offset -> (key, value)."""
    write = SnapshotWrite(
        Catalog(partition), agg, covered=77, fingerprint=Fingerprint(76, 1_700_000_000_000, 12345), writer=9, keys=keys
    )
    log: dict[int, tuple[bytes, bytes | None]] = {}

    def append(records: list[tuple[bytes, bytes | None]]) -> list[int]:
        offsets = []
        for key, value in records:
            offsets.append(len(log))
            log[len(log)] = (key, value)
        return offsets

    write.buckets_sent(append(write.records))
    write.manifest_sent(append(list(write.manifest_records())))
    head_key, head_value = write.head_record(created_ms=1)
    append([(head_key, head_value)])
    head = decode_head(head_value, partition, keys)
    parts = {i: log[head.manifest_offset + i][1] or b"" for i in range(len(head.parts))}
    return head, decode_manifest(join_parts(head, parts, keys)[0], partition), log


def load(
    head: Head, manifest: Manifest, log: dict[int, tuple[bytes, bytes | None]], keys: SnapshotKeys = KEYS
) -> Aggregation:
    return loaded(head, manifest, log, keys).aggregation


def loaded(head: Head, manifest: Manifest, log: dict[int, tuple[bytes, bytes | None]], keys: SnapshotKeys) -> Loaded:
    assembly = Assembly(head, manifest, TZ, 400, keys, older_key=head.key_index > 0)
    for offset in range(head.first_offset, head.manifest_offset):
        key, value = log[offset]
        assembly.feed(key, value, offset)
    return assembly.finish()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=events_strategy, services=service_strategy, seal_before=st.integers(0, 45))
def test_a_partition_survives_the_round_trip_exactly_sealed_or_not(
    events: list[tuple[int, int, int, int]], services: list[tuple[int, int, int, str | None]], seal_before: int
) -> None:
    agg, counted = aggregation_of(events, services, seal_before)
    head, manifest, log = snapshot_bytes(agg)
    restored = load(head, manifest, log)

    assert bucket_state(restored) == bucket_state(agg)
    assert restored.newest == agg.newest
    assert restored.day_totals == agg.day_totals  # the event clock reads them after a restart
    assert (manifest.covered, manifest.fingerprint) == (77, Fingerprint(76, 1_700_000_000_000, 12345))
    ref = local_day(START, TZ) + 45
    assert restored.window_sums(ref) == agg.window_sums(ref)
    # Every event counted before the snapshot is a duplicate after it (a correction where an earlier
    # version of its id was counted in another department or on another day), as in the state it came
    # from: identities are stored, not re-hashed, and the partition's index is rebuilt from them.
    for item in counted:
        added = restored.add(item) if isinstance(item, InquiryEvent) else restored.add_service(item)
        assert added in (Added.DUPLICATE, Added.CORRECTION)
        assert added is (agg.add(item) if isinstance(item, InquiryEvent) else agg.add_service(item))
    assert len(restored.identities) == len(agg.identities) == sum(len(b.seen) for _, _, b in agg.days())


def test_identities_are_the_same_in_every_process() -> None:
    """Stored identities must not depend on the process's string-hash salt (PYTHONHASHSEED)."""
    known = identity("telephony\x1ftel-000123")
    code = "from streams.domain.counting.identities import identity; print(identity('telephony\\x1ftel-000123'))"
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code], env={"PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True
        )
        assert int(out.stdout) == known


def test_only_the_summaries_not_yet_published_are_published_again_after_a_load() -> None:
    agg, _ = aggregation_of([(0, 1, 0, 0), (1, 2, 1, 0), (2, 3, 2, 0)], [], 0)
    agg.published(agg.take_changed())  # published and acknowledged
    agg.add(inquiry(99, 1, 5, 3))  # changed since: not published yet
    agg.add(inquiry(98, 2, 6, 3))
    in_flight = agg.take_changed()  # taken by a round of summaries that has not been acknowledged
    agg.add(inquiry(97, 3, 7, 3))
    head, manifest, log = snapshot_bytes(agg)
    day = local_day(START, TZ)
    assert in_flight == {(DEPARTMENTS[1], day + 5), (DEPARTMENTS[2], day + 6)}
    assert manifest.unpublished == in_flight | {(DEPARTMENTS[3], day + 7)}  # a crash may lose what is in flight
    assert load(head, manifest, log).changed == manifest.unpublished


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_changed_byte_of_a_bucket_record_makes_the_snapshot_unusable(data: st.DataObject) -> None:
    agg, _ = aggregation_of([(0, 1, 0, 0), (1, 1, 1, 0), (2, 3, 2, 0), (3, 7, 4, 0)], [(0, 1, 0, "23.05.10")], 3)
    head, manifest, log = snapshot_bytes(agg)
    offset = data.draw(st.integers(head.first_offset, head.manifest_offset - 1), label="record")
    key, value = log[offset]
    assert value is not None
    position = data.draw(st.integers(0, len(value) - 1), label="byte")
    flipped = bytearray(value)
    flipped[position] ^= data.draw(st.integers(1, 255), label="xor")
    log[offset] = (key, bytes(flipped))
    with pytest.raises(Damaged) as caught:
        load(head, manifest, log)
    assert caught.value.reason == "missing"


def test_a_missing_bucket_record_makes_the_snapshot_unusable() -> None:
    agg, _ = aggregation_of([(0, 1, 0, 0), (1, 2, 1, 0)], [], 0)
    head, manifest, log = snapshot_bytes(agg)
    del log[head.first_offset]
    log[head.first_offset] = (b"b/2/0/other", b"")
    with pytest.raises(Damaged, match=r"1 bucket records .* missing or altered"):
        load(head, manifest, log)


@settings(max_examples=60, deadline=None)
@given(position=st.integers(0, 200), xor=st.integers(1, 255))
def test_any_changed_byte_of_a_head_or_manifest_part_is_seen(position: int, xor: int) -> None:
    agg, _ = aggregation_of([(0, 1, 0, 0), (1, 2, 1, 0)], [], 0)
    head, _, log = snapshot_bytes(agg)
    head_value = encode_head(head, KEYS)
    damaged = bytearray(head_value)
    damaged[position % len(damaged)] ^= xor
    with pytest.raises(Damaged) as caught:
        decode_head(bytes(damaged), head.partition, KEYS)
    assert caught.value.reason in {"checksum", "format"}
    part = log[head.manifest_offset][1]
    assert part is not None
    damaged = bytearray(part)
    damaged[position % len(damaged)] ^= xor
    with pytest.raises(Damaged, match="part 0 of the manifest of partition 2 is altered"):
        join_parts(head, {0: bytes(damaged)}, KEYS)


def with_version(value: bytes, version: int) -> bytes:
    return value[:4] + struct.pack("<H", version) + value[6:]


@pytest.mark.parametrize("version", [0, FORMAT_VERSION + 1, 0xFFFF])
def test_an_unknown_format_version_is_refused_by_its_number(version: int) -> None:
    agg, _ = aggregation_of([(0, 1, 0, 0)], [], 0)
    head, manifest, log = snapshot_bytes(agg)
    bucket = log[head.first_offset][1]
    assert bucket is not None
    message = f"format version {version}; this release reads {FORMAT_VERSION}"
    with pytest.raises(Damaged, match=message) as caught:
        decode_bucket(with_version(bucket, version), 2, manifest.terms)
    assert caught.value.reason == "format"
    with pytest.raises(Damaged, match=message):
        decode_manifest(with_version(encode_manifest(manifest), version), 2)
    with pytest.raises(Damaged, match=message):
        decode_head(with_version(encode_head(head, KEYS), version), 2, KEYS)


def test_a_record_of_another_partition_is_refused() -> None:
    agg, _ = aggregation_of([(0, 1, 0, 0)], [], 0)
    _, manifest, _ = snapshot_bytes(agg, partition=1)
    with pytest.raises(Damaged, match="belongs to partition 1, not 3") as caught:
        decode_manifest(encode_manifest(manifest), 3)
    assert caught.value.reason == "partition"


def test_terms_number_cells_in_order_of_first_use_and_never_renumber() -> None:
    agg, _ = aggregation_of([(0, 1, 3, 0), (0, 1, 1, 0), (0, 2, 3, 0)], [], 0)
    terms = Terms()
    values = [encode_bucket(0, 1, 1, dept, day, bucket, terms) for dept, day, bucket in agg.days()]
    first = list(terms.cells)
    assert [tuple(c) for c in first] == [CELLS[3], CELLS[1]]
    assert terms.pairs[:2] == [("email", "in"), ("phone", "out")]
    again = Terms(first, terms.pairs)  # as a manifest lists them
    assert [decode_bucket(value, 0, again).events for value in values] == [2, 1]
    more, _ = aggregation_of([(1, 9, 5, 0)], [], 0)
    for dept, day, bucket in more.days():
        encode_bucket(0, 2, 1, dept, day, bucket, terms)
    assert terms.cells[:2] == first and tuple(terms.cells[2]) == CELLS[5]


def test_a_large_manifest_is_split_into_parts_that_join_to_it() -> None:
    value = bytes(range(256)) * 5000  # 1.28 MB
    bodies = manifest_parts(value)
    assert [len(p) for p in bodies] == [524288, 524288, 231424]
    parts = [KEYS.seal(manifest_key(0, 0, i), body) for i, body in enumerate(bodies)]
    head = Head(0, 1, 1, 0, 0, 0, 0, 0, tuple((checksum(p), len(p)) for p in parts))
    assert join_parts(head, dict(enumerate(parts)), KEYS) == (value, False)
    with pytest.raises(Damaged, match="part 1 of the manifest of partition 0 is missing"):
        join_parts(head, {0: parts[0], 2: parts[2]}, KEYS)


def test_a_bucket_of_a_day_before_1970_and_texts_in_danish_round_trip() -> None:
    agg = Aggregation(TZ, retention_days=100_000)
    moment = datetime(1969, 12, 31, 23, 30, tzinfo=UTC)
    old = InquiryEvent("gammel", "komhen-import", moment, "183", "æble-øst", "letter", "in", "VEJL")
    agg.add(old)
    head, manifest, log = snapshot_bytes(agg)
    assert bucket_state(load(head, manifest, log)) == bucket_state(agg)
