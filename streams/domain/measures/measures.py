"""Target measures computed from joint cell counts: the one place a measure is defined.

Every rate measure is |numerator ∩ denominator| / |denominator| over the cells of a window:
the denominator selects the population, the numerator the part of it that counts. The volume
measure counts its selection (kept as the denominator) against a baseline volume per day. Each
measure has default selectors (MEASURES); a target file may override any selector field.
A measure with an empty population is None: 0/0 is not 0 %.

Cells without an inquiry type are not transactions, so a self-service source that should
count in a self-service rate must send inquiry_type OPRET or STATUS.

The defaults and the cost need the code table and KL's channel prices: a `MeasureBook` holds
them, a value the documents layer reads once (streams.documents.reference.measure_book) and
hands in. A resolved target carries the prices its measure needs (see targets.Target).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from types import MappingProxyType

from streams.domain.counting.day_buckets import Cell
from streams.domain.events.codes import CodeTable
from streams.domain.measures.shares import FIRST_CONTACT_CHANNELS

TRANSACTION_TYPES = frozenset({"OPRET", "STATUS"})


class Measure(StrEnum):
    CHANNEL_SHARE = "channel_share"
    DIGITAL_SHARE = "digital_share"
    SELF_SERVICE_RATE = "self_service_rate"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution"
    DIGITAL_POST_OUT_SHARE = "digital_post_out_share"
    PAPER_SHARE = "paper_share"
    COST_PER_INQUIRY = "cost_per_inquiry"
    VOLUME = "volume"

    @property
    def is_rate(self) -> bool:
        """Rates lie in 0..1; the cost is in DKK per inquiry, a volume relative to its baseline (may exceed 1)."""
        return self not in (Measure.COST_PER_INQUIRY, Measure.VOLUME)

    @property
    def in_percent(self) -> bool:
        """Shown as a percentage: every rate, and a volume (100 % = the baseline volume); not the cost."""
        return self is not Measure.COST_PER_INQUIRY


@dataclass(frozen=True, slots=True)
class Selector:
    """Which cells count; a field left None does not restrict.

    >>> Selector(channels=frozenset({"phone"}), direction="in").matches(
    ...     Cell("phone", "in", "OPRET", "23.05.10", "immediate", None))
    True
    """

    channels: frozenset[str] | None = None
    direction: str | None = None
    inquiry_types: frozenset[str] | None = None
    kle: tuple[str, ...] | None = None  # KLE prefixes: "02" matches 02.34.02
    completions: frozenset[str] | None = None  # not settable from target files

    def matches(self, cell: Cell) -> bool:
        if self.channels is not None and cell.channel not in self.channels:
            return False
        if self.direction is not None and cell.direction != self.direction:
            return False
        if self.inquiry_types is not None and cell.inquiry_type not in self.inquiry_types:
            return False
        if self.completions is not None and cell.completion not in self.completions:
            return False
        if self.kle is not None:
            kle = cell.kle
            if kle is None or not any(kle == p or kle.startswith(p + ".") for p in self.kle):
                return False
        return True

    def overridden_by(self, other: Selector) -> Selector:
        """This selector with every field `other` sets replaced by `other`'s value."""
        changes = {f.name: getattr(other, f.name) for f in fields(other) if getattr(other, f.name) is not None}
        return replace(self, **changes)


@dataclass(frozen=True)
class MeasureDefaults:
    numerator: Selector
    denominator: Selector


def _defaults(codes: CodeTable) -> Mapping[Measure, MeasureDefaults]:
    """Each measure's default selectors, channel sets taken from the code table."""
    channels = codes.channels.values()
    digital = frozenset(c.name for c in channels if c.digital)
    paper = frozenset(c.name for c in channels if c.paper)
    return MappingProxyType(
        {
            Measure.CHANNEL_SHARE: MeasureDefaults(Selector(), Selector(direction="in")),
            Measure.DIGITAL_SHARE: MeasureDefaults(Selector(channels=digital), Selector(direction="in")),
            Measure.SELF_SERVICE_RATE: MeasureDefaults(
                Selector(channels=frozenset({"self_service"})), Selector(inquiry_types=TRANSACTION_TYPES)
            ),
            Measure.FIRST_CONTACT_RESOLUTION: MeasureDefaults(
                Selector(completions=frozenset({"immediate"})),
                Selector(channels=FIRST_CONTACT_CHANNELS, completions=frozenset({"immediate", "forwarded"})),
            ),
            Measure.DIGITAL_POST_OUT_SHARE: MeasureDefaults(
                Selector(channels=frozenset({"digital_post"})), Selector(direction="out")
            ),
            Measure.PAPER_SHARE: MeasureDefaults(Selector(channels=paper), Selector()),
            Measure.COST_PER_INQUIRY: MeasureDefaults(Selector(), Selector()),
            Measure.VOLUME: MeasureDefaults(Selector(), Selector()),  # the target's selection is the denominator
        }
    )


