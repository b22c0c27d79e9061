"""PromQL for measures derived from exported window counts: channel-set shares, cost, saving, service counts.

Only what `komhen_window_inquiries{channel,direction}` can express is derived here: a target
whose selectors use nothing but channels and a direction. Inquiry types, KLE tasks and the
completion (STRAKS/HOLD) are not metric labels, so targets on them (self-service rate,
first-contact resolution, KLE-limited shares) are shown only through `komhen_target_*`.
Prices come from schemas/channel-prices.v1.json via streams.domain.measures.measures; equal prices share one term.
The service rates are computed by the worker (streams/shares.py); here they are only selected.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.contract import names
from streams.documents.reference import channel_prices, code_table
from streams.domain.events.codes import DIRECTIONS
from streams.domain.measures.measures import Measure
from streams.domain.measures.targets import Target
from streams.generators.dashboards.defaults import DAYS_PER_MONTH

WINDOW_COUNTS = names.WINDOW_INQUIRIES
SERVICE_COUNTS = names.WINDOW_SERVICE_EVENTS
ANSWER_RATE = names.ANSWER_RATE
COMPLETION_RATE = names.COMPLETION_RATE
FIRST_CONTACT = names.FIRST_CONTACT_RESOLUTION
MONTH_WINDOW = "28d"


def selector(**labels: str) -> str:
    """A PromQL selector, labels in the given order; a value starting with ~ is a regex, with ! a negation.

    >>> selector(a="1", b="~x|y", c="!_all")
    '{a="1",b=~"x|y",c!="_all"}'
    """
    operators = {"~": "=~", "!": "!="}
    parts = [f'{k}{operators[v[0]]}"{v[1:]}"' if v[:1] in operators else f'{k}="{v}"' for k, v in labels.items()]
    return "{" + ",".join(parts) + "}"


@dataclass(frozen=True)
class ChannelSet:
    """Cells a measure counts: these channels in these directions (only pairs the code table allows)."""

    channels: frozenset[str]
    directions: frozenset[str]

    def pairs(self) -> list[tuple[str, str]]:
        return [(c, d) for c, d in code_table().channel_directions() if c in self.channels and d in self.directions]

    def matchers(self) -> dict[str, str]:
        """Label matchers; a dimension that selects everything is left out."""
        out: dict[str, str] = {}
        for label, chosen, everything in (
            ("channel", self.channels, frozenset(code_table().channels)),
            ("direction", self.directions, frozenset(DIRECTIONS)),
        ):
            if chosen != everything:
                out[label] = next(iter(chosen)) if len(chosen) == 1 else "~" + "|".join(sorted(chosen))
        return out


@dataclass(frozen=True)
class DerivedMeasure:
    """A target's measure as numerator and denominator channel sets."""

    numerator: ChannelSet
    denominator: ChannelSet


def derive(target: Target) -> DerivedMeasure | None:
    """The target's measure from channels and direction alone, or None if it needs other dimensions."""
    num, den = target.numerator, target.denominator
    if target.measure is Measure.COST_PER_INQUIRY:
        return None
    if any(s.kle is not None or s.inquiry_types is not None or s.completions is not None for s in (num, den)):
        return None
    all_channels = frozenset(code_table().channels)
    den_channels = den.channels if den.channels is not None else all_channels
    den_dirs = frozenset([den.direction]) if den.direction else frozenset(DIRECTIONS)
    num_dirs = den_dirs & (frozenset([num.direction]) if num.direction else frozenset(DIRECTIONS))
    num_channels = den_channels & (num.channels if num.channels is not None else all_channels)
    return DerivedMeasure(ChannelSet(num_channels, num_dirs), ChannelSet(den_channels, den_dirs))


def count(cells: ChannelSet, window: str, by: str = "", **labels: str) -> str:
    """Sum of window counts over the cells, for the given municipality/department/window labels."""
    grouping = f" by ({by})" if by else ""
    return f"sum{grouping} ({WINDOW_COUNTS}{selector(**labels, **cells.matchers(), window=window)})"


def share_by_department(measure: DerivedMeasure, window: str, municipality: str) -> str:
    """The measure per department (not the whole municipality); departments without a population are left out.

    A department that never used the numerator's channels has no such series when lean
    (KOMHEN_DEPARTMENT_SERIES), so the numerator falls back to 0 times its population: 0 %, not blank.
    """
    labels = {"municipality": municipality, "department": "!_all"}
    num = count(measure.numerator, window, "department", **labels)
    den = count(measure.denominator, window, "department", **labels)
    return f"({num}\nor 0 * {den})\n/ ({den} > 0)"


