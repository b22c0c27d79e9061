"""What the state gauges export, computed before any collector emits: StateFigures and their keeper.

The collectors (streams/telemetry/collectors) only read these figures and write families. Here
the domain work happens, once per change of the counting state: the window sums of this worker's
partitions and of the global view, the label budget re-ranked by the last 365 days' volume and
every department folded under its label value, the shares and service rates, the national sums
and the league tables. Labels stay within municipality × department × channel × direction ×
window; never KLE codes, event ids or free text (but for each department's display name).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from streams.contract import identifiers
from streams.documents.reference import code_table, measure_book
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.totals import WindowCounts, event_clock, municipality_totals, window_parts
from streams.domain.counting.windows import WINDOWS, local_day
from streams.domain.measures.league import DEFAULT_MIN_INQUIRIES, MeasureLeague, Standing, league_tables
from streams.domain.measures.shares import answer_rate, channel_shares, completion_rate, first_contact_resolution
from streams.domain.organisation.departments import unnamed
from streams.telemetry.labels import DepartmentLabels

# What a department (not `_all`) exports: FULL, every channel-direction pair's count and share in every
# window; LEAN, the counts of the pairs it used within the year, and no shares (a dashboard divides the
# counts, which gives the same number): about half the series, for deployments of many municipalities.
FULL, LEAN = "full", "lean"
DEPARTMENT_SERIES = (FULL, LEAN)

ChannelDirection = tuple[str, str]


@dataclass(frozen=True, slots=True)
class DepartmentWindow:
    """One department under its label values (or `_all`, the whole municipality) in one window."""

    municipality: str
    department: str
    window: str
    counts: Mapping[ChannelDirection, int]
    exported: tuple[ChannelDirection, ...]  # the pairs with a count series: all, or (LEAN) those used in the year
    shares: Mapping[ChannelDirection, float]  # empty for a LEAN department
    kinds: tuple[tuple[str, int], ...]  # service events by kind, sorted
    answer_rate: float | None
    completion_rate: float | None
    first_contact_resolution: float | None


@dataclass(frozen=True, slots=True)
class NationalWindow:
    """The whole deployment in one window: its sums, their shares and each league measure's table."""

    window: str
    counts: Mapping[ChannelDirection, int]
    shares: Mapping[ChannelDirection, float]
    leagues: tuple[MeasureLeague, ...]  # in LEAGUE_DEFINITIONS order
    tables: tuple[tuple[Standing, ...], ...]  # each league's table, best first


@dataclass(frozen=True, slots=True)
class NationalFigures:
    """The national view, present only on the worker that holds the global view."""

    pairs: tuple[ChannelDirection, ...]
    windows: tuple[NationalWindow, ...]
    min_inquiries: int


@dataclass(frozen=True, slots=True)
class StateFigures:
    """Everything the state gauges say at one reference moment, in the order they are written."""

    reference: datetime  # where the rolling windows end
    departments: tuple[DepartmentWindow, ...]  # window by window, then by (municipality, department)
    over_budget: tuple[tuple[str, int], ...]  # municipality label -> departments counted under _other
    names: tuple[tuple[str, str, str], ...]  # (municipality, department, display name) with series of their own
    national: NationalFigures | None