NO_PRICES: Mapping[str, float] = MappingProxyType({})


@dataclass(frozen=True, eq=False)
class MeasureBook:
    """What the measures know of the channels: the code table, KL's 2011 price per inquiry (DKK) of the
    channels that have one (schemas/channel-prices.v1.json), and each measure's default selectors."""

    codes: CodeTable
    prices: Mapping[str, float]
    defaults: Mapping[Measure, MeasureDefaults]

    @classmethod
    def of(cls, codes: CodeTable, prices: Mapping[str, float]) -> MeasureBook:
        return cls(codes, MappingProxyType(dict(prices)), _defaults(codes))

    def resolve(self, measure: Measure, numerator: Selector, denominator: Selector) -> tuple[Selector, Selector]:
        """A target's effective selectors: the measure's defaults overridden by the file's fields."""
        defaults = self.defaults[measure]
        return defaults.numerator.overridden_by(numerator), defaults.denominator.overridden_by(denominator)

    def prices_for(self, measure: Measure) -> Mapping[str, float]:
        """The prices a value of `measure` needs: KL's for the cost, none for the others."""
        return self.prices if measure is Measure.COST_PER_INQUIRY else NO_PRICES


@dataclass(frozen=True, slots=True)
class Tally:
    """What a measure's value is made of, additive over days: a window's tally is the sum of its days'.

    hits: the numerator's inquiries (rates) or the selection's (volume); total: the denominator's
    (rates) or the priced ones (cost); cost: their KL price in DKK (cost); population: what the value
    rests on (the denominator, the priced inquiries, or for a volume every inquiry). Counts are whole
    numbers and prices whole kroner, so sums and differences of tallies are exact.
    """

    hits: int = 0
    total: int = 0
    cost: float = 0.0
    population: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.hits + other.hits,
            self.total + other.total,
            self.cost + other.cost,
            self.population + other.population,
        )

    def __sub__(self, other: Tally) -> Tally:
        return Tally(
            self.hits - other.hits,
            self.total - other.total,
            self.cost - other.cost,
            self.population - other.population,
        )


def tally(
    measure: Measure,
    counts: Mapping[Cell, int],
    numerator: Selector,
    denominator: Selector,
    prices: Mapping[str, float],
) -> Tally:
    """One pass over the cells: the parts of `measure` (for a volume, `denominator` is the selection;
    for the cost, `prices` are the channels' prices, see MeasureBook.prices_for)."""
    hits = total = everything = 0
    cost = 0.0
    if measure is Measure.COST_PER_INQUIRY:
        for cell, n in counts.items():
            price = prices.get(cell.channel)
            if price is not None and denominator.matches(cell):
                total += n
                cost += price * n
        return Tally(0, total, cost, total)
    if measure is Measure.VOLUME:
        for cell, n in counts.items():
            everything += n
            if denominator.matches(cell):
                hits += n
        return Tally(hits, 0, 0.0, everything)
    for cell, n in counts.items():
        if denominator.matches(cell):
            total += n
            if numerator.matches(cell):
                hits += n
    return Tally(hits, total, 0.0, total)


def value_of(measure: Measure, parts: Tally, baseline_per_day: float | None = None, days: int = 0) -> float | None:
    """The measure from its tally: hits / total, cost / total, or for a volume hits against the baseline
    volume of `days` days (1 = as many as at the baseline). None where there is nothing to divide by."""
    if measure is Measure.VOLUME:
        return parts.hits / (baseline_per_day * days) if baseline_per_day else None
    if measure is Measure.COST_PER_INQUIRY:
        return parts.cost / parts.total if parts.total else None
    return parts.hits / parts.total if parts.total else None


def count(counts: Mapping[Cell, int], selection: Selector) -> int:
    """Inquiries the selection matches."""
    return sum(n for cell, n in counts.items() if selection.matches(cell))


def measure_value(
    measure: Measure,
    counts: Mapping[Cell, int],
    numerator: Selector,
    denominator: Selector,
    prices: Mapping[str, float],
) -> float | None:
    """The value of `measure` over `counts`, with the selectors already resolved (see MeasureBook.resolve).

    A volume needs its baseline (see volume_ratio); here it is None."""
    if measure is Measure.VOLUME:
        return None
    return value_of(measure, tally(measure, counts, numerator, denominator, prices))


def volume_ratio(counts: Mapping[Cell, int], selection: Selector, baseline_per_day: float, days: int) -> float:
    """The selection's inquiries over `days` relative to the baseline volume of as many days (1 = unchanged)."""
    return count(counts, selection) / (baseline_per_day * days)
