"""Sums across the partitions' aggregations: counts per window and department, cells over a range of days,
the newest event and the event clock, and municipality totals.

A module of its own because these read several Aggregations at once (the partitions a worker
owns, and the municipality-wide view), while aggregation.py keeps one partition's state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import Cell, DepartmentKey
from streams.domain.counting.settled_sums import PARTS
from streams.domain.counting.windows import WINDOWS, local_day

WindowCounts = dict[str, dict[DepartmentKey, Counter[Any]]]


def window_sums(aggregations: Iterable[Aggregation], ref_day: int, part: str) -> WindowCounts:
    """Counts of one bucket projection (PARTS) per window and department, summed exactly from buckets.

    Every department known to the state appears in every window, with an empty Counter
    if it had nothing in that window, so its series do not vanish when traffic pauses.
    """
    out: WindowCounts = {w: {} for w in WINDOWS}
    for agg in aggregations:
        for dept, sums in agg.window_sums(ref_day).items():
            for w in WINDOWS:
                out[w].setdefault(dept, Counter()).update(sums[part][w])
    return out


def window_parts(aggregations: Iterable[Aggregation], ref_day: int) -> dict[str, WindowCounts]:
    """Every projection (PARTS) per window and department, each aggregation's sums read once.

    The Counters may be shared with the aggregations' kept sums: read them, never change them.
    """
    out: dict[str, WindowCounts] = {part: {w: {} for w in WINDOWS} for part in PARTS}
    for agg in aggregations:
        for dept, sums in agg.window_sums(ref_day).items():
            for part in PARTS:
                for w in WINDOWS:
                    target, counts = out[part][w], sums[part][w]
                    have = target.get(dept)
                    target[dept] = counts if have is None else have + counts
    return out


def window_channel_counts(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Counts per window, department and (channel, direction)."""
    return window_sums(aggregations, ref_day, "channels")


def window_completions(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Inquiries with a recorded completion per window, department and (channel, completion)."""
    return window_sums(aggregations, ref_day, "completions")


def window_service_counts(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Service events per window, department and kind."""
    return window_sums(aggregations, ref_day, "kinds")


def cells_in_range(
    aggregations: Iterable[Aggregation], first_day: int, last_day: int
) -> dict[DepartmentKey, Counter[Cell]]:
    """Joint cell counts per department over an inclusive range of days."""
    out: dict[DepartmentKey, Counter[Cell]] = {}
    for agg in aggregations:
        for dept, day, bucket in agg.days():
            if first_day <= day <= last_day:
                out.setdefault(dept, Counter()).update(bucket.cells)
    return out


def newest_event(aggregations: Iterable[Aggregation]) -> datetime | None:
    return max((a.newest for a in aggregations if a.newest is not None), default=None)


def event_clock(local: Iterable[Aggregation], view: Aggregation | None = None) -> datetime | None:
    """Where the windows end with the event clock: the newest event, unless it is a lone outlier.

    A day counts when it holds at least two events or lies within a day after another day with
    events. The newest day that counts ends the windows; a lone event days or years after all the
    others (a forged or mistyped date) is skipped, so one event cannot empty the 7-day window.
    If no day counts (sparse data, one event a week), the newest event ends them as before.
    `local` are disjoint partitions; `view` covers all of them (the whole municipality).
    """
    local = list(local)
    newest = newest_event([*local, *([view] if view is not None else [])])
    if newest is None:
        return None
    totals: dict[int, int] = {}
    for agg in local:
        for day, n in agg.day_totals.items():
            totals[day] = totals.get(day, 0) + n
    if view is not None:
        for day, n in view.day_totals.items():
            totals[day] = max(totals.get(day, 0), n)
    days = sorted((d for d, n in totals.items() if n > 0), reverse=True)
    for i, day in enumerate(days):
        if totals[day] >= 2 or (i + 1 < len(days) and day - days[i + 1] <= 1):
            break
    else:
        return newest
    tz = local[0].tz if local else view.tz  # type: ignore[union-attr]
    if day >= local_day(newest, tz):
        return newest
    return datetime.combine(date.fromordinal(day + 1), time(), tz) - timedelta(microseconds=1)


def municipality_totals(per_department: Mapping[DepartmentKey, Counter[Any]]) -> dict[str, Counter[Any]]:
    """The whole municipality: the sum over its departments."""
    out: dict[str, Counter[Any]] = {}
    for (municipality, _), counts in per_department.items():
        out.setdefault(municipality, Counter()).update(counts)
    return out
