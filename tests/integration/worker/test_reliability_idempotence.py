"""Promise 1, idempotence: an inquiry is identified by (municipality, source, event_id) and counted once.

Against the session broker and real `komhen worker` processes: a source resending 10,000 events,
the same KOMHEN file imported twice through the CLI, and a resend after a `kill -9` and restart
(the identities survive because the restarted worker rebuilds them from the input topic).
Every test asserts the accounting: published = counted + rejected + duplicates, read from
`komhen_events_total{source,outcome}` and `komhen_inquiries_total`.

The helpers here are shared by the other test_reliability_* modules.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from streams.documents.reference import code_table
from streams.documents.settings import Settings
from streams.ingress.komhen.export_file import open_export
from streams.ingress.komhen.results import Imported
from streams.ingress.publisher import Publisher
from tests.fixtures.factories import TZ, event_json
from tests.fixtures.workers import (
    Labels,
    WorkerProcess,
    committed_offsets,
    messages_per_partition,
    start_worker,
    wait_for,
)
from tests.integration.ingress.test_komhen_files_cli import komhen
from tests.integration.worker.test_counting_end_to_end import CPH, REF, expected_windows
from tests.unit.ingress.test_komhen_file import generated_file

# Messages are keyed by municipality (Kafka's default partitioner): with four partitions these
# four municipalities land on partitions 1 (183), 2 (165), 0 (169) and 3 (157), so every
# partition carries events and a multi-worker test has work on each worker.
DEPARTMENTS = [
    ("183", "borgerservice"),
    ("183", "byggeri"),
    ("183", "boern-unge"),
    ("183", "jobcenter"),
    ("183", "ydelse"),
    ("165", "borgerservice"),
    ("165", "sundhed"),
    ("165", "pension"),
    ("169", "borgerservice"),
    ("169", "teknik"),
    ("157", "kultur"),
    ("157", "skole"),
]
WINDOW_LABELS = ("municipality", "department", "channel", "direction", "window")


def many_events(n: int, prefix: str, seed: int = 7) -> list[dict[str, Any]]:
    """`n` distinct valid events over the 60 days up to REF in 12 departments of 4 municipalities; the first
    is at REF."""
    rnd = random.Random(seed)
    pairs = code_table().channel_directions()
    events = []
    for i in range(n):
        municipality, department = rnd.choice(DEPARTMENTS)
        channel, direction = rnd.choice(pairs)
        moment = REF if i == 0 else REF - timedelta(days=rnd.randrange(0, 60), minutes=rnd.randrange(0, 14 * 60))
        events.append(
            event_json(
                f"{prefix}-{i}",
                source=("telephony", "selfservice", "digitalpost")[i % 3],
                occurred_at=moment.astimezone(ZoneInfo("UTC") if i % 2 else CPH),
                municipality=municipality,
                department=department,
                channel=channel,
                direction=direction,
            )
        )
    return events


def expected_series(events: list[dict[str, Any]]) -> dict[Labels, float]:
    """The non-zero `komhen_window_inquiries` series, computed independently (with `_all`)."""
    return {frozenset(zip(WINDOW_LABELS, k, strict=True)): float(v) for k, v in expected_windows(events).items()}


def window_series(worker: WorkerProcess) -> dict[Labels, float]:
    return {k: v for k, v in worker.metrics().get("komhen_window_inquiries", {}).items() if v}


def outcomes(worker: WorkerProcess) -> Counter[str]:
    """`komhen_events_total` summed over sources, by outcome."""
    out: Counter[str] = Counter()
    for key, value in worker.metrics().get("komhen_events_total", {}).items():
        out[dict(key)["outcome"]] += int(value)
    return out


def counted(worker: WorkerProcess) -> int:
    return int(sum(worker.metrics().get("komhen_inquiries_total", {}).values()))


def assert_accounting(worker: WorkerProcess, *, received: int, accepted: int, duplicates: int, rejected: int) -> None:
    """received = counted + rejected + duplicates, and counted is what `komhen_inquiries_total` says."""
    assert received == accepted + duplicates + rejected
    seen = outcomes(worker)
    assert dict(seen) == {
        k: v for k, v in {"accepted": accepted, "duplicate": duplicates, "rejected": rejected}.items() if v
    }
    assert counted(worker) == accepted


def publish(settings: Settings, events: list[dict[str, Any]]) -> None:
    with Publisher(settings) as publisher:
        result = publisher.publish(events)
    assert (result.published, result.rejected) == (len(events), [])


def test_ten_thousand_events_published_twice_are_counted_once(settings: Settings, worker: WorkerProcess) -> None:
    events = many_events(10_000, "idem")
    expected = expected_series(events)
    publish(settings, events)
    wait_for(lambda: window_series(worker) == expected, 90, "10,000 events counted, _all included")
    assert_accounting(worker, received=10_000, accepted=10_000, duplicates=0, rejected=0)

    publish(settings, events)
    wait_for(lambda: outcomes(worker)["duplicate"] == 10_000, 90, "the resent 10,000 to be recognised")
    assert window_series(worker) == expected
    assert_accounting(worker, received=20_000, accepted=10_000, duplicates=10_000, rejected=0)


def test_the_same_komhen_file_imported_twice_through_the_cli_counts_once(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    export_file = tmp_path / "uge46.csv"
    export_file.write_bytes(generated_file(seed=23, rows=2000, encoding="latin-1", newline="\r\n"))
    importable = sum(isinstance(r, Imported) for r in open_export(export_file, tz=TZ))
    assert 1900 < importable < 2000  # the generated file has a few broken rows, rejected by the importer

    first = komhen(settings, "import", str(export_file))
    assert first.returncode == 1, first.stderr  # 1: some rows were rejected (and listed)
    assert first.stderr.count(f"{export_file}:") == 2000 - importable
    wait_for(lambda: counted(worker) == importable, 60, "the imported rows to be counted")
    wait_for(
        lambda: (
            sum(v for k, v in window_series(worker).items() if {("department", "_all"), ("window", "365d")} <= k)
            == importable
        ),
        30,
        "the whole municipality",
    )
    after_first = window_series(worker)
    assert_accounting(worker, received=importable, accepted=importable, duplicates=0, rejected=0)

    second = komhen(settings, "import", str(export_file))
    assert second.returncode == 1, second.stderr
    wait_for(lambda: outcomes(worker)["duplicate"] == importable, 60, "the second import to be duplicates")
    assert window_series(worker) == after_first
    assert_accounting(worker, received=2 * importable, accepted=importable, duplicates=importable, rejected=0)


def test_a_resend_after_kill_9_and_restart_is_recognised_from_the_restored_identities(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    events = many_events(10_000, "restart", seed=8)
    expected = expected_series(events)
    publish(settings, events)
    wait_for(lambda: window_series(worker) == expected, 90, "10,000 events counted")
    assert_accounting(worker, received=10_000, accepted=10_000, duplicates=0, rejected=0)
    held = messages_per_partition(settings)
    wait_for(lambda: all(committed_offsets(settings)[p] == n for p, n in held.items()), 30, "offsets committed")
    worker.kill()  # kill -9, after the commit

    again = start_worker(settings, tmp_path, name="restarted")
    try:
        again.wait_ready(settings.partitions)
        wait_for(lambda: window_series(again) == expected, 60, "the same counts, restored from the topic")
        assert again.metrics()["komhen_restored_records"][frozenset()] == sum(held.values())
        assert_accounting(again, received=0, accepted=0, duplicates=0, rejected=0)  # restored, not re-counted

        publish(settings, events)
        wait_for(lambda: outcomes(again)["duplicate"] == 10_000, 60, "the resend to be recognised")
        assert window_series(again) == expected
        assert_accounting(again, received=10_000, accepted=0, duplicates=10_000, rejected=0)
    finally:
        again.close()
