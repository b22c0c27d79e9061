"""The national view: the whole deployment as one, the average municipality, and league tables.

Two different "national averages" are quoted in the KOMHEN material, and both are kept apart here:

- the **national aggregate** (`national`): every municipality's inquiries added up and the measure
  computed once over the sums, as if the deployment were one municipality (a share of all
  inquiries in the country; a large municipality weighs more). Never an average of shares.
- the **average municipality** (`mean`, `median`): the measure computed per municipality, then
  the mean and the median of those values (each municipality weighs one). Only municipalities
  with enough inquiries in the measure's population (the ranked ones) take part.

A league table ranks the municipalities on one measure: rank 1 is the best (the highest share,
or the lowest for personal attendance, paper and cost), equal values share a rank and the next
rank is skipped (1, 2, 2, 4). The percentile is the share of the *other* ranked municipalities
that a municipality is at least as good as: (ranked − rank) / (ranked − 1), 1 for the best, 0 for
the worst, 1 when it is ranked alone. A municipality whose measure rests on fewer than
`min_inquiries` inquiries keeps its value but gets no rank and is left out of the averages.

Everything is computed from channel and completion counts per municipality, so the same functions
serve the worker's league metrics (window sums of the global view) and the status report (any
period: `league_over_days`).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import Cell
from streams.domain.measures.measures import Measure, MeasureBook, Selector, tally, value_of

ChannelDirection = tuple[str, str]
ChannelCompletion = tuple[str, str]
DEFAULT_MIN_INQUIRIES = 100  # a rank rests on at least this many inquiries of the measure's population


class LeagueMeasure(StrEnum):
    """The measures municipalities are compared on (the `measure` label of the league metrics)."""

    SELF_SERVICE = "self_service"
    DIGITAL = "digital"
    PERSONAL = "personal"
    PAPER = "paper"
    DIGITAL_POST_OUT = "digital_post_out"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution"
    COST_PER_INQUIRY = "cost_per_inquiry"


@dataclass(frozen=True)
class LeagueDefinition:
    """A league measure: one of the target measures (its numerator narrowed where given) and which way
    is better. Its selectors are resolved against a MeasureBook when it is counted."""

    measure: Measure
    higher_is_better: bool
    numerator: Selector = field(default_factory=Selector)  # overrides the measure's default numerator


# Each league measure, on the target measures' default selectors (streams/domain/measures/measures.py).
LEAGUE_DEFINITIONS: Mapping[LeagueMeasure, LeagueDefinition] = MappingProxyType(
    {
        # self-service inquiries / all incoming inquiries
        LeagueMeasure.SELF_SERVICE: LeagueDefinition(
            Measure.CHANNEL_SHARE, True, Selector(channels=frozenset({"self_service"}))
        ),
        # incoming on digital channels / all incoming
        LeagueMeasure.DIGITAL: LeagueDefinition(Measure.DIGITAL_SHARE, True),
        # personal attendance / all incoming inquiries
        LeagueMeasure.PERSONAL: LeagueDefinition(
            Measure.CHANNEL_SHARE, False, Selector(channels=frozenset({"personal"}))
        ),
        # paper letters and remote print / all inquiries in and out
        LeagueMeasure.PAPER: LeagueDefinition(Measure.PAPER_SHARE, False),
        # outgoing Digital Post / all outgoing
        LeagueMeasure.DIGITAL_POST_OUT: LeagueDefinition(Measure.DIGITAL_POST_OUT_SHARE, True),
        # phone and personal attendance resolved at first contact (STRAKS) / those with a completion
        LeagueMeasure.FIRST_CONTACT_RESOLUTION: LeagueDefinition(Measure.FIRST_CONTACT_RESOLUTION, True),
        # average KL price (2011) of the inquiries on priced channels, in and out
        LeagueMeasure.COST_PER_INQUIRY: LeagueDefinition(Measure.COST_PER_INQUIRY, False),
    }
)

# A league measure counted: (measure, numerator, denominator, prices), its selectors resolved.
_Counted = tuple[Measure, Selector, Selector, Mapping[str, float]]


def _resolved(book: MeasureBook) -> dict[LeagueMeasure, _Counted]:
    out: dict[LeagueMeasure, _Counted] = {}
    for key, d in LEAGUE_DEFINITIONS.items():
        numerator, denominator = book.resolve(d.measure, d.numerator, Selector())
        out[key] = (d.measure, numerator, denominator, book.prices_for(d.measure))
    return out


@dataclass(frozen=True)
class Evaluated:
    """A measure's value and the number of inquiries it rests on (None: no population at all)."""

    value: float | None
    inquiries: int


def _channel_cells(channels: Mapping[ChannelDirection, int]) -> dict[Cell, int]:
    return {Cell(channel, direction, None, None, None, None): n for (channel, direction), n in channels.items()}


def _completion_cells(completions: Mapping[ChannelCompletion, int]) -> dict[Cell, int]:
    # The completion projection has no direction; first-contact resolution does not select on one.
    return {Cell(channel, "", None, None, completion, None): n for (channel, completion), n in completions.items()}


