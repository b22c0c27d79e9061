"""When a partition's snapshot is stale: the one rule that the worker's /health, the alert
`KomhenSnapshotStale` and the operations dashboard all apply, with the workers' snapshot interval.

A snapshot is written every interval, but only when something was counted since the last one,
so an idle partition's snapshot ages without being stale: it is stale when it is older than
this and records have been counted that it does not cover.
"""

from __future__ import annotations

STALE_INTERVALS = 4  # a few missed rounds are a slow broker; four are a writer that is failing
STALE_AT_LEAST_S = 3600  # short intervals (tests, demos) would otherwise alert within seconds


def snapshot_stale_after_s(interval_s: float) -> int:
    """Seconds after which a snapshot that does not cover every counted record is stale: four
    snapshot intervals, at least an hour.

    >>> snapshot_stale_after_s(300), snapshot_stale_after_s(1800)
    (3600, 7200)
    """
    return max(STALE_AT_LEAST_S, STALE_INTERVALS * int(interval_s))


def snapshot_stale(age_s: float, behind: int, interval_s: float) -> bool:
    """A snapshot `age_s` old that leaves `behind` counted records uncovered is stale (see above).

    >>> snapshot_stale(4000, 0, 300), snapshot_stale(4000, 12, 300), snapshot_stale(3000, 12, 300)
    (False, True, False)
    """
    return behind > 0 and age_s > snapshot_stale_after_s(interval_s)
