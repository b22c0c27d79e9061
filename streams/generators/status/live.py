"""The worker's `/` page: the status report of the last 28 days against the 28 before, from live state.

The same model and HTML as `komhen report status`; only the period is fixed (28 days ending on
the reference day: today, or with the event clock the day of the newest event). A worker that
counts several municipalities lists them and reports one per `?kommune=NNN`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

from streams.documents.reference import measure_book, municipality_table
from streams.domain.counting.aggregation import Aggregation
from streams.domain.measures.league import DEFAULT_MIN_INQUIRIES
from streams.domain.measures.targets import TargetFile
from streams.domain.report.inputs import DisplayNames, Reference, Units
from streams.domain.report.model import ReportRequest, build_status_report, municipalities
from streams.domain.report.periods import Period, preceding
from streams.generators.status.html import CSS, TITLE, render_html

PERIOD_DAYS = 28
# The report's "Datagrundlag" when it is read from komhen-live's counts (a worker's page, or the summaries in Kafka).
SOURCE_COUNTED = "komhen-live, den løbende optælling af henvendelserne fra kommunens systemer"
SOURCE_IN_PART = (
    "komhen-live, en del af den løbende optælling: resten af tallene er ikke nået frem endnu, så hent siden igen om "
    "lidt"
)


@dataclass(frozen=True)
class Page:
    status: int
    html: str


@dataclass(frozen=True)
class LiveInputs:
    """What a worker knows beyond its counts: targets, display names, a reference, the league minimum."""

    targets: tuple[TargetFile, ...] = ()
    units: Units | None = None
    reference: Reference | None = None
    league_min_inquiries: int = DEFAULT_MIN_INQUIRIES


def last_days(ref_day: int, days: int = PERIOD_DAYS) -> Period:
    last = date.fromordinal(ref_day)
    return Period(last - timedelta(days=days - 1), last, f"de seneste {days} dage")


def _simple(title: str, body: str, status: int = 200) -> Page:
    return Page(
        status,
        '<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main><h1>{escape(title)}</h1>{body}</main></body></html>\n",
    )


def live_page(
    aggregations: Sequence[Aggregation],
    *,
    municipality: str | None,
    ref_day: int | None,
    inputs: LiveInputs,
    now: datetime,
    source: str,
) -> Page:
    """The page for `?kommune=municipality` (None: the only one, or a list to choose from)."""
    found = municipalities(aggregations)
    if ref_day is None or not found:
        return _simple(TITLE, "<p>Der er ikke talt nogen henvendelser endnu.</p>")
    if municipality is None:
        if len(found) > 1:
            links = "".join(
                f'<li><a href="?kommune={m}">{escape(municipality_table().label_of(m))}</a></li>' for m in found
            )
            return _simple(TITLE, f"<p>Vælg en kommune:</p><ul>{links}</ul>")
        municipality = found[0]
    if municipality not in found:
        known = ", ".join(municipality_table().label_of(m) for m in found)
        return _simple(TITLE, f"<p>Kommune {escape(municipality)} er ikke talt her; talte kommuner: {known}.</p>", 404)
    period = last_days(ref_day)
    comparison = preceding(period)
    units = inputs.units if inputs.units is not None and inputs.units.municipality in (None, municipality) else None
    request = ReportRequest(
        municipality=municipality,
        period=period,
        comparison=Period(comparison.first, comparison.last, f"de {PERIOD_DAYS} dage før"),
        targets=inputs.targets,
        reference=inputs.reference,
        names=units.names if units is not None else DisplayNames(),
        league_min_inquiries=inputs.league_min_inquiries,
        official_name=municipality_table().official_name_of(municipality),
        book=measure_book(),
    )
    report = build_status_report(aggregations, request)
    return Page(200, render_html(report, source=source, generated=now))
