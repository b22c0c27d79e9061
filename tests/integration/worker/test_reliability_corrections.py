"""A source that corrects an inquiry (another department or day, same source and event id) does not double it.

Against the session broker and two real `komhen worker` processes sharing the four partitions:
6,000 first versions, then 2,000 corrections and 1,000 plain resends. Messages are keyed by
municipality, so a correction reaches the partition that counted the first version, whichever
worker owns it; under the earlier department key half of these corrections would have gone to
another partition (the test checks that it exercises those). The counts stay those of
the first versions exactly, the corrections are duplicates in the accounting and counted in
`komhen_corrections_ignored_total`; after a `kill -9` the survivor, which restored the victim's
partitions, still recognises every correction.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from kafka.partitioner.default import murmur2

from streams.documents.settings import Settings
from tests.fixtures.workers import Labels, WorkerProcess, committed_offsets, messages_per_partition, wait_for
from tests.integration.worker.test_reliability_crash import owned
from tests.integration.worker.test_reliability_idempotence import (
    DEPARTMENTS,
    expected_series,
    many_events,
    outcomes,
    publish,
    window_series,
)

FIRST = 6_000
CORRECTED = 2_000
RESENT = 1_000


def corrections(events: list[dict[str, Any]], rnd: random.Random) -> list[dict[str, Any]]:
    """A corrected version of each event: another department of its municipality, or another day, or both."""
    out = []
    for event in events:
        others = [d for m, d in DEPARTMENTS if m == event["municipality"] and d != event["department"]]
        change = rnd.randrange(3)
        corrected = dict(event)
        if change in (0, 2):
            corrected["department"] = rnd.choice(others)
        if change in (1, 2):
            moment = datetime.fromisoformat(event["occurred_at"]) - timedelta(days=rnd.randrange(1, 20))
            corrected["occurred_at"] = moment.isoformat()
        out.append(corrected)
    return out


def old_partition(event: dict[str, Any], partitions: int) -> int:
    """Where the earlier key '<municipality>/<department>' would have sent the event (Kafka's default partitioner)."""
    key = f"{event['municipality']}/{event['department']}".encode()
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def combined(workers: tuple[WorkerProcess, ...]) -> dict[Labels, float]:
    """The window series of all workers together: each department from its owner, `_all` from one."""
    out: dict[Labels, float] = {}
    for worker in workers:
        series = window_series(worker)
        assert not set(series) & set(out), "a series exported by two workers"
        out |= series
    return out


def total(workers: tuple[WorkerProcess, ...], outcome: str) -> int:
    return sum(outcomes(w)[outcome] for w in workers)


def corrections_ignored(worker: WorkerProcess) -> int:
    return int(sum(worker.metrics().get("komhen_corrections_ignored_total", {}).values()))


def test_corrections_across_partitions_keep_the_first_versions_exact_also_after_kill_9(
    settings: Settings, two_workers: tuple[WorkerProcess, WorkerProcess]
) -> None:
    rnd = random.Random(12)
    events = many_events(FIRST, "corr", seed=12)
    corrected = corrections(rnd.sample(events, CORRECTED), rnd)
    resent = rnd.sample(events, RESENT)
    originals = {e["event_id"]: e for e in events}
    moved = sum(
        old_partition(c, settings.partitions) != old_partition(originals[c["event_id"]], settings.partitions)
        for c in corrected
    )
    assert moved > CORRECTED // 3  # 1,003 of them would have reached another partition under the department key
    expected = expected_series(events)

    publish(settings, events)
    try:
        wait_for(lambda: combined(two_workers) == expected, 90, "6,000 first versions counted on both workers")
    except TimeoutError:
        got = combined(two_workers)
        print("MISSING", [(sorted(k), v, got.get(k)) for k, v in expected.items() if got.get(k) != v][:10])
        print("EXTRA", [(sorted(k), v) for k, v in got.items() if k not in expected][:10])
        raise
    assert Counter({"accepted": total(two_workers, "accepted")}) == Counter({"accepted": FIRST})

    mixed = corrected + resent
    rnd.shuffle(mixed)
    publish(settings, mixed)
    wait_for(lambda: total(two_workers, "duplicate") == CORRECTED + RESENT, 90, "corrections and resends recognised")
    assert combined(two_workers) == expected
    assert (total(two_workers, "accepted"), total(two_workers, "rejected")) == (FIRST, 0)
    assert sum(corrections_ignored(w) for w in two_workers) == CORRECTED

    # kill -9 the exporter of the whole municipality once its offsets are committed; the survivor restores
    # the victim's partitions (snapshot or topic) and must still know every identity counted there.
    victim, survivor = sorted(two_workers, key=lambda w: 0 not in owned(w))
    held = messages_per_partition(settings)
    wait_for(lambda: all(committed_offsets(settings)[p] == n for p, n in held.items()), 30, "offsets committed")
    victim.kill()
    wait_for(
        lambda: owned(survivor) == [0, 1, 2, 3] and survivor.health()["status"] == "ok",
        90,
        "the survivor to take over every partition",
    )
    wait_for(lambda: window_series(survivor) == expected, 60, "the first versions exact on the survivor")
    before = outcomes(survivor)
    publish(settings, corrected)
    wait_for(lambda: outcomes(survivor)["duplicate"] - before["duplicate"] == CORRECTED, 60, "the corrections again")
    assert window_series(survivor) == expected
    assert outcomes(survivor)["accepted"] == before["accepted"]