def state_figures(
    local: list[Aggregation],
    view: Aggregation | None,
    ref: datetime,
    ref_day: int,
    budget: DepartmentLabels,
    *,
    lean: bool = False,
    min_inquiries: int = DEFAULT_MIN_INQUIRIES,
) -> StateFigures:
    """The figures of this worker's partitions (`local`) and, with the global view, of whole municipalities.

    Re-ranks `budget` by the last 365 days' inquiries and service events first, so the departments
    with series of their own are the busiest ones (telemetry/labels.py).
    """
    pairs = code_table().channel_directions()
    parts = window_parts(local, ref_day)
    whole = window_parts([view], ref_day) if view is not None else None
    budget.rerank(*_volumes(parts, whole))
    folded = _labelled(parts, whole, budget)
    channels, completions, kinds = folded["channels"], folded["completions"], folded["kinds"]
    used: dict[tuple[str, str], tuple[ChannelDirection, ...]] = {}
    if lean:  # a department's pairs that had inquiries within the year (365 days or the year to date)
        for key in channels[WINDOWS[0]]:
            year = channels["365d"].get(key, Counter()) + channels["ytd"].get(key, Counter())
            used[key] = tuple(p for p in pairs if year.get(p))
    rows = []
    for window in WINDOWS:
        for (municipality, department), counts in sorted(channels[window].items()):
            everything = department == identifiers.ALL_DEPARTMENTS or not lean
            dept_kinds = kinds[window].get((municipality, department), Counter())
            rows.append(
                DepartmentWindow(
                    municipality,
                    department,
                    window,
                    counts,
                    pairs if everything else used[(municipality, department)],
                    channel_shares(counts, pairs) if everything else {},
                    tuple(sorted(dept_kinds.items())),
                    answer_rate(counts, dept_kinds),
                    completion_rate(counts, dept_kinds),
                    first_contact_resolution(completions[window].get((municipality, department), {})),
                )
            )
    return StateFigures(
        reference=ref,
        departments=tuple(rows),
        over_budget=tuple(sorted(budget.over_budget.items())),
        names=department_names(local, budget),
        national=None if whole is None else national_figures(whole, pairs, min_inquiries),
    )


def _volumes(
    parts: Mapping[str, WindowCounts], whole: Mapping[str, WindowCounts] | None
) -> tuple[Counter[tuple[str, str]], Counter[str] | None]:
    """Inquiries and service events in the last 365 days: per local department, and per municipality
    in the global view (None without it)."""
    volumes = Counter({dept: sum(c.values()) for dept, c in parts["channels"]["365d"].items()})
    volumes.update({dept: sum(c.values()) for dept, c in parts["kinds"]["365d"].items()})
    if whole is None:
        return volumes, None
    municipalities: Counter[str] = Counter()
    for part in ("channels", "kinds"):
        for (municipality, _), in_window in whole[part]["365d"].items():
            municipalities[municipality] += sum(in_window.values())
    return volumes, municipalities


def national_figures(
    whole: Mapping[str, WindowCounts], pairs: tuple[ChannelDirection, ...], min_inquiries: int
) -> NationalFigures:
    """The national view from every municipality's totals in the global view.

    Read before the label budget folds anything: the sums, the averages and the league are
    over the real municipalities, whatever gets a series of its own."""
    windows = []
    for window in WINDOWS:
        channels = municipality_totals(whole["channels"][window])
        total: Counter[ChannelDirection] = Counter()
        for municipality_counts in channels.values():
            total.update(municipality_counts)
        leagues = tuple(
            league_tables(
                channels, municipality_totals(whole["completions"][window]), min_inquiries, book=measure_book()
            ).values()
        )
        windows.append(
            NationalWindow(
                window, total, channel_shares(total, pairs), leagues, tuple(tuple(m.table()) for m in leagues)
            )
        )
    return NationalFigures(pairs, tuple(windows), min_inquiries)


def department_names(aggregations: Iterable[Aggregation], budget: DepartmentLabels) -> tuple[tuple[str, str, str], ...]:
    """The display name (e.g. 'Børn og Unge') of every department with series of its own, sorted.

    The one free-text label of the worker, bounded like the departments themselves: the name of its
    newest named inquiry (checked for personal data when it arrived), or where no inquiry named it
    the slug (the blank unit: Enhed ikke angivet), so a join never loses a department.
    """
    aggregations = list(aggregations)
    named = {dept: unnamed(dept[1]) for aggregation in aggregations for dept in aggregation.buckets}
    for aggregation in aggregations:
        named.update(aggregation.department_names())
    return tuple(
        (municipality, department, name)
        for (municipality, department), name in sorted(named.items())
        if budget.labels(municipality, department) == (municipality, department)
    )