def evaluate(
    channels: Mapping[ChannelDirection, int], completions: Mapping[ChannelCompletion, int], *, book: MeasureBook
) -> dict[LeagueMeasure, Evaluated]:
    """Every league measure over one place's (channel, direction) and (channel, completion) counts."""
    return _evaluate(channels, completions, _resolved(book))


def _evaluate(
    channels: Mapping[ChannelDirection, int],
    completions: Mapping[ChannelCompletion, int],
    counted: Mapping[LeagueMeasure, _Counted],
) -> dict[LeagueMeasure, Evaluated]:
    by_channel, by_completion = _channel_cells(channels), _completion_cells(completions)
    out = {}
    for key, (measure, numerator, denominator, prices) in counted.items():
        cells = by_completion if measure is Measure.FIRST_CONTACT_RESOLUTION else by_channel
        parts = tally(measure, cells, numerator, denominator, prices)
        out[key] = Evaluated(value_of(measure, parts), parts.population)
    return out


@dataclass(frozen=True)
class Standing:
    """One municipality on one measure: its value, what it rests on, and its place (None: not ranked)."""

    municipality: str
    value: float | None
    inquiries: int
    rank: int | None
    percentile: float | None


@dataclass(frozen=True)
class MeasureLeague:
    """One measure across the deployment: the aggregate, the average municipality and the table."""

    measure: LeagueMeasure
    national: float | None  # the sums of all municipalities, then the measure: never an average of shares
    national_inquiries: int
    mean: float | None  # of the ranked municipalities' values
    median: float | None
    standings: Mapping[str, Standing]  # every municipality with counts, ranked or not

    @property
    def ranked(self) -> int:
        return sum(1 for s in self.standings.values() if s.rank is not None)

    def table(self) -> list[Standing]:
        """Ranked municipalities best first, then the unranked by number."""
        return sorted(self.standings.values(), key=lambda s: (s.rank is None, s.rank or 0, s.municipality))


def ranks(values: Mapping[str, float], higher_is_better: bool) -> dict[str, int]:
    """Competition ranks, 1 = best; equal values share a rank and the next is skipped (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=higher_is_better)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {m: first[v] for m, v in values.items()}


def percentile(rank: int, ranked: int) -> float:
    """Share of the other ranked municipalities this one is at least as good as; 1 when alone."""
    return 1.0 if ranked == 1 else (ranked - rank) / (ranked - 1)


def league_tables(
    channels: Mapping[str, Mapping[ChannelDirection, int]],
    completions: Mapping[str, Mapping[ChannelCompletion, int]],
    min_inquiries: int = DEFAULT_MIN_INQUIRIES,
    *,
    book: MeasureBook,
) -> dict[LeagueMeasure, MeasureLeague]:
    """The league of every measure from counts per municipality (one period: a window or any range of days)."""
    counted = _resolved(book)
    municipalities = sorted(set(channels) | set(completions))
    national_channels: Counter[ChannelDirection] = Counter()
    national_completions: Counter[ChannelCompletion] = Counter()
    for m in municipalities:
        national_channels.update(channels.get(m, {}))
        national_completions.update(completions.get(m, {}))
    national = _evaluate(national_channels, national_completions, counted)
    per_municipality = {m: _evaluate(channels.get(m, {}), completions.get(m, {}), counted) for m in municipalities}
    out = {}
    for key, definition in LEAGUE_DEFINITIONS.items():
        values: dict[str, float] = {}
        for m, e in per_municipality.items():
            value = e[key].value
            if value is not None and e[key].inquiries >= min_inquiries:
                values[m] = value
        placed = ranks(values, definition.higher_is_better)
        standings = {
            m: Standing(
                m,
                e[key].value,
                e[key].inquiries,
                placed.get(m),
                percentile(placed[m], len(placed)) if m in placed else None,
            )
            for m, e in per_municipality.items()
            if e[key].inquiries
        }
        out[key] = MeasureLeague(
            measure=key,
            national=national[key].value,
            national_inquiries=national[key].inquiries,
            mean=statistics.fmean(values.values()) if values else None,
            median=statistics.median(values.values()) if values else None,
            standings=MappingProxyType(standings),
        )
    return out


def counts_over_days(
    aggregations: Iterable[Aggregation], first_day: int, last_day: int
) -> tuple[dict[str, Counter[ChannelDirection]], dict[str, Counter[ChannelCompletion]]]:
    """(channel, direction) and (channel, completion) counts per municipality over an inclusive range of days."""
    channels: dict[str, Counter[ChannelDirection]] = {}
    completions: dict[str, Counter[ChannelCompletion]] = {}
    for agg in aggregations:
        for (municipality, _), day, bucket in agg.days():
            if first_day <= day <= last_day:
                channels.setdefault(municipality, Counter()).update(bucket.channels)
                completions.setdefault(municipality, Counter()).update(bucket.completions)
    return channels, completions


def league_over_days(
    aggregations: Iterable[Aggregation],
    first_day: int,
    last_day: int,
    min_inquiries: int = DEFAULT_MIN_INQUIRIES,
    *,
    book: MeasureBook,
) -> dict[LeagueMeasure, MeasureLeague]:
    """The league tables of a period (date ordinals, inclusive), e.g. for a status report's comparison."""
    channels, completions = counts_over_days(aggregations, first_day, last_day)
    return league_tables(channels, completions, min_inquiries, book=book)
