from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker
from streams.documents.settings import Settings
from tests.integration.workers import WorkerProcess, fresh_settings, start_worker, wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(broker: EmbeddedBroker) -> Settings:
    """Fresh topics and group on the session broker; windows end at the newest event."""
    s = fresh_settings(broker.bootstrap_servers, clock="event", session_timeout_s=6.0)
    ensure_topics(s)
    return s


@pytest.fixture
def worker(settings: Settings, tmp_path: Path) -> Iterator[WorkerProcess]:
    running = start_worker(settings, tmp_path)
    try:
        running.wait_ready(settings.partitions)
        yield running
    except Exception:
        print(running.log_tail())
        raise
    finally:
        running.close()


@pytest.fixture
def two_workers(settings: Settings, tmp_path: Path) -> Iterator[tuple[WorkerProcess, WorkerProcess]]:
    """Two workers in one group, settled on two of the four partitions each."""
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
        first.close()
        second.close()
