"""Snapshots are authenticated: a record not signed with one of the snapshot keys is refused as such,
a key is rotated without a full replay, and the keys come from the settings with messages that
never show one.

Pure and in memory; the same against the real broker and worker: tests/integration/worker/test_snapshot_trust.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from streams.documents.settings import ConfigError, Settings, load_settings
from streams.documents.snapshot_keys import load_snapshot_keys
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.snapshot_codec import DEVELOPMENT_KEY, Damaged, SnapshotKeys, checksum
from streams.domain.counting.snapshot_format import decode_head, decode_manifest, encode_head, head_key, manifest_key
from streams.domain.counting.snapshot_loading import join_parts
from streams.worker.snapshotting import load_snapshot
from tests.fixtures.factories import TZ
from tests.fixtures.snapshot_forgery import Append, forge_times
from tests.unit.domain.counting.test_snapshots import KEYS, aggregation_of, bucket_state, inquiry, load, snapshot_bytes
from tests.unit.worker.test_snapshot_log import PARTITION, MemoryLog, Worker

OTHER = SnapshotKeys([b"someone else's key, 32 bytes long too"])
DEV = SnapshotKeys.for_development()
NEW = SnapshotKeys([b"the new key of a rotation, 32 bytes+"])
EVENTS = [(0, 1, 0, 0), (1, 1, 1, 0), (2, 3, 2, 0), (3, 7, 4, 0), (0, 9, 5, 0)]


Log = dict[int, tuple[bytes, bytes | None]]


def appender(log: Log) -> Append:
    def append(records: list[tuple[bytes, bytes]]) -> list[int]:
        offsets = []
        for key, value in records:
            offsets.append(len(log))
            log[len(log)] = (key, value)
        return offsets

    return append


def newest(log: Log, keys: SnapshotKeys) -> Aggregation:
    """The newest snapshot of partition 2 in `log`, read with `keys`: its state."""
    head_offset = max(o for o, (k, _) in log.items() if k == head_key(2))
    head_value = log[head_offset][1]
    assert head_value is not None
    head = decode_head(head_value, 2, keys)
    parts = {
        i: v
        for o, (k, v) in log.items()
        for i in range(len(head.parts))
        if k == manifest_key(2, head.manifest_slot, i) and head.manifest_offset <= o < head_offset and v
    }
    manifest = decode_manifest(join_parts(head, parts, keys)[0], 2)
    return load(head, manifest, log, keys)


@pytest.mark.parametrize("forger", [DEV, OTHER], ids=["the public development key", "a key of its own"])
def test_a_snapshot_forged_with_every_count_times_1000_is_refused_as_not_authenticated(forger: SnapshotKeys) -> None:
    agg, _ = aggregation_of(EVENTS, [], 3)
    _, _, log = snapshot_bytes(agg, keys=KEYS)
    records = [(o, k, v) for o, (k, v) in sorted(log.items())]
    claimed = forge_times(records, 2, factor=1000, read_with=KEYS, sign_with=forger, append=appender(log))
    assert claimed == 1000 * len(EVENTS)
    with pytest.raises(Damaged, match="snapshot head of partition 2 is not signed with any of the snapshot keys") as e:
        newest(log, KEYS)
    assert e.value.reason == "authentication"
    # The forgery is otherwise whole: the forger's own key reads it with every count × 1000.
    forged = newest(log, forger)
    assert sum(sum(cells.values()) for cells, *_ in bucket_state(forged).values()) == 1000 * len(EVENTS)


def test_a_deployment_left_on_the_development_key_cannot_tell_a_forgery() -> None:
    """Why the development key is for development: it is public, so a forgery signed with it loads."""
    agg, _ = aggregation_of(EVENTS, [], 3)
    _, _, log = snapshot_bytes(agg, keys=DEV)
    records = [(o, k, v) for o, (k, v) in sorted(log.items())]
    forge_times(records, 2, factor=1000, read_with=DEV, sign_with=DEV, append=appender(log))
    assert DEV.development and not KEYS.development
    assert sum(sum(cells.values()) for cells, *_ in bucket_state(newest(log, DEV)).values()) == 1000 * len(EVENTS)


def resealed(keys: SnapshotKeys, record_key: bytes, value: bytes) -> bytes:
    return keys.seal(record_key, value[: -len(keys.tag(record_key, b""))])


def test_one_bucket_record_or_manifest_part_signed_with_another_key_is_refused_whatever_else_is_right() -> None:
    agg, _ = aggregation_of(EVENTS, [], 3)
    head, manifest, log = snapshot_bytes(agg, keys=KEYS)
    # A bucket record signed with another key, its manifest entry and the head made to match it (as only
    # a key holder could): the bucket itself is refused.
    offset = head.first_offset + 1
    key, value = log[offset]
    assert value is not None
    log[offset] = (key, resealed(OTHER, key, value))
    (bucket,) = [b for b, e in manifest.entries.items() if e.length == len(value) and e.crc == checksum(value)]
    new_value = log[offset][1]
    assert new_value is not None
    manifest.entries[bucket] = manifest.entries[bucket]._replace(crc=checksum(new_value))
    with pytest.raises(Damaged, match="a bucket record of partition 2 is not signed") as caught:
        load(head, manifest, log)
    assert caught.value.reason == "authentication"
    # A manifest part signed with another key, the head's checksum of it made to match.
    part = log[head.manifest_offset][1]
    assert part is not None
    other_part = resealed(OTHER, manifest_key(2, head.manifest_slot, 0), part)
    forged_head = replace(head, parts=((checksum(other_part), len(other_part)),))
    with pytest.raises(Damaged, match="part 0 of the manifest of partition 2 is not signed") as caught:
        join_parts(forged_head, {0: other_part}, KEYS)
    assert caught.value.reason == "authentication"
    # A record moved to another key (another slot, another part number) is refused too: the tag covers the key.
    with pytest.raises(Damaged, match="is not signed"):
        KEYS.opened(manifest_key(2, 1 - head.manifest_slot, 0), part, "a moved part")


def test_a_head_with_damage_is_a_checksum_and_a_head_of_another_key_an_authentication_problem() -> None:
    agg, _ = aggregation_of(EVENTS, [], 3)
    head, _, _ = snapshot_bytes(agg, keys=KEYS)
    value = encode_head(head, KEYS)
    flipped = value[:40] + bytes([value[40] ^ 1]) + value[41:]
    with pytest.raises(Damaged) as caught:
        decode_head(flipped, 2, KEYS)
    assert caught.value.reason == "checksum"
    with pytest.raises(Damaged) as caught:
        decode_head(encode_head(head, OTHER), 2, KEYS)
    assert caught.value.reason == "authentication"


def test_a_rotated_key_loads_the_old_snapshot_rewrites_it_with_the_new_key_and_the_old_key_can_go() -> None:
    async def run() -> None:
        log = MemoryLog()
        old = Worker(log, keys=KEYS)
        for n, (dept, day, cell, _) in enumerate(EVENTS):
            old.slot.aggregation.add(inquiry(n, dept, day, cell))
        old.slot.next_offset = len(EVENTS)
        await old.write()
        expected = bucket_state(old.slot.aggregation)

        with pytest.raises(Damaged) as caught:  # the new key alone, too early: the old snapshot is not accepted
            await load_snapshot(log, PARTITION, TZ, 400, NEW)
        assert caught.value.reason == "authentication"

        both = SnapshotKeys([b"the new key of a rotation, 32 bytes+", b"unit tests' snapshot key, 32 bytes or more"])
        first = await load_snapshot(log, PARTITION, TZ, 400, both)
        assert first is not None and first.catalog.older_key
        assert bucket_state(first.aggregation) == expected
        assert first.aggregation.unsaved == set(expected)  # every bucket is signed anew by the next snapshot
        rotating = Worker(log, keys=both)
        rotating.slot.aggregation, rotating.slot.catalog = first.aggregation, first.catalog
        rotating.slot.next_offset = first.manifest.covered
        assert await rotating.write() > 0  # although nothing was counted since: the old key must go

        after = await load_snapshot(log, PARTITION, TZ, 400, NEW)  # the old key dropped: still a snapshot
        assert after is not None and not after.catalog.older_key
        assert bucket_state(after.aggregation) == expected

    asyncio.run(run())


def test_keys_come_from_the_variable_or_a_file_first_key_first(tmp_path: Path) -> None:
    first, second = "a" * 64, "b" * 40
    keys = load_snapshot_keys(load_settings({"KOMHEN_SNAPSHOT_KEYS": f"{first}, {second}"}))
    assert len(keys) == 2 and not keys.development
    assert keys.tag(b"k", b"v") == SnapshotKeys([first.encode()]).tag(b"k", b"v")  # written with the first
    path = tmp_path / "snapshot-keys"
    path.write_text(f"# rotated 2026-12-07\n{first}\n\n{second}\n")
    from_file = load_snapshot_keys(load_settings({"KOMHEN_SNAPSHOT_KEYS_FILE": str(path)}))
    assert from_file.tag(b"k", b"v", 1) == keys.tag(b"k", b"v", 1)
    assert load_snapshot_keys(Settings()).development
    assert SnapshotKeys([DEVELOPMENT_KEY]).development


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"KOMHEN_SNAPSHOT_KEYS": "short-secret-value"},
            "KOMHEN_SNAPSHOT_KEYS: nøgle 1 har 18 byte; en nøgle til øjebliksbilleder skal have mindst 32 "
            "(fx `openssl rand -hex 32`)",
        ),
        (
            {"KOMHEN_SNAPSHOT_KEYS": "a" * 40 + ",tiny"},
            "KOMHEN_SNAPSHOT_KEYS: nøgle 2 har 4 byte; en nøgle til øjebliksbilleder skal have mindst 32 "
            "(fx `openssl rand -hex 32`)",
        ),
        (
            {"KOMHEN_SNAPSHOT_KEYS": "a" * 40 + "," + "a" * 40},
            "KOMHEN_SNAPSHOT_KEYS nævner en nøgle to gange; nævn hver nøgle én gang, den, der skrives med, først",
        ),
        (
            {"KOMHEN_SNAPSHOT_KEYS": "a" * 40, "KOMHEN_SNAPSHOT_KEYS_FILE": "FILE"},
            "KOMHEN_SNAPSHOT_KEYS og KOMHEN_SNAPSHOT_KEYS_FILE er begge sat; angiv nøglerne i kun den ene af dem",
        ),
    ],
)
def test_unusable_keys_are_one_line_that_never_shows_a_key(
    environ: dict[str, str], message: str, tmp_path: Path
) -> None:
    path = tmp_path / "keys"
    path.write_text("x\n")
    environ = {k: v.replace("FILE", str(path)) for k, v in environ.items()}
    with pytest.raises(ConfigError) as caught:
        load_snapshot_keys(load_settings(environ))
    text = str(caught.value)
    assert text == message
    assert "short-secret-value" not in text and "a" * 40 not in text


def test_a_keys_file_that_is_missing_empty_or_not_a_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"KOMHEN_SNAPSHOT_KEYS_FILE": str(tmp_path / "none")})
    assert str(caught.value) == (
        f"indstillingerne: snapshot_keys_file (KOMHEN_SNAPSHOT_KEYS_FILE) peger på en fil, der ikke findes: "
        f"{tmp_path / 'none'}"
    )
    empty = tmp_path / "empty"
    empty.write_text("# no key yet\n")
    with pytest.raises(ConfigError) as caught:
        load_snapshot_keys(load_settings({"KOMHEN_SNAPSHOT_KEYS_FILE": str(empty)}))
    assert str(caught.value) == (
        f"KOMHEN_SNAPSHOT_KEYS_FILE={empty} har ingen nøgle; skriv én nøgle pr. linje, fx det, "
        "`openssl rand -hex 32` skriver ud"
    )
    with pytest.raises(ConfigError) as caught:
        load_snapshot_keys(replace(Settings(), snapshot_keys_file="/dev/zero"))
    assert str(caught.value) == (
        "KOMHEN_SNAPSHOT_KEYS_FILE=/dev/zero: (filen): er en tegnenhed (character device); "
        "en nøglefil til øjebliksbilleder skal være en almindelig fil"
    )


def test_settings_never_show_the_keys() -> None:
    settings = load_settings({"KOMHEN_SNAPSHOT_KEYS": "k" * 40})
    assert "k" * 40 not in repr(settings)
