"""Snapshots against the real broker and real `komhen worker` processes: restarts stay exact.

Workers write a snapshot of their partitions every second here (KOMHEN_SNAPSHOT_INTERVAL_S=1)
and at a clean stop; a restarted worker loads the newest and reads the input topic only from
the offset it covers. Every test ends with exact window counts (`_all` included) against an
independent expectation, and with a resend of everything recognised as duplicates: the
identities cross the snapshot boundary. The record formats and the crash argument:
streams/domain/counting/snapshot_format.py; the same on a simulated log: tests/unit/worker/test_snapshot_log.py.
"""

from __future__ import annotations

import os
import random
import signal
import struct
import time
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from streams.dev.embedded import EmbeddedBroker
from streams.documents.reference import code_table
from streams.documents.settings import Settings
from streams.documents.snapshot_keys import load_snapshot_keys
from streams.domain.counting.snapshot_codec import SnapshotKeys, checksum
from streams.domain.counting.snapshot_format import (
    Head,
    decode_head,
    decode_manifest,
    encode_head,
    encode_manifest,
    head_key,
    manifest_key,
    manifest_parts,
)
from streams.domain.counting.snapshot_loading import join_parts
from tests.fixtures.factories import event_json
from tests.fixtures.workers import (
    Labels,
    WorkerProcess,
    committed_offsets,
    messages_per_partition,
    start_worker,
    wait_for,
)
from tests.integration.worker.test_counting_end_to_end import CPH, REF
from tests.integration.worker.test_reliability_crash import BackgroundPublisher, owned
from tests.integration.worker.test_reliability_idempotence import (
    counted,
    expected_series,
    many_events,
    outcomes,
    publish,
    window_series,
)

DEPARTMENTS = 40


@pytest.fixture
def snapshot_settings(settings: Settings) -> Settings:
    return replace(settings, snapshot_interval_s=1.0)


MUNICIPALITIES = ("169", "183", "165", "157")  # messages are keyed by municipality: these are partitions 0-3


def year_events(prefix: str, per_bucket: int = 1, seed: int = 3) -> list[dict[str, Any]]:
    """`per_bucket` events on each of 365 days in each of 40 departments, 10 in each of four municipalities
    (so every partition has a snapshot): 14,600 day buckets. The first is at REF."""
    rnd = random.Random(seed)
    pairs = code_table().channel_directions()
    events = []
    for back in range(365):
        for department in range(DEPARTMENTS):
            for i in range(per_bucket):
                channel, direction = rnd.choice(pairs)
                moment = REF - timedelta(days=back, minutes=rnd.randrange(0, 8 * 60) if back else 0)
                events.append(
                    event_json(
                        f"{prefix}-{back}-{department}-{i}",
                        source=("telephony", "selfservice")[i % 2],
                        occurred_at=moment.astimezone(CPH),
                        municipality=MUNICIPALITIES[department % len(MUNICIPALITIES)],
                        department=f"afdeling-{department:02d}",
                        channel=channel,
                        direction=direction,
                    )
                )
    return events


def snapshot_records(settings: Settings, partition: int) -> list[tuple[int, bytes, bytes | None]]:
    """Every record of one partition of the snapshot topic, as the broker holds it now."""
    tp = TopicPartition(settings.snapshot_topic, partition)
    consumer = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, consumer_timeout_ms=2000, max_partition_fetch_bytes=32 * 2**20
    )
    try:
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)
        return [(m.offset, m.key, m.value) for m in consumer]
    finally:
        consumer.close()


def newest_head(records: list[tuple[int, bytes, bytes | None]], partition: int, keys: SnapshotKeys) -> tuple[int, Head]:
    offset, _, value = [r for r in records if r[1] == head_key(partition)][-1]
    assert value is not None
    return offset, decode_head(value, partition, keys)


def seq_of(value: bytes) -> int:
    """The snapshot sequence in a record's prefix (magic, format, partition, sequence, writer)."""
    return int(struct.unpack_from("<4sHIQQ", value)[3])


def produce(settings: Settings, partition: int, records: list[tuple[bytes, bytes]]) -> list[int]:
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all", max_request_size=32 * 2**20)
    try:
        futures = [producer.send(settings.snapshot_topic, key=k, value=v, partition=partition) for k, v in records]
        return [f.get(timeout=10).offset for f in futures]
    finally:
        producer.close()


def restore(worker: WorkerProcess) -> dict[str, dict[str, Any]]:
    return cast(dict[str, dict[str, Any]], worker.health()["restore"])


