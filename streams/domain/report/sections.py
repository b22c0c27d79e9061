"""The sections of a status report that are plain projections of cell counts: mix, trend, units.

Each function takes the joint cell counts of a period (or of each day) and returns frozen
rows; nothing here formats a number.
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from streams.domain.counting.day_buckets import Cell
from streams.domain.events.codes import CodeTable
from streams.domain.measures.measures import MeasureBook
from streams.domain.measures.shares import FIRST_CONTACT_CHANNELS
from streams.domain.report.figures import FIGURES_BY_ID, FigureDefinition, Value, key_figures
from streams.domain.report.periods import Bucket, Coverage, Period, TrendUnit

TOP_KLE = 5  # KLE tasks listed per unit
INFORMATION_TYPES = frozenset({"INFO", "VEJL"})  # questions a website could answer (see findings F4)
TREND_SERIES = ("digital_share", "self_service_share", "personal_share", "digital_post_out_share")

DayCells = Mapping[tuple[str, int], Mapping[Cell, int]]  # (department, day ordinal) -> cell counts


def cells_of(
    day_cells: DayCells, first_day: int, last_day: int, departments: Iterable[str] | None = None
) -> Counter[Cell]:
    """The cells of the given departments (None: all) over an inclusive range of days."""
    wanted = None if departments is None else set(departments)
    out: Counter[Cell] = Counter()
    for (department, day), cells in day_cells.items():
        if first_day <= day <= last_day and (wanted is None or department in wanted):
            out.update(cells)
    return out


# --- channel mix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MixRow:
    channel: str
    name: str
    counts: tuple[int, ...]  # one per column of the mix
    shares: tuple[float | None, ...]


@dataclass(frozen=True)
class ChannelMix:
    """One direction's inquiries by channel, per period: the 100 % stacked bars."""

    direction: str
    columns: tuple[str, ...]  # what the periods are, oldest first: "Forrige periode", "Perioden"
    periods: tuple[str, ...]  # the periods' names or dates
    totals: tuple[int, ...]
    rows: tuple[MixRow, ...]  # the direction's channels with inquiries in some column, code-table order


def channel_mix(direction: str, columns: Iterable[tuple[str, str, Mapping[Cell, int]]], codes: CodeTable) -> ChannelMix:
    """`columns`: (what the period is, its name or dates, its cells), oldest first."""
    named = list(columns)
    per_column: list[Counter[str]] = []
    for _, _, cells in named:
        by_channel: Counter[str] = Counter()
        for cell, n in cells.items():
            if cell.direction == direction:
                by_channel[cell.channel] += n
        per_column.append(by_channel)
    totals = tuple(sum(c.values()) for c in per_column)
    rows = []
    for channel in codes.channels.values():
        counts = tuple(c.get(channel.name, 0) for c in per_column)
        if any(counts):
            shares = tuple(n / t if t else None for n, t in zip(counts, totals, strict=True))
            rows.append(MixRow(channel.name, channel.da, counts, shares))
    return ChannelMix(
        direction, tuple(kind for kind, _, _ in named), tuple(name for _, name, _ in named), totals, tuple(rows)
    )


# --- trend -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    bucket: Bucket
    part_of: str  # "period", "comparison" or "" (between the two)
    inquiries_in: int
    inquiries_out: int
    values: Mapping[str, Value]  # TREND_SERIES
    days: int  # days of the bucket with counts: within the report's span and on or after counting began
    whole_days: int  # days of a whole week or month

    @property
    def partial(self) -> bool:
        """A week or month with some days of counts but fewer than a whole one: not comparable with whole ones."""
        return 0 < self.days < self.whole_days


@dataclass(frozen=True)
class Trend:
    unit: TrendUnit
    series: tuple[FigureDefinition, ...]
    points: tuple[TrendPoint, ...]


def trend(
    day_cells: DayCells,
    departments: Iterable[str] | None,
    buckets: list[Bucket],
    period: Period,
    comparison: Period,
    unit: TrendUnit,
    book: MeasureBook,
    counted_from: date | None = None,
) -> Trend:
    chosen = None if departments is None else list(departments)
    points = []
    for bucket in buckets:
        cells = cells_of(day_cells, bucket.first.toordinal(), bucket.last.toordinal(), chosen)
        figures = key_figures(cells, book)
        if period.first <= bucket.first <= period.last:
            part = "period"
        elif comparison.first <= bucket.first <= comparison.last:
            part = "comparison"
        else:
            part = ""
        points.append(
            TrendPoint(
                bucket,
                part,
                int(figures["inquiries_in"].value or 0),
                int(figures["inquiries_out"].value or 0),
                {s: figures[s] for s in TREND_SERIES},
                Coverage.of(bucket.first, bucket.last, counted_from).counted,
                7 if unit == "week" else monthrange(bucket.first.year, bucket.first.month)[1],
            )
        )
    return Trend(unit, tuple(FIGURES_BY_ID[s] for s in TREND_SERIES), tuple(points))


