"""Every fixture lives in a module of its own under tests/fixtures, registered here for the whole tree."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.fixtures.environment", "tests.fixtures.broker", "tests.fixtures.workers"]

# The integration modules whose tests take longest (`pytest --durations`, 2026-12-07), longest first.
# Under pytest-xdist a free worker takes the next test in order, so the run ends soonest when these
# start first and the many short unit tests fill the end.
SLOWEST_FIRST = (
    "test_snapshots.py",
    "test_reliability_crash.py",
    "test_reliability_idempotence.py",
    "test_reliability_time.py",
    "test_reliability_labels.py",
    "test_reliability_corrections.py",
    "test_reliability_poison.py",
    "test_alerting_end_to_end.py",
    "test_counting_end_to_end.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> tuple[bool, int]:
        name = item.path.name
        slow = "integration" in item.path.parts and name in SLOWEST_FIRST
        return "integration" not in item.path.parts, SLOWEST_FIRST.index(name) if slow else len(SLOWEST_FIRST)

    items.sort(key=rank)  # stable: within a rank, the collection order
