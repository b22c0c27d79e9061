"""The national view in a status report: the deployment's own figures and the municipality's place.

A report compares a municipality with a reference (KL's 2013 national averages from a file). Where
the deployment holds many municipalities it can say the same from its own counts, over exactly
the report's period: the country as sums (`national`) or the average municipality (`mean`,
`median` of the ranked municipalities; streams/domain/measures/league.py says which is which). It also
places the municipality in each league table, in the period and in the comparison period
("Ishøj went from last to 11th place").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from streams.contract.danish import LEAGUE_MEASURE_NAMES_DA
from streams.domain.counting.aggregation import Aggregation
from streams.domain.measures.league import (
    DEFAULT_MIN_INQUIRIES,
    LEAGUE_DEFINITIONS,
    LeagueMeasure,
    MeasureLeague,
    league_over_days,
)
from streams.domain.measures.measures import MeasureBook
from streams.domain.report.inputs import Reference
from streams.domain.report.periods import Period

# The report's key figure of each league measure (streams/domain/report/figures.py).
FIGURE_OF = MappingProxyType(
    {
        LeagueMeasure.SELF_SERVICE: "self_service_share",
        LeagueMeasure.DIGITAL: "digital_share",
        LeagueMeasure.PERSONAL: "personal_share",
        LeagueMeasure.PAPER: "paper_share",
        LeagueMeasure.DIGITAL_POST_OUT: "digital_post_out_share",
        LeagueMeasure.FIRST_CONTACT_RESOLUTION: "first_contact_resolution",
        LeagueMeasure.COST_PER_INQUIRY: "cost_per_inquiry",
    }
)
STATISTICS = MappingProxyType(
    {"national": "Hele landet (summen)", "mean": "Gennemsnitskommunen", "median": "Mediankommunen"}
)


def _value(table: MeasureLeague, statistic: str) -> float | None:
    return {"national": table.national, "mean": table.mean, "median": table.median}[statistic]


def national_reference(
    aggregations: Iterable[Aggregation],
    first_day: int,
    last_day: int,
    statistic: str = "national",
    min_inquiries: int = DEFAULT_MIN_INQUIRIES,
    *,
    book: MeasureBook,
) -> Reference:
    """A Reference of the deployment's figures over a period (date ordinals, inclusive)."""
    if statistic not in STATISTICS:
        raise ValueError(f"statistic {statistic!r}: expected one of {', '.join(STATISTICS)}")
    tables = league_over_days(aggregations, first_day, last_day, min_inquiries, book=book)
    values = {FIGURE_OF[m]: v for m, t in tables.items() if (v := _value(t, statistic)) is not None}
    municipalities = len({m for t in tables.values() for m in t.standings})
    ranked = max((t.ranked for t in tables.values()), default=0)
    if statistic == "national":
        source = f"komhen-live: alle {municipalities} kommuners henvendelser i perioden lagt sammen"
    else:
        source = (
            f"komhen-live: {STATISTICS[statistic].lower()} af kommunerne med mindst {min_inquiries} henvendelser "
            f"bag hvert tal i perioden (op til {ranked} af {municipalities})"
        )
    return Reference(name=STATISTICS[statistic], values=MappingProxyType(values), source=source)


@dataclass(frozen=True)
class LeaguePlace:
    """The municipality on one league measure: its value and rank in the period and the one before."""

    measure: LeagueMeasure
    name: str  # Danish, as dashboards call it
    value: float | None
    inquiries: int  # what the value rests on
    rank: int | None  # None: too few inquiries (or none) to be ranked
    ranked: int  # municipalities ranked on the measure in the period
    earlier_rank: int | None
    earlier_ranked: int
    national: float | None  # the deployment as sums, the same period
    mean: float | None  # the average municipality, the same period

    @property
    def moved(self) -> int | None:
        """Places gained since the comparison period (positive: up the table)."""
        if self.rank is None or self.earlier_rank is None:
            return None
        return self.earlier_rank - self.rank


def league_places(
    aggregations: Iterable[Aggregation],
    municipality: str,
    period: Period,
    comparison: Period,
    min_inquiries: int = DEFAULT_MIN_INQUIRIES,
    *,
    book: MeasureBook,
) -> tuple[LeaguePlace, ...]:
    """The municipality's place on every league measure; none where the deployment holds no other municipality."""
    aggregations = list(aggregations)
    now = league_over_days(aggregations, period.first_day, period.last_day, min_inquiries, book=book)
    before = league_over_days(aggregations, comparison.first_day, comparison.last_day, min_inquiries, book=book)
    others = {m for tables in (now, before) for t in tables.values() for m in t.standings} - {municipality}
    if not others:
        return ()
    places = []
    for measure in LEAGUE_DEFINITIONS:
        table, earlier = now[measure], before[measure]
        standing, earlier_standing = table.standings.get(municipality), earlier.standings.get(municipality)
        places.append(
            LeaguePlace(
                measure=measure,
                name=LEAGUE_MEASURE_NAMES_DA[measure],
                value=standing.value if standing else None,
                inquiries=standing.inquiries if standing else 0,
                rank=standing.rank if standing else None,
                ranked=table.ranked,
                earlier_rank=earlier_standing.rank if earlier_standing else None,
                earlier_ranked=earlier.ranked,
                national=table.national,
                mean=table.mean,
            )
        )
    return tuple(places)