def _labelled(
    parts: Mapping[str, WindowCounts], whole: Mapping[str, WindowCounts] | None, labels: DepartmentLabels
) -> dict[str, WindowCounts]:
    """Local departments under their label values (beyond the budget summed as `_other`), plus each
    municipality as department `_all` when this worker has the whole view. The input is read only:
    a department with its own series shares its Counters, a sum gets Counters of its own."""
    out: dict[str, WindowCounts] = {part: {w: {} for w in WINDOWS} for part in parts}
    summed: set[tuple[str, str]] = set()
    for dept in list(parts["channels"][WINDOWS[0]]):
        _put(out, summed, labels.labels(*dept), lambda part, w, dept=dept: parts[part][w][dept])  # type: ignore[misc]
    if whole is not None:
        totals = {part: {w: municipality_totals(whole[part][w]) for w in WINDOWS} for part in whole}
        for municipality in list(totals["channels"][WINDOWS[0]]):
            _put(
                out,
                summed,
                labels.all_labels(municipality),
                lambda part, w, m=municipality: totals[part][w].get(m, Counter()),  # type: ignore[misc]
            )
    return out


def _put(
    out: dict[str, WindowCounts],
    summed: set[tuple[str, str]],
    key: tuple[str, str],
    counts_of: Callable[[str, str], Counter[Any]],
) -> None:
    """Set, or add to, the counts of `key` in every part and window."""
    if key not in out["channels"][WINDOWS[0]]:
        for part, windows in out.items():
            for w, target in windows.items():
                target[key] = counts_of(part, w)  # shared with the state's kept sums until a second one adds
        return
    copy = key not in summed
    summed.add(key)
    for part, windows in out.items():
        for w, target in windows.items():
            acc = target[key]
            if copy:
                acc = target[key] = Counter(acc)
            for item, n in counts_of(part, w).items():
                acc[item] = acc.get(item, 0) + n


class FigureKeeper:
    """Keeps the newest StateFigures of the counting state; the state collectors read them.

    Departments come from this worker's own partitions. The whole municipality (`_all`) comes
    from the global view of all workers' summaries, and only from the one worker given that view
    (the owner of input partition 0), so there is one series, not one per worker; so do the
    national view and the league tables. `department_series` (FULL or LEAN) says how much a
    department exports. The figures are computed again when the state changed, at most every
    `min_interval_s` however often they are read, and at once when the reference day changes or
    the whole municipality becomes (un)available.
    """

    def __init__(
        self,
        aggregations: Callable[[], list[Aggregation]],
        *,
        clock: str,
        municipality_view: Callable[[], Aggregation | None] = lambda: None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        min_interval_s: float = 1.0,
        departments: DepartmentLabels | None = None,
        league_min_inquiries: int = DEFAULT_MIN_INQUIRIES,
        department_series: str = FULL,
    ) -> None:
        self._budget = departments if departments is not None else DepartmentLabels()
        self._aggregations = aggregations
        self._municipality_view = municipality_view
        self._clock = clock
        self._now = now
        self._min_interval_s = min_interval_s
        self._lean = department_series == LEAN
        self._league_min_inquiries = league_min_inquiries
        self._key: tuple[Any, ...] | None = None
        self._ref_day: int | None = None
        self._computed_at = -float("inf")
        self._figures: StateFigures | None = None

    def reference_time(self, local: list[Aggregation], view: Aggregation | None = None) -> datetime | None:
        """The end of every window: now, or with the event clock the newest event that is no lone outlier."""
        if self._clock == "event":
            return event_clock(local, view)
        return self._now()

    def reference_day(self) -> int | None:
        local, view = self._aggregations(), self._municipality_view()
        everything = local + ([view] if view is not None else [])
        ref = self.reference_time(local, view)
        return None if ref is None or not everything else local_day(ref, everything[0].tz)

    def current(self) -> StateFigures | None:
        """The figures now (None before the first event), from the last computation while it is recent."""
        local, view = self._aggregations(), self._municipality_view()
        everything = local + ([view] if view is not None else [])
        ref = self.reference_time(local, view)
        if ref is None or not everything:
            return None
        ref_day = local_day(ref, everything[0].tz)
        key = (ref_day, view is not None, tuple((id(a), a.version) for a in everything))
        recent = (
            time.monotonic() - self._computed_at < self._min_interval_s
            and ref_day == self._ref_day
            and self._key is not None
            and self._key[1] == (view is not None)  # the whole municipality just became (un)available
        )
        if key != self._key and not recent:
            self._figures = state_figures(
                local, view, ref, ref_day, self._budget, lean=self._lean, min_inquiries=self._league_min_inquiries
            )
            self._key, self._ref_day, self._computed_at = key, ref_day, time.monotonic()
        return self._figures