def snapshots_cover_everything(worker: WorkerProcess) -> bool:
    """Every owned partition has a snapshot that covers all it counted."""
    behind = worker.metrics().get("komhen_snapshot_behind_records", {})
    return len(behind) == 4 and not any(behind.values())


def restarted(settings: Settings, tmp_path: Path, name: str) -> WorkerProcess:
    worker = start_worker(settings, tmp_path, name=name)
    try:
        worker.wait_ready(settings.partitions, timeout_s=90)
    except Exception:
        print(worker.log_tail())
        worker.close()
        raise
    return worker


def wait_exact(worker: WorkerProcess, expected: dict[Labels, float], timeout_s: float, what: str) -> None:
    """Until the worker's window series are exactly `expected`; on a timeout, the difference is the message."""
    try:
        wait_for(lambda: window_series(worker) == expected, timeout_s, what)
    except TimeoutError:
        got = window_series(worker)
        diff = {
            tuple(sorted(k)): (got.get(k), expected.get(k))
            for k in set(got) | set(expected)
            if got.get(k) != expected.get(k)
        }
        raise AssertionError(
            f"{what}: {len(diff)} series differ (got, expected), e.g. {sorted(diff.items())[:5]}"
        ) from None


def assert_resend_is_duplicates(settings: Settings, worker: WorkerProcess, events: list[dict[str, Any]]) -> None:
    before = outcomes(worker)
    publish(settings, events)
    wait_for(
        lambda: outcomes(worker)["duplicate"] - before["duplicate"] == len(events), 120, "the resend to be recognised"
    )
    assert outcomes(worker)["accepted"] == before["accepted"]


def interrupted_bucket_records(settings: Settings) -> list[int]:
    """Sequences of bucket records on the snapshot topic after their partition's newest committed head."""
    interrupted = []
    for partition in range(settings.partitions):
        records = snapshot_records(settings, partition)
        head_offset, head = newest_head(records, partition, load_snapshot_keys(settings))
        interrupted += [seq_of(v) for o, _, v in records if o > head_offset and v and v[:4] == b"KHSB"]
        assert all(seq_of(v) <= head.seq for o, _, v in records if o < head_offset and v and v[:4] == b"KHSB")
    return interrupted


def kill_during_a_large_snapshot(broker: EmbeddedBroker, worker: WorkerProcess, position: int) -> bool:
    """Freeze the broker as soon as the worker's log (after `position`) says a large snapshot is being
    written, then kill -9 the worker; False if none began within a minute (the worker keeps running).

    The log is polled every few milliseconds: a round of a few thousand buckets is written in well
    under a second, and the freeze must come before its head."""
    deadline = time.monotonic() + 60
    with worker.log_path.open("rb") as log:
        log.seek(position)
        seen = b""
        while "skriver øjebliksbillede".encode() not in seen:
            if time.monotonic() > deadline:
                return False
            chunk = log.read()
            if not chunk:
                time.sleep(0.005)
            seen = seen[-32:] + chunk  # a line may arrive in two reads
    os.kill(broker.pid, signal.SIGSTOP)  # nothing it sends now is acknowledged: its head cannot follow
    try:
        time.sleep(0.5)
        worker.kill()  # kill -9 in the middle of the snapshot
    finally:
        os.kill(broker.pid, signal.SIGCONT)  # what it had sent before dying is appended now
    return True