def named(expr: str, municipality: str) -> str:
    """`expr` (by department) with each department's display name joined on as `department_name`.

    Every department the worker exports has one komhen_department_info series (its slug where no
    inquiry named it), so the join keeps them all; topk picks one name while a rename moves
    between workers' scrapes, so the join never sees two.
    """
    info = f"{names.DEPARTMENT_INFO}{selector(municipality=municipality, department='!_all')}"
    return f"(\n{expr}\n)\n* on (department) group_left (department_name)\ntopk by (department) (1, {info})"


def _priced_sum(cells: ChannelSet, window: str, labels: dict[str, str]) -> tuple[str, str] | None:
    """(cost, count) expressions over the priced channels of `cells`; None if none has a price."""
    prices = channel_prices()
    by_price: dict[float, set[str]] = {}
    for channel in cells.channels:
        if channel in prices:
            by_price.setdefault(prices[channel], set()).add(channel)
    if not by_price:
        return None
    terms = [
        f"{count(ChannelSet(frozenset(chs), cells.directions), window, **labels)} * {price:g}"
        for price, chs in sorted(by_price.items())
    ]
    priced = ChannelSet(frozenset().union(*by_price.values()), cells.directions)
    return "\n+ ".join(terms), count(priced, window, **labels)


def _all_priced() -> ChannelSet:
    return ChannelSet(frozenset(code_table().channels), frozenset(DIRECTIONS))


def cost_per_inquiry(window: str, **labels: str) -> str:
    """Average KL price of the inquiries on priced channels, both directions (the cost_per_inquiry measure)."""
    priced = _priced_sum(_all_priced(), window, labels)
    assert priced is not None  # the price file always prices some channel
    cost, n = priced
    return f"(\n{cost}\n)\n/ {n}"


def cost_per_month(**labels: str) -> str:
    """KL-priced cost of the last 28 days' inquiries, scaled to an average month."""
    priced = _priced_sum(_all_priced(), MONTH_WINDOW, labels)
    assert priced is not None
    return f"(\n{priced[0]}\n)\n* {DAYS_PER_MONTH:g} / 28"


def saving_per_month(target: Target, **labels: str) -> str | None:
    """Monthly saving if the target were met; None if the measure cannot be priced from channels.

    Model: meeting the target moves (threshold × population − numerator) inquiries between the
    target's channels and the rest of its population, each side at its current average KL price;
    the saving is that count times the price difference (negative: meeting the target costs more).
    A met target saves 0. The last 28 days are scaled to an average month.
    """
    measure = derive(target)
    if measure is None or measure.numerator.directions != measure.denominator.directions:
        return None
    rest = ChannelSet(measure.denominator.channels - measure.numerator.channels, measure.denominator.directions)
    inside = _priced_sum(measure.numerator, MONTH_WINDOW, labels)
    outside = _priced_sum(rest, MONTH_WINDOW, labels)
    if inside is None or outside is None:
        return None
    clamp = "clamp_max" if target.comparator == ">=" else "clamp_min"
    num = count(measure.numerator, MONTH_WINDOW, **labels)
    den = count(measure.denominator, MONTH_WINDOW, **labels)
    return (
        f"{clamp}({num} - {target.threshold!r} * {den}, 0)\n"
        f"* ((\n{inside[0]}\n) / {inside[1]}\n- (\n{outside[0]}\n) / {outside[1]})\n"
        f"* {DAYS_PER_MONTH:g} / 28"
    )


def service_rate(metric: str, window: str, **labels: str) -> str:
    """One of the worker's service rates (ANSWER_RATE, COMPLETION_RATE) for one department or `_all`."""
    return f"max({metric}{selector(**labels, window=window)})"


def service_events(kind: str, window: str, **labels: str) -> str:
    """Service events of one kind in the window; 0 where none were reported."""
    return f"sum ({SERVICE_COUNTS}{selector(**labels, kind=kind, window=window)}) or vector(0)"


def incoming(channel: str, window: str, **labels: str) -> str:
    """Incoming inquiries on one channel in the window; 0 where there were none."""
    return count(ChannelSet(frozenset([channel]), frozenset(["in"])), window, **labels) + " or vector(0)"


def channel_shares(direction: str, window: str, **labels: str) -> str:
    """Each channel's share of one direction, divided from the window counts in PromQL.

    The same number as the worker's komhen_channel_share (both divide the same whole counts), so it
    works for departments too, which export no shares with KOMHEN_DEPARTMENT_SERIES=lean. A direction
    without inquiries has no shares.
    """
    sel = selector(**labels, direction=direction, window=window)
    return f"sum by (channel) ({WINDOW_COUNTS}{sel})\n/ on () group_left ()\n(sum ({WINDOW_COUNTS}{sel}) > 0)"
