"""Two workers share the partitions: every count exact, the whole municipality exported once."""

from __future__ import annotations

from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher
from tests.fixtures.workers import Labels, WorkerProcess, wait_for
from tests.integration.worker.test_counting_end_to_end import expected_windows, known_events


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