def test_kill_9_while_a_snapshot_is_written_leaves_the_previous_one_and_counts_stay_exact(
    snapshot_settings: Settings, broker: EmbeddedBroker, tmp_path: Path
) -> None:
    # Snapshots every 3 s: the late events below are counted within one or two rounds, so a round is a
    # large one (1,000 buckets or more, logged) even when counting is slow.
    settings = replace(snapshot_settings, snapshot_interval_s=3.0)
    sent = year_events("a")
    worker = start_worker(settings, tmp_path, name="first")
    try:
        worker.wait_ready(settings.partitions)
        publish(settings, sent)
        wait_for(lambda: window_series(worker) == expected_series(sent), 120, "the first year counted")
        wait_for(lambda: snapshots_cover_everything(worker), 60, "a snapshot of the first year")
    except Exception:
        print(worker.log_tail())
        worker.close()
        raise
    # A late event for every day (all days change: a large snapshot), then the kill. If no large round
    # began, or the freeze came after its head, try again with the next late events (after a restart
    # from that snapshot, checked exact).
    interrupted: list[int] = []
    for attempt in range(5):
        late = year_events(f"b{attempt}", seed=4 + attempt)
        position = worker.log_path.stat().st_size
        publish(settings, late)
        sent += late
        if not kill_during_a_large_snapshot(broker, worker, position):
            continue
        interrupted = interrupted_bucket_records(settings)
        if interrupted:
            break
        worker = restarted(settings, tmp_path, f"retry-{attempt}")
        try:
            wait_exact(worker, expected_series(sent), 120, f"exact counts after kill {attempt + 1}")
            wait_for(partial(snapshots_cover_everything, worker), 60, "a snapshot of everything")
        except Exception:
            worker.close()
            raise
    if not interrupted:
        print(worker.log_tail())
        worker.close()
        pytest.fail("no snapshot was interrupted in 5 tries: no large round began, or each kill came after its head")

    again = restarted(settings, tmp_path, "restarted")
    try:
        wait_exact(again, expected_series(sent), 120, "exact counts from the previous snapshot + replay")
        figures = restore(again)
        assert {r["path"] for r in figures.values()} == {"snapshot"}
        # Accounting: what the snapshot held or was read again from the topic, plus what was counted live, is
        # everything, once: the events the interrupted snapshot would have held were read again.
        restored = sum(r["events"] for r in figures.values())
        assert restored + outcomes(again)["accepted"] == len(sent)
        assert counted(again) == outcomes(again)["accepted"]
        assert_resend_is_duplicates(settings, again, sent)
        print(
            f"\nkill -9 mid-snapshot (attempt {attempt + 1}): {len(interrupted)} bucket records of the interrupted "
            f"snapshot after the newest head; {restored} events restored (snapshot + replay), "
            f"{outcomes(again)['accepted']} counted live, {len(sent)} resent: all duplicates"
        )
    finally:
        again.close()


def test_kill_9_while_a_worker_restores_from_a_snapshot_then_the_next_one_counts_exactly(
    snapshot_settings: Settings, tmp_path: Path
) -> None:
    # 10 departments of the history and 2 to 5 of `after` in each municipality: more than the 11 the series
    # budget gives each of 98 municipalities by default (contract/budget.py), which would count the rest exactly
    # under department="_other". This test is about the restore, so every department has series of its own.
    settings = replace(snapshot_settings, max_departments=100, department_series="full")
    history, after = year_events("h", per_bucket=8), many_events(5_000, "after", seed=11)
    worker = start_worker(settings, tmp_path, name="first")
    try:
        worker.wait_ready(settings.partitions)
        publish(settings, history)
        wait_for(lambda: counted(worker) == len(history), 300, "the history counted")
    finally:
        worker.stop()  # clean: its last snapshot covers everything
    publish(settings, after)  # nobody counts these until a worker restores

    second = start_worker(settings, tmp_path, name="second")
    seen: dict[str, Any] = {}

    def loading_a_snapshot() -> bool:
        health = second.health()
        seen.update(health)
        loading = [r for r in health.get("restore", {}).values() if r["snapshot_bytes"]]  # type: ignore[attr-defined]
        return health["status"] == "restoring" and bool(loading)

    wait_for(loading_a_snapshot, 90, "the second worker to be loading its snapshots")
    second.kill()  # kill -9 during the restore
    assert seen["status"] == "restoring", seen

    third = restarted(settings, tmp_path, "third")
    try:
        expected = expected_series(history + after)
        wait_exact(third, expected, 120, "exact counts after the interrupted restore")
        figures = restore(third)
        assert {r["path"] for r in figures.values()} == {"snapshot"}
        assert sum(r["events"] for r in figures.values()) == len(history)
        assert sum(r["snapshot_bytes"] for r in figures.values()) > 8 * len(history)  # 8 bytes per identity at least
        assert outcomes(third) == {"accepted": len(after)}  # the events after the snapshot, counted live once
        assert_resend_is_duplicates(settings, third, history + after)
        print(
            f"\nkill -9 mid-restore (seen: {seen['restore']}); then {len(history)} events from the snapshot "
            f"({sum(r['snapshot_bytes'] for r in figures.values())} bytes) + {len(after)} live, resend all: duplicates"
        )
    finally:
        third.close()