# --- per unit --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    name: str
    inbound: int
    outbound: int

    @property
    def total(self) -> int:
        return self.inbound + self.outbound


@dataclass(frozen=True)
class CountRow:
    """A count and its share of a whole (an inquiry type, a KLE task)."""

    code: str | None  # None: "not given"
    name: str
    count: int
    share: float | None


@dataclass(frozen=True)
class CompletionRow:
    channel: str
    name: str
    immediate: int  # STRAKS
    forwarded: int  # HOLD
    not_given: int
    resolution: Value  # STRAKS / (STRAKS + HOLD)


@dataclass(frozen=True)
class FormRow:
    channel: str
    direction: str
    name: str  # "Papirbrev, indgående"
    with_form: int
    of_channel: int  # all inquiries of the channel and direction


@dataclass(frozen=True)
class UnitReport:
    department: str
    name: str
    figures: Mapping[str, Value]  # key figures of the unit over the period
    channels: tuple[ChannelRow, ...]
    types: tuple[CountRow, ...]
    completions: tuple[CompletionRow, ...]
    forms: tuple[FormRow, ...]
    top_kle: tuple[CountRow, ...]  # share: of the unit's inquiries with a KLE number
    with_kle: int
    without_kle: int

    @property
    def inquiries(self) -> int:
        return sum(r.total for r in self.channels)


def unit_report(department: str, name: str, cells: Mapping[Cell, int], book: MeasureBook) -> UnitReport:
    codes = book.codes
    by_cd: Counter[tuple[str, str]] = Counter()
    types: Counter[str | None] = Counter()
    completions: Counter[tuple[str, str | None]] = Counter()
    forms: Counter[tuple[str, str]] = Counter()
    kle: Counter[str] = Counter()
    for cell, n in cells.items():
        by_cd[(cell.channel, cell.direction)] += n
        types[cell.inquiry_type] += n
        if cell.channel in FIRST_CONTACT_CHANNELS:
            completions[(cell.channel, cell.completion)] += n
        if cell.form:
            forms[(cell.channel, cell.direction)] += n
        if cell.kle is not None:
            kle[cell.kle] += n
    total = sum(by_cd.values())
    channels = tuple(
        ChannelRow(c.name, c.da, by_cd.get((c.name, "in"), 0), by_cd.get((c.name, "out"), 0))
        for c in codes.channels.values()
        if by_cd.get((c.name, "in"), 0) or by_cd.get((c.name, "out"), 0)
    )
    type_rows = [
        CountRow(code, t.da, types[code], types[code] / total if total else None)
        for code, t in codes.inquiry_types.items()
        if types.get(code)
    ]
    if types.get(None):
        type_rows.append(CountRow(None, "Type ikke angivet", types[None], types[None] / total if total else None))
    completion_rows = []
    for channel in sorted(FIRST_CONTACT_CHANNELS, key=list(codes.channels).index):
        immediate = completions.get((channel, "immediate"), 0)
        forwarded = completions.get((channel, "forwarded"), 0)
        not_given = completions.get((channel, None), 0)
        if immediate or forwarded or not_given:
            recorded = immediate + forwarded
            completion_rows.append(
                CompletionRow(
                    channel,
                    codes.channels[channel].da,
                    immediate,
                    forwarded,
                    not_given,
                    Value(immediate / recorded if recorded else None, immediate, recorded),
                )
            )
    form_rows = tuple(
        FormRow(c, d, f"{codes.channels[c].da}, {codes.direction_names[d].lower()}", forms[(c, d)], by_cd[(c, d)])
        for c, d in codes.channel_directions()
        if forms.get((c, d))
    )
    with_kle = sum(kle.values())
    top = sorted(kle.items(), key=lambda item: (-item[1], item[0]))[:TOP_KLE]
    return UnitReport(
        department=department,
        name=name,
        figures=key_figures(cells, book),
        channels=channels,
        types=tuple(type_rows),
        completions=tuple(completion_rows),
        forms=form_rows,
        top_kle=tuple(CountRow(code, code, n, n / with_kle) for code, n in top),
        with_kle=with_kle,
        without_kle=total - with_kle,
    )
