"""The national view as a status report's reference: the deployment's own figures for the same period.

A report compares a municipality with a reference (KL's 2013 national averages from a file). Where
the deployment holds many municipalities it can say the same from its own counts, over exactly
the report's period: the country as sums (`national`) or the average municipality (`mean`,
`median` of the ranked municipalities; streams/domain/league.py says which is which).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from streams.domain.aggregation import Aggregation
from streams.domain.league import DEFAULT_MIN_INQUIRIES, LeagueMeasure, MeasureLeague, league_over_days
from streams.domain.report.inputs import Reference

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
) -> Reference:
    """A Reference of the deployment's figures over a period (date ordinals, inclusive)."""
    if statistic not in STATISTICS:
        raise ValueError(f"statistic {statistic!r}: expected one of {', '.join(STATISTICS)}")
    tables = league_over_days(aggregations, first_day, last_day, min_inquiries)
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
