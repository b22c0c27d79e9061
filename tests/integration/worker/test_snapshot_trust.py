"""Snapshots are inputs like any other (issue 24): against the real broker and real `komhen worker` processes.

A snapshot rewritten with every count × 1000 by a plain Kafka client, with the project's own encoder and
every checksum right, is not restored: each partition is counted again from the input topic, with the
reason `authentication` in the log, on `/health` and in `komhen_restores_total` (what KomhenSnapshotUnusable
reads), and the counts are exact. A deployment moves from the public development key to a key of its own,
and from that key to the next, without a full replay.
Pure and in memory: tests/unit/domain/counting/test_snapshot_keys.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from streams.contract.texts import text
from streams.documents.settings import Settings
from streams.documents.snapshot_keys import load_snapshot_keys
from streams.domain.counting.snapshot_codec import DEVELOPMENT_KEY, SnapshotKeys
from tests.fixtures.snapshot_forgery import forge_times
from tests.fixtures.workers import (
    WorkerProcess,
    committed_offsets,
    messages_per_partition,
    start_worker,
    wait_for,
)
from tests.integration.worker.test_reliability_idempotence import (
    counted,
    expected_series,
    many_events,
    outcomes,
    publish,
)
from tests.integration.worker.test_snapshots import (
    assert_resend_is_duplicates,
    produce,
    restarted,
    restore,
    snapshot_records,
    snapshots_cover_everything,
    wait_exact,
)

pytestmark = pytest.mark.integration

FULL_REPLAY_BY_AUTHENTICATION = frozenset({("path", "full_replay"), ("reason", "authentication")})


@pytest.fixture
def snapshot_settings(settings: Settings) -> Settings:
    return replace(settings, snapshot_interval_s=1.0)


def count_and_stop(settings: Settings, tmp_path: Path, events: list[dict[str, object]], name: str) -> str:
    """A worker counts `events`, commits and stops cleanly (its last snapshot covers everything); its log."""
    worker = start_worker(settings, tmp_path, name=name)
    try:
        worker.wait_ready(settings.partitions)
        publish(settings, events)
        wait_for(lambda: counted(worker) == len(events), 90, "the events counted")
        held = messages_per_partition(settings)
        wait_for(lambda: all(committed_offsets(settings)[p] == n for p, n in held.items()), 30, "offsets committed")
        wait_for(lambda: snapshots_cover_everything(worker), 30, "a snapshot of everything")
    finally:
        worker.stop()
    return worker.log_path.read_text()


def snapshots_written(worker: WorkerProcess, at_least: int) -> bool:
    return worker.metrics()["komhen_snapshots_written_total"][frozenset({("outcome", "ok")})] >= at_least


def test_a_snapshot_forged_with_every_count_times_1000_is_not_restored_says_why_and_counts_exactly(
    snapshot_settings: Settings, tmp_path: Path
) -> None:
    settings = snapshot_settings
    events = many_events(8_000, "forged", seed=21)
    count_and_stop(settings, tmp_path, events, "first")

    keys = load_snapshot_keys(settings)
    claimed = 0
    for partition in range(settings.partitions):
        claimed += forge_times(
            snapshot_records(settings, partition),
            partition,
            factor=1000,
            read_with=keys,  # reading needs no key; the forger signs with the project's public one
            sign_with=SnapshotKeys.for_development(),
            append=partial(produce, settings, partition),
        )
    assert claimed == 1000 * len(events)

    again = restarted(settings, tmp_path, "restarted")
    try:
        wait_exact(again, expected_series(events), 90, "exact counts from the full replay, never × 1000")
        figures = restore(again)
        assert {(r["path"], r["reason"]) for r in figures.values()} == {("full_replay", "authentication")}
        assert sum(r["events"] for r in figures.values()) == len(events)  # read again from the input topic
        assert again.metrics()["komhen_restores_total"][FULL_REPLAY_BY_AUTHENTICATION] == 4
        assert outcomes(again) == {}  # restored, not counted as new
        said = re.findall(
            r"partition (\d): øjebliksbilledet kan ikke bruges \((.*?)\); tæller", again.log_path.read_text()
        )
        assert sorted(said) == [
            (str(p), f"authentication: snapshot head of partition {p} is not signed with any of the snapshot keys")
            for p in range(4)
        ]
        assert_resend_is_duplicates(settings, again, events)
        wait_for(lambda: snapshots_cover_everything(again), 60, "a new snapshot, signed with the key")
    finally:
        again.stop()
    third = restarted(settings, tmp_path, "third")  # the new snapshot is the worker's own: it loads
    try:
        assert {r["path"] for r in restore(third).values()} == {"snapshot"}
        wait_exact(third, expected_series(events), 30, "exact counts from the new snapshot")
        print(f"\nforged × 1000 ({claimed} inquiries claimed): 4 full replays (authentication), {len(events)} exact")
    finally:
        third.close()


def test_a_deployment_moves_from_the_development_key_to_its_own_and_rotates_it_without_a_full_replay(
    snapshot_settings: Settings, tmp_path: Path
) -> None:
    first_key, second_key = "first key of the deployment: " + "x" * 16, "second key of the deployment: " + "y" * 16
    development = replace(snapshot_settings, snapshot_keys="")
    events = many_events(6_000, "rotated", seed=22)
    log = count_and_stop(development, tmp_path, events, "development")
    development_warning = text("log.snapshot_development_key")  # in Danish, as the worker says it by default
    assert log.count(development_warning) == 1, log[-3000:]

    steps = [
        ("own key first, development key accepted", f"{first_key},{DEVELOPMENT_KEY.decode()}"),
        ("own key only", first_key),
        ("next key first, own key accepted", f"{second_key},{first_key}"),
        ("next key only", second_key),
    ]
    for step, keys in steps:
        worker = restarted(replace(snapshot_settings, snapshot_keys=keys), tmp_path, step.replace(" ", "-"))
        try:
            assert {(r["path"], r["reason"]) for r in restore(worker).values()} == {("snapshot", "")}, step
            assert worker.metrics()["komhen_restored_records"][frozenset()] == 0, step  # nothing read again
            wait_exact(worker, expected_series(events), 30, step)
            if "accepted" in step:  # loaded with the older key: every partition is signed anew at once
                wait_for(partial(snapshots_written, worker, 4), 30, f"{step}: every partition signed anew")
            assert worker.metrics()["komhen_snapshots_written_total"][frozenset({("outcome", "failed")})] == 0
            assert development_warning not in worker.log_path.read_text(), step
        finally:
            worker.stop()
    print(f"\nkeys: development -> own -> next, {len(events)} events, 4 restores from snapshots at each step")
