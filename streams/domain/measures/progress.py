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
from enum import StrEnum

from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import Cell, DayBucket
from streams.domain.counting.windows import window_start
from streams.domain.measures.measures import Tally, tally, value_of
from streams.domain.measures.targets import Target, TargetFile, is_pattern, scope_matches

TREND_DAYS = 28  # the trend is fitted over the last four weeks of daily values
MAX_PROJECTION_DAYS = 36_500  # a pace that needs more than a century projects nothing


class TargetState(StrEnum):
    """Where a target stands (the `state` label of komhen_target_state)."""

    MET = "met"  # on the right side of the threshold
    ON_SCHEDULE = "on_schedule"  # not met, but at or past today's point of the glide path (before the deadline)
    BEHIND_SCHEDULE = "behind_schedule"  # not met and behind the glide path (before the deadline)
    MISSED = "missed"  # not met, and the deadline has passed (or the target is standing)
    TOO_FEW_INQUIRIES = "too_few_inquiries"  # fewer inquiries than the target's minimum: no verdict


@dataclass(frozen=True)
class TargetStatus:
    """Where one target stands in one scope on the reference day.

    `actual` is the measure whatever it rests on; `met`, the trend and the projection are only
    given when the window holds at least the target's minimum of inquiries (`judged`).
    """

    target_id: str
    municipality: str
    department: str  # ALL_DEPARTMENTS for the whole municipality (or the whole deployment)
    actual: float | None
    threshold: float
    expected: float
    met: bool | None
    slope_per_day: float | None
    projected_reach: date | None
    inquiries: int  # the population the value rests on
    min_inquiries: int
    state: TargetState

    @property
    def judged(self) -> bool:
        return self.state is not TargetState.TOO_FEW_INQUIRIES


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


def state_of(target: Target, actual: float | None, inquiries: int, expected: float, day: date) -> TargetState:
    """The target's state from its value, the inquiries it rests on and today's point of the glide path."""
    if actual is None or inquiries < target.min_inquiries:
        return TargetState.TOO_FEW_INQUIRIES
    if target.meets(actual, target.threshold):
        return TargetState.MET
    if target.deadline is None or day > target.deadline:
        return TargetState.MISSED
    return TargetState.ON_SCHEDULE if target.meets(actual, expected) else TargetState.BEHIND_SCHEDULE


def target_value(target: Target, counts: Mapping[Cell, int], days: int) -> tuple[float | None, int]:
    """The target's measure over a window of `days` days, and the inquiries it rests on."""
    return _value(target, tally(target.measure, counts, target.numerator, target.denominator, target.prices), days)


def _value(target: Target, parts: Tally, days: int) -> tuple[float | None, int]:
    per_day = target.baseline_volume.per_day if target.baseline_volume is not None else None
    return value_of(target.measure, parts, per_day, days), parts.population


class EvaluationCache:
    """What evaluate_targets may keep between calls (a collector holds one): the whole municipality's
    (or country's) merged days, and each target's tally of each day, until a bucket's stamp moves.
    A scrape of a national deployment then redoes only the days that changed (today's)."""

    def __init__(self) -> None:
        self.days: dict[tuple[str, int], tuple[tuple[int, ...], Counter[Cell]]] = {}  # (municipality, day)
        self.tallies: dict[tuple[str, str, str, int], tuple[tuple[int, ...], Tally]] = {}  # (mun, target, scope, day)


Day = tuple[tuple[int, ...], Mapping[Cell, int]]  # (the stamps of its buckets, its cells)


def _daily_cells(
    aggregations: Iterable[Aggregation],
    municipality: str,
    first_day: int,
    last_day: int,
    cache: EvaluationCache | None = None,
) -> dict[str, dict[int, Day]]:
    """Cell counts per department and day (the buckets' own, read-only), plus the whole under ALL_DEPARTMENTS,
    each with the stamps of the buckets it comes from.

    For NATIONAL the whole is every municipality's inquiries, and there are no departments. The
    whole of a day is a merge of its buckets, kept in the cache until one of their stamps changes.
    """
    national = municipality == NATIONAL
    out: dict[str, dict[int, Day]] = {ALL_DEPARTMENTS: {}}
    whole: dict[int, list[DayBucket]] = {}
    for agg in aggregations:
        for (mun, department), days in agg.buckets.items():
            if not (national or mun == municipality):
                continue
            for day in range(first_day, last_day + 1):
                bucket = days.get(day)
                if bucket is None:
                    continue
                whole.setdefault(day, []).append(bucket)
                if national:
                    continue
                own = out.setdefault(department, {})
                if day in own:  # the same department in two aggregations: add them up
                    stamps, cells = own[day]
                    own[day] = (
                        (*stamps, bucket.stamp),
                        Counter(dict(cells.items())) + Counter(dict(bucket.cells.items())),
                    )
                else:
                    own[day] = ((bucket.stamp,), bucket.cells)
    for day, buckets in whole.items():
        stamps = tuple(b.stamp for b in buckets)
        kept = cache.days.get((municipality, day)) if cache is not None else None
        if kept is not None and kept[0] == stamps:
            out[ALL_DEPARTMENTS][day] = (stamps, kept[1])
            continue
        merged: Counter[Cell] = Counter()
        for bucket in buckets:
            merged.update(bucket.cells)
        out[ALL_DEPARTMENTS][day] = (stamps, merged)
        if cache is not None:
            cache.days[(municipality, day)] = (stamps, merged)
    if cache is not None:
        for key in [k for k in cache.days if k[0] == municipality and not first_day <= k[1] <= last_day]:
            del cache.days[key]
    return out


