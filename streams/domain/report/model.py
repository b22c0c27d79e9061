"""The status report as data: every figure of every section, computed from cell counts.

`build_status_report` is the one place a status report's numbers are made; the HTML, CSV and
PDF are renderers of the StatusReport it returns (streams/generators/status/). The counts come
from Aggregations, whether they were rebuilt from the summaries topic (Kafka) or counted from
KOMHEN export files, so both give the same report for the same inquiries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from streams.contract.danish import whole
from streams.contract.identifiers import ALL_DEPARTMENTS, UNKNOWN_DEPARTMENT
from streams.contract.texts import text
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import Cell
from streams.domain.measures.league import DEFAULT_MIN_INQUIRIES
from streams.domain.measures.measures import MeasureBook
from streams.domain.measures.targets import TargetFile
from streams.domain.report.figures import KEY_FIGURES, FigureDefinition, Value, change, key_figures
from streams.domain.report.findings import FindingRules, UnitFinding, ordered, unit_findings
from streams.domain.report.goals import GoalResult, evaluate_goals
from streams.domain.report.inputs import DisplayNames, Reference, ReportInputError, Selection
from streams.domain.report.national_section import LeaguePlace, league_places
from streams.domain.report.periods import Coverage, Period, buckets, trend_unit
from streams.domain.report.sections import (
    ChannelMix,
    DayCells,
    Trend,
    UnitReport,
    cells_of,
    channel_mix,
    trend,
    unit_report,
)

ComparisonKind = Literal["preceding", "baseline"]


@dataclass(frozen=True)
class ReportRequest:
    """What to report on. Display names, the reference and the targets are optional inputs; the
    measure book (code table and KL's prices) and the municipality's official name come from the
    shipped tables (streams.documents.reference), handed in by the caller."""

    municipality: str
    period: Period
    comparison: Period
    comparison_kind: ComparisonKind = "preceding"
    selection: Selection = field(default_factory=Selection)
    names: DisplayNames = field(default_factory=DisplayNames)
    reference: Reference | None = None
    targets: tuple[TargetFile, ...] = ()
    rules: FindingRules = field(default_factory=FindingRules)
    trend: str = "auto"  # auto | week | month
    league_min_inquiries: int = (
        DEFAULT_MIN_INQUIRIES  # a rank rests on at least this many (KOMHEN_LEAGUE_MIN_INQUIRIES)
    )
    official_name: str | None = None  # e.g. "Ishøj Kommune"; None for a number that is none of the 98
    book: MeasureBook = field(kw_only=True)


@dataclass(frozen=True)
class KeyFigure:
    definition: FigureDefinition
    current: Value
    earlier: Value
    change: float | None  # shares: percentage points; counts and kroner: relative (0.1 = +10 %)
    reference: float | None


@dataclass(frozen=True)
class StatusReport:
    municipality: str
    municipality_name: str  # as the report writes it, e.g. "Ishøj Kommune (183)" or "Kommune 183"
    selection: Selection
    period: Period
    comparison: Period
    comparison_kind: ComparisonKind
    reference: Reference | None
    rules: FindingRules
    key_figures: tuple[KeyFigure, ...]
    mix_in: ChannelMix
    mix_out: ChannelMix
    trend: Trend
    targets_given: bool  # False: no target file for this municipality
    goals: tuple[GoalResult, ...]
    units: tuple[UnitReport, ...]
    findings: tuple[UnitFinding, ...]
    league: tuple[LeaguePlace, ...] = ()  # the whole municipality's places; none with no other municipality
    league_min_inquiries: int = DEFAULT_MIN_INQUIRIES
    counted_from: date | None = None  # the municipality's first day with counts: when counting began

    @property
    def period_coverage(self) -> Coverage:
        return Coverage.of(self.period.first, self.period.last, self.counted_from)

    @property
    def comparison_coverage(self) -> Coverage:
        return Coverage.of(self.comparison.first, self.comparison.last, self.counted_from)

    @property
    def min_inquiries(self) -> int:
        return self.rules.min_inquiries

    @property
    def comparison_name(self) -> str:
        return "Forrige periode" if self.comparison_kind == "preceding" else "Basisperiode"


def municipality_day_cells(
    aggregations: Iterable[Aggregation], municipality: str, first_day: int, last_day: int
) -> dict[tuple[str, int], Counter[Cell]]:
    """Cell counts per department and day of one municipality over an inclusive range of days."""
    out: dict[tuple[str, int], Counter[Cell]] = {}
    for agg in aggregations:
        for (mun, department), day, bucket in agg.days():
            if mun == municipality and first_day <= day <= last_day:
                out.setdefault((department, day), Counter()).update(bucket.cells)
    return out


def first_counted_day(aggregations: Iterable[Aggregation], municipality: str) -> date | None:
    """The first day with any counts of the municipality: where its counting began (None: nothing counted)."""
    days = [day for agg in aggregations for (mun, _), day, _ in agg.days() if mun == municipality]
    return date.fromordinal(min(days)) if days else None


def municipalities(aggregations: Iterable[Aggregation]) -> list[str]:
    """The municipalities with any counts, sorted."""
    return sorted({mun for agg in aggregations for (mun, _), _, _ in agg.days()})


def build_status_report(aggregations: Iterable[Aggregation], request: ReportRequest) -> StatusReport:
    """The whole report for `request` from the day buckets of `aggregations`."""
    period, comparison = request.period, request.comparison
    if comparison.last >= period.first and comparison.first <= period.last:
        raise ReportInputError(text("report.overlap", comparison=comparison.dates, period=period.dates))
    span = Period(min(period.first, comparison.first), max(period.last, comparison.last))
    aggregations = list(aggregations)
    counted = {
        department: name
        for agg in aggregations
        for (municipality, department), name in agg.department_names().items()
        if municipality == request.municipality
    }
    request = replace(request, names=request.names.filled(counted, request.official_name))
    day_cells = municipality_day_cells(aggregations, request.municipality, span.first_day, span.last_day)
    report = report_from_cells(day_cells, request, span, first_counted_day(aggregations, request.municipality))
    places = league_places(
        aggregations, request.municipality, period, comparison, request.league_min_inquiries, book=request.book
    )
    return replace(report, league=places, league_min_inquiries=request.league_min_inquiries)


def report_from_cells(
    day_cells: DayCells, request: ReportRequest, span: Period, counted_from: date | None = None
) -> StatusReport:
    """The report from the cells per department and day; `counted_from` is the day counting began.

    Sums over days (inquiries, the channel mix's price) are compared only when both periods were
    counted throughout: a comparison period that counting began inside of has fewer days of counts.
    Shares are compared all the same; the report says how many days each period holds."""
    period, comparison, selection, names = request.period, request.comparison, request.selection, request.names
    departments = sorted(
        {d for d, _ in day_cells if selection.includes(d)}, key=lambda d: (d == UNKNOWN_DEPARTMENT, names.department(d))
    )
    chosen = None if selection.departments is None else departments

    def cells(department: str, within: Period) -> Counter[Cell]:
        scope = chosen if department == ALL_DEPARTMENTS else [department]
        return cells_of(day_cells, within.first_day, within.last_day, scope)

    current, earlier = cells(ALL_DEPARTMENTS, period), cells(ALL_DEPARTMENTS, comparison)
    book = request.book
    now, before = key_figures(current, book), key_figures(earlier, book)
    reference = request.reference.values if request.reference else {}
    coverages = [Coverage.of(p.first, p.last, counted_from) for p in (comparison, period)]
    sums_compare = not any(c.partial for c in coverages)
    figures = tuple(
        KeyFigure(
            d,
            now[d.id],
            before[d.id],
            change(d.kind, now[d.id].value, before[d.id].value) if sums_compare or not d.additive else None,
            reference.get(d.id),
        )
        for d in KEY_FIGURES
    )
    comparison_name = "Forrige periode" if request.comparison_kind == "preceding" else "Basisperiode"
    columns = [
        (comparison_name, _with_coverage(comparison.name, coverages[0]), earlier),
        ("Perioden", _with_coverage(period.name, coverages[1]), current),
    ]
    unit = trend_unit(span, request.trend)
    units = []
    findings: list[UnitFinding] = []
    for department in departments:
        unit_cells = cells(department, period)
        if not unit_cells:
            continue
        name = names.department(department)
        units.append(unit_report(department, name, unit_cells, book))
        findings.extend(unit_findings(department, name, unit_cells, request.rules, book.codes))
    return StatusReport(
        municipality=request.municipality,
        municipality_name=names.municipality(request.municipality),
        selection=selection,
        period=period,
        comparison=comparison,
        comparison_kind=request.comparison_kind,
        reference=request.reference,
        rules=request.rules,
        key_figures=figures,
        mix_in=channel_mix("in", columns, book.codes),
        mix_out=channel_mix("out", columns, book.codes),
        trend=trend(day_cells, chosen, buckets(span, unit), period, comparison, unit, book, counted_from),
        targets_given=any(f.municipality == request.municipality for f in request.targets),
        goals=evaluate_goals(
            request.targets,
            request.municipality,
            cells,
            selection.includes,
            selection.title,
            names.department,
            period,
            comparison,
            request.rules.min_inquiries,
        ),
        units=tuple(units),
        findings=ordered(findings),
        counted_from=counted_from,
    )


def _with_coverage(name: str, coverage: Coverage) -> str:
    """A period's name, and how many of its days hold counts if not all do."""
    if not coverage.partial:
        return name
    return f"{name} (tal fra {whole(coverage.counted)} af {whole(coverage.days)} dage)"


def figure_map(report: StatusReport) -> Mapping[str, KeyFigure]:
    return {f.definition.id: f for f in report.key_figures}
