"""Two workers share the partitions: every count exact, the whole municipality exported once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.config import Settings
from streams.publisher import Publisher
from tests.integration.test_counting_end_to_end import expected_windows, known_events
from tests.integration.workers import Labels, WorkerProcess, start_worker, wait_for


@pytest.fixture
def two_workers(settings: Settings, tmp_path: Path) -> Iterator[tuple[WorkerProcess, WorkerProcess]]:
    first = start_worker(settings, tmp_path, name="first")
    second = start_worker(settings, tmp_path, name="second")
    try:
        wait_for(
            lambda: (
                sorted(len(w.health()["partitions"]) for w in (first, second)) == [2, 2]  # type: ignore[arg-type]
                and all(w.health()["status"] == "ok" for w in (first, second))
            ),
            90,
            "the workers to split the four partitions",
        )
        yield first, second
    except Exception:
        print(first.log_tail(), second.log_tail())
        raise
    finally:
        first.stop()
        second.stop()


def window_series(worker: WorkerProcess) -> dict[Labels, float]:
    return {k: v for k, v in worker.metrics().get("komhen_window_inquiries", {}).items() if v}


def test_two_workers_count_exactly_and_export_the_municipality_once(
    settings: Settings, two_workers: tuple[WorkerProcess, WorkerProcess]
) -> None:
    events = known_events(1200)
    expected = {
        frozenset(zip(("municipality", "department", "channel", "direction", "window"), k, strict=True)): float(v)
        for k, v in expected_windows(events).items()
    }
    with Publisher(settings) as publisher:
        publisher.publish(events)

    def combined() -> dict[Labels, float]:
        merged: dict[Labels, float] = {}
        for worker in two_workers:
            for key, value in window_series(worker).items():
                assert key not in merged, f"two workers export {sorted(key)}"
                merged[key] = value
        return merged

    wait_for(lambda: combined() == expected, 60, "both workers' series to add up to the expected counts")
    exporting_all = [w for w in two_workers if any(("department", "_all") in k for k in window_series(w))]
    assert len(exporting_all) == 1
    assert exporting_all[0].health()["partitions"][0] == 0  # type: ignore[index]
    counted = sum(sum(w.metrics().get("komhen_inquiries_total", {}).values()) for w in two_workers)
    assert counted == len(events)