Point = tuple[int, float | None, int]  # (day, value, inquiries)
NOTHING = Tally()


def _day_tallies(
    target: Target, scope: tuple[str, str], days: Mapping[int, Day], first_day: int, cache: EvaluationCache | None
) -> dict[int, Tally]:
    """The target's tally of each day from `first_day` that has inquiries, kept while the day's stamps hold."""
    out: dict[int, Tally] = {}
    for day, (stamps, cells) in days.items():
        if day < first_day:
            continue
        key = (scope[0], target.id, scope[1], day)
        kept = cache.tallies.get(key) if cache is not None else None
        if kept is not None and kept[0] == stamps:
            out[day] = kept[1]
            continue
        out[day] = tally(target.measure, cells, target.numerator, target.denominator, target.prices)
        if cache is not None:
            cache.tallies[key] = (stamps, out[day])
    return out


def _trend_values(
    targets: list[Target],
    days: Mapping[int, Day],
    window: str,
    ref_day: int,
    scope: tuple[str, str] = ("", ""),
    cache: EvaluationCache | None = None,
) -> dict[str, list[Point]]:
    """Each target's measure over `window` ending on each of the last TREND_DAYS days, by target id.

    A window's tally is the sum of its days' tallies, slid day by day (add the day entering,
    subtract the days leaving); whole counts and whole-krone prices keep the sums exact.
    """
    first_day = window_start(window, ref_day - TREND_DAYS + 1)
    values: dict[str, list[Point]] = {}
    for t in targets:
        daily = _day_tallies(t, scope, days, first_day, cache)
        window_sum = NOTHING
        start: int | None = None
        points: list[Point] = []
        for day in range(ref_day - TREND_DAYS + 1, ref_day + 1):
            new_start = window_start(window, day)
            if start is None:
                for d in range(new_start, day):
                    window_sum += daily.get(d, NOTHING)
            else:
                for d in range(start, new_start):
                    window_sum -= daily.get(d, NOTHING)
            window_sum += daily.get(day, NOTHING)
            start = new_start
            points.append((day, *_value(t, window_sum, day - new_start + 1)))
        values[t.id] = points
    return values


def _departments(target: Target, known: Iterable[str]) -> list[str]:
    """The target's scopes: `_all` and named departments as given, patterns expanded to known departments."""
    out: list[str] = []
    for scope in target.scope:
        matched = sorted(d for d in known if scope_matches(scope, d)) if is_pattern(scope) else [scope]
        out.extend(d for d in matched if d not in out)
    return out


def evaluate_targets(
    targets: TargetFile, aggregations: Iterable[Aggregation], ref_day: int, cache: EvaluationCache | None = None
) -> list[TargetStatus]:
    """Status of every target in every scope of the file, for windows ending on `ref_day` (a date ordinal).

    Targets that share a scope and a window share one slide over the days. A pattern in a scope
    covers the departments that have inquiries in the days the trend reads. A `cache` kept by the
    caller between calls saves merging the whole municipality's (or country's) unchanged days.
    """
    if not targets.targets:
        return []
    first_day = min(window_start(t.window, ref_day - TREND_DAYS + 1) for t in targets.targets)
    daily = _daily_cells(aggregations, targets.municipality, first_day, ref_day, cache)
    scopes = {t.id: _departments(t, daily) for t in targets.targets}
    groups: dict[tuple[str, str], list[Target]] = {}
    for target in targets.targets:
        for department in scopes[target.id]:
            groups.setdefault((department, target.window), []).append(target)
    trends: dict[tuple[str, str], list[Point]] = {}
    for (department, window), members in groups.items():
        scope = (targets.municipality, department)
        for target_id, values in _trend_values(
            members, daily.get(department, {}), window, ref_day, scope, cache
        ).items():
            trends[(target_id, department)] = values
    if cache is not None:  # tallies of days no window reads any more
        for key in [k for k in cache.tallies if k[0] == targets.municipality and k[3] < first_day]:
            del cache.tallies[key]
    today = date.fromordinal(ref_day)
    out: list[TargetStatus] = []
    for target in targets.targets:
        expected = expected_value(target, today)
        for department in scopes[target.id]:
            values = trends[(target.id, department)]
            _, actual, inquiries = values[-1]
            state = state_of(target, actual, inquiries, expected, today)
            judged = state is not TargetState.TOO_FEW_INQUIRIES
            # The trend rests only on days whose window held enough inquiries.
            slope = least_squares_slope([(d, v) for d, v, n in values if v is not None and n >= target.min_inquiries])
            out.append(
                TargetStatus(
                    target_id=target.id,
                    municipality=targets.municipality,
                    department=department,
                    actual=actual,
                    threshold=target.threshold,
                    expected=expected,
                    met=target.meets(actual, target.threshold) if judged and actual is not None else None,
                    slope_per_day=slope if judged else None,
                    projected_reach=projected_reach(target, actual, slope, ref_day) if judged else None,
                    inquiries=inquiries,
                    min_inquiries=target.min_inquiries,
                    state=state,
                )
            )
    return out
