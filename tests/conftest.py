"""Every fixture lives in a module of its own under tests/fixtures, registered here for the whole tree."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.fixtures.environment", "tests.fixtures.broker", "tests.fixtures.workers"]

# The integration modules whose tests take longest (`pytest --durations`, 2026-12-07), longest first.
# Under pytest-xdist a free worker takes the next test in order, so the run ends soonest when these
# start first. (Modules with a module fixture are grouped and start before all others anyway.)
SLOWEST_FIRST = (
    "test_snapshots.py",
    "test_reliability_crash.py",
    "test_reliability_labels.py",
    "test_snapshot_trust.py",
    "test_demo.py",
    "test_reliability_time.py",
    "test_reliability_idempotence.py",
    "test_alerting_end_to_end.py",
    "test_counting_end_to_end.py",
    "test_reliability_poison.py",
    "test_reliability_corrections.py",
    "test_komhen_files_cli.py",
    "test_reliability_internal_topics.py",
    "test_quick_start.py",
)
# The integration tests mostly wait (on a worker's group join, a snapshot round, an outage) and the unit tests
# only compute: spread between the integration tests, the unit tests use the CPU the waits leave idle. The last
# fifth of them come after the integration tests, so the run ends on short tests.
UNITS_BESIDE = 0.8


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)

    integration = sorted((i for i in items if "integration" in i.path.parts), key=rank)  # stable
    unit = [i for i in items if "integration" not in i.path.parts]
    ordered, taken = [], 0
    for k, item in enumerate(integration):
        upto = round(k * UNITS_BESIDE * len(unit) / len(integration))
        ordered += [*unit[taken:upto], item]
        taken = max(taken, upto)
    items[:] = [*ordered, *unit[taken:]]
