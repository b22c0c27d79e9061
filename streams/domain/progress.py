"""Live progress toward targets: actual value, glide path, met, trend and projected reach.

Called at scrape time, so it reads the day buckets once per call and slides each window
day by day (add the day entering, subtract the days leaving) instead of summing every
window of the trend from scratch.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from streams.domain.aggregation import Aggregation, Cell
from streams.domain.departments import ALL_DEPARTMENTS
from streams.domain.measures import measure_value
from streams.domain.targets import Target, TargetFile
from streams.domain.windows import window_start

TREND_DAYS = 28  # the trend is fitted over the last four weeks of daily values
MAX_PROJECTION_DAYS = 36_500  # a pace that needs more than a century projects nothing


@dataclass(frozen=True)
class TargetStatus:
    """Where one target stands in one scope on the reference day."""

    target_id: str
    municipality: str
    department: str  # ALL_DEPARTMENTS for the whole municipality
    actual: float | None
    threshold: float
    expected: float
    met: bool | None
    slope_per_day: float | None
    projected_reach: date | None


def expected_value(target: Target, day: date) -> float:
    """Where the linear glide path from the baseline to the threshold at the deadline is on `day`."""
    if target.baseline is None or target.deadline is None or day >= target.deadline:
        return target.threshold
    start, end = target.baseline.date.toordinal(), target.deadline.toordinal()
    if day.toordinal() <= start:
        return target.baseline.value
    progress = (day.toordinal() - start) / (end - start)
    return target.baseline.value + (target.threshold - target.baseline.value) * progress


def least_squares_slope(points: list[tuple[int, float]]) -> float | None:
    """Slope of the least-squares line through (day, value) points; None with fewer than two days."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


def projected_reach(target: Target, actual: float | None, slope: float | None, ref_day: int) -> date | None:
    """The day the threshold is reached from `actual` at `slope`; None if met, flat or heading away."""
    if actual is None or slope is None or target.meets(actual, target.threshold):
        return None
    days = (target.threshold - actual) / slope if slope else math.inf
    if not 0 < days <= MAX_PROJECTION_DAYS:
        return None
    # Rounded first, so that float noise (0.1 / 0.01 = 10.000000000000002) does not add a day.
    return date.fromordinal(ref_day + math.ceil(round(days, 9)))


def _daily_cells(
    aggregations: Iterable[Aggregation], municipality: str, first_day: int, last_day: int
) -> dict[str, dict[int, Counter[Cell]]]:
    """Cell counts per department and day, plus the whole municipality under ALL_DEPARTMENTS."""
    out: dict[str, dict[int, Counter[Cell]]] = {ALL_DEPARTMENTS: {}}
    for agg in aggregations:
        for (mun, department), day, bucket in agg.days():
            if mun != municipality or not first_day <= day <= last_day:
                continue
            for scope in (department, ALL_DEPARTMENTS):
                out.setdefault(scope, {}).setdefault(day, Counter()).update(bucket.cells)
    return out


def _trend_values(
    targets: list[Target], days: Mapping[int, Counter[Cell]], window: str, ref_day: int
) -> dict[str, list[tuple[int, float | None]]]:
    """Each target's measure over `window` ending on each of the last TREND_DAYS days, by target id."""
    counts: Counter[Cell] = Counter()
    start: int | None = None
    values: dict[str, list[tuple[int, float | None]]] = {t.id: [] for t in targets}
    for day in range(ref_day - TREND_DAYS + 1, ref_day + 1):
        new_start = window_start(window, day)
        if start is None:
            for d in range(new_start, day):
                counts.update(days.get(d, {}))
        else:
            for d in range(start, new_start):
                counts.subtract(days.get(d, {}))
        counts.update(days.get(day, {}))
        start = new_start
        for t in targets:
            values[t.id].append((day, measure_value(t.measure, counts, t.numerator, t.denominator)))
    return values


def evaluate_targets(targets: TargetFile, aggregations: Iterable[Aggregation], ref_day: int) -> list[TargetStatus]:
    """Status of every target in every scope of the file, for windows ending on `ref_day` (a date ordinal).

    Targets that share a scope and a window share one slide over the days.
    """
    if not targets.targets:
        return []
    first_day = min(window_start(t.window, ref_day - TREND_DAYS + 1) for t in targets.targets)
    daily = _daily_cells(aggregations, targets.municipality, first_day, ref_day)
    groups: dict[tuple[str, str], list[Target]] = {}
    for target in targets.targets:
        for department in target.scope:
            groups.setdefault((department, target.window), []).append(target)
    trends: dict[tuple[str, str], list[tuple[int, float | None]]] = {}
    for (department, window), members in groups.items():
        for target_id, values in _trend_values(members, daily.get(department, {}), window, ref_day).items():
            trends[(target_id, department)] = values
    today = date.fromordinal(ref_day)
    out: list[TargetStatus] = []
    for target in targets.targets:
        expected = expected_value(target, today)
        for department in target.scope:
            values = trends[(target.id, department)]
            actual = values[-1][1]
            slope = least_squares_slope([(d, v) for d, v in values if v is not None])
            out.append(
                TargetStatus(
                    target_id=target.id,
                    municipality=targets.municipality,
                    department=department,
                    actual=actual,
                    threshold=target.threshold,
                    expected=expected,
                    met=None if actual is None else target.meets(actual, target.threshold),
                    slope_per_day=slope,
                    projected_reach=projected_reach(target, actual, slope, ref_day),
                )
            )
    return out