def damage(settings: Settings, partition: int, how: str) -> None:
    """Make the newest snapshot of a partition unusable, as a disk, a bug or a newer release could."""
    keys = load_snapshot_keys(settings)
    records = snapshot_records(settings, partition)
    head_offset, head = newest_head(records, partition, keys)
    head_value = next(v for o, _, v in records if o == head_offset)
    assert head_value is not None
    if how == "checksum":  # one bit of the head flipped
        damaged = bytearray(head_value)
        damaged[30] ^= 0x10
        produce(settings, partition, [(head_key(partition), bytes(damaged))])
    elif how == "format":  # written by a release with another format
        produce(settings, partition, [(head_key(partition), head_value[:4] + b"\x09\x00" + head_value[6:])])
    elif how == "missing":  # a manifest that expects other bytes in one bucket record than the topic holds
        parts = {
            i: v
            for o, k, v in records
            for i in range(len(head.parts))
            if k == manifest_key(partition, head.manifest_slot, i) and head.manifest_offset <= o < head_offset and v
        }
        manifest = decode_manifest(join_parts(head, parts, keys)[0], partition)
        key = sorted(manifest.entries)[len(manifest.entries) // 2]
        manifest.entries[key] = manifest.entries[key]._replace(crc=manifest.entries[key].crc ^ 1)
        slot = 1 - head.manifest_slot
        new_parts = [
            keys.seal(manifest_key(partition, slot, i), body)  # written by a release with a bug: signed
            for i, body in enumerate(manifest_parts(encode_manifest(manifest)))
        ]
        offsets = produce(settings, partition, [(manifest_key(partition, slot, i), p) for i, p in enumerate(new_parts)])
        forged = replace(
            head, manifest_offset=offsets[0], manifest_slot=slot, parts=tuple((checksum(p), len(p)) for p in new_parts)
        )
        produce(settings, partition, [(head_key(partition), encode_head(forged, keys))])


DAMAGED = {0: "checksum", 1: "missing", 2: "format"}  # partition 3 keeps its snapshot


def test_a_damaged_snapshot_falls_back_to_the_full_replay_says_so_and_counts_exactly(
    snapshot_settings: Settings, tmp_path: Path
) -> None:
    """Each kind of damage on a partition of its own, beside one whose snapshot is whole: one restart shows each
    partition taking its own path, and each reason said, counted and logged once."""
    settings = snapshot_settings
    events = many_events(8_000, "damaged", seed=12)
    worker = start_worker(settings, tmp_path, name="first")
    try:
        worker.wait_ready(settings.partitions)
        publish(settings, events)
        wait_for(lambda: counted(worker) == len(events), 90, "the events counted")
        held = messages_per_partition(settings)
        wait_for(lambda: all(committed_offsets(settings)[p] == n for p, n in held.items()), 30, "offsets committed")
    finally:
        worker.stop()
    for partition, how in DAMAGED.items():
        damage(settings, partition, how)

    again = restarted(settings, tmp_path, "restarted")
    try:
        wait_for(lambda: window_series(again) == expected_series(events), 90, "exact counts from the full replays")
        assert {int(p): (r["path"], r["reason"]) for p, r in restore(again).items()} == {
            **{p: ("full_replay", how) for p, how in DAMAGED.items()},
            3: ("snapshot", ""),
        }
        restores = {k: v for k, v in again.metrics()["komhen_restores_total"].items() if v}
        assert restores == {
            **{frozenset({("path", "full_replay"), ("reason", how)}): 1 for how in DAMAGED.values()},
            frozenset({("path", "snapshot"), ("reason", "")}): 1,
        }
        assert outcomes(again) == {}  # restored, not counted again
        fallbacks = [
            line for line in again.log_path.read_text().splitlines() if "øjebliksbilledet kan ikke bruges" in line
        ]
        assert len(fallbacks) == len(DAMAGED) and all(
            any(f"partition {p}: øjebliksbilledet kan ikke bruges ({how}: " in line for line in fallbacks)
            for p, how in DAMAGED.items()
        )
        assert_resend_is_duplicates(settings, again, events)
        wait_for(lambda: snapshots_cover_everything(again), 60, "a new, whole snapshot")
    finally:
        again.stop()
    third = restarted(settings, tmp_path, "third")  # and the next restart uses the new snapshots
    try:
        assert {r["path"] for r in restore(third).values()} == {"snapshot"}
        assert window_series(third) == expected_series(events)
        print(f"\ndamaged ({', '.join(DAMAGED.values())}): a full replay each, exact; the next restart loads snapshots")
    finally:
        third.close()


def test_two_workers_trading_partitions_with_snapshots_in_between_count_exactly(
    snapshot_settings: Settings, tmp_path: Path
) -> None:
    settings = replace(snapshot_settings, session_timeout_s=6.0)
    events = many_events(100_000, "trade", seed=13)
    expected = expected_series(events)
    stream = BackgroundPublisher(settings, events)
    a = start_worker(settings, tmp_path, name="a")
    workers = [a]
    try:
        a.wait_ready(settings.partitions)
        stream.start()
        b = start_worker(settings, tmp_path, name="b")
        workers.append(b)
        for _ in range(2):  # b joins (2 + 2), b leaves cleanly (a owns 4), b joins again
            wait_for(lambda: sorted(len(owned(w)) for w in workers) == [2, 2], 90, "the workers to split")
            time.sleep(1.5)  # a snapshot round on each
            b.stop()
            workers.remove(b)
            wait_for(lambda: owned(a) == [0, 1, 2, 3] and a.health()["status"] == "ok", 90, "a to own all")
            b = start_worker(settings, tmp_path, name="b")
            workers.append(b)
        wait_for(lambda: sorted(len(owned(w)) for w in workers) == [2, 2], 90, "the workers to split again")
        a.kill()  # and one kill -9: b takes a's partitions from a's snapshots
        workers.remove(a)
        wait_for(lambda: owned(b) == [0, 1, 2, 3] and b.health()["status"] == "ok", 90, "b to own all")
        stream.finish()
        wait_for(lambda: window_series(b) == expected, 120, "exact counts, _all included, on the survivor")
        from_snapshots = sum(1 for r in restore(b).values() if r["path"] == "snapshot")
        assert from_snapshots >= 2  # a's partitions came from its snapshots
        assert_resend_is_duplicates(settings, b, events)
        print(f"\ntrading: 5 rebalances, 1 kill -9, {len(events)} events exact, resent: all duplicates")
    except Exception:
        for w in workers:
            print(w.log_tail())
        raise
    finally:
        for w in workers:
            w.close()


def test_a_late_event_for_a_settled_day_after_a_snapshot_counts_once_and_survives_a_clean_restart(
    snapshot_settings: Settings, tmp_path: Path
) -> None:
    settings = snapshot_settings
    events = many_events(6_000, "settled", seed=14)
    late = event_json(
        "late-1", source="telephony", occurred_at=(REF - timedelta(days=30)).isoformat(), department="jobcenter"
    )
    worker = start_worker(settings, tmp_path, name="first")
    try:
        worker.wait_ready(settings.partitions)
        publish(settings, events)
        wait_for(lambda: window_series(worker) == expected_series(events), 90, "the events counted")
        wait_for(lambda: snapshots_cover_everything(worker), 30, "a snapshot with the day settled")
        publish(settings, [late, late])  # late, and sent twice
        wait_for(lambda: window_series(worker) == expected_series([*events, late]), 30, "the late event counted once")
        assert outcomes(worker) == {"accepted": len(events) + 1, "duplicate": 1}
        wait_for(lambda: snapshots_cover_everything(worker), 30, "a snapshot with the late event")
    finally:
        worker.stop()  # SIGTERM: a clean stop
    log = worker.log_path.read_text()
    assert "Traceback" not in log and "NotReady" not in log
    assert "forlod consumer-gruppen" in log and "stopper: øjebliksbillede af partition 0, 1, 2, 3 skrevet (" in log

    started = time.monotonic()
    again = restarted(settings, tmp_path, "restarted")
    try:
        start_to_ok = time.monotonic() - started
        assert window_series(again) == expected_series([*events, late])
        assert {r["path"] for r in restore(again).values()} == {"snapshot"}
        assert again.metrics()["komhen_restored_records"][frozenset()] == 0  # nothing read again from the input
        assert again.log_path.read_text().count("Joined group") == 1  # no second rebalance after a clean stop
        # How long the restart takes is a figure of tests/benchmarks/restore.py (docs/performance.md), not a bound
        # here: the lines above are what makes it short (loaded from the snapshot, nothing read again, one join).
        assert_resend_is_duplicates(settings, again, [late])
        print(
            f"\nclean stop: restart to /health ok in {start_to_ok:.1f} s, one join, nothing read again from the input"
        )
        later = {**late, "event_id": "late-2"}  # another late event: the day loaded from the snapshot opens again
        publish(settings, [later, later])
        wait_for(lambda: window_series(again) == expected_series([*events, late, later]), 30, "late-2 counted once")
    finally:
        again.close()
