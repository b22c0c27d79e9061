"""The summary's key figures: what each one counts, computed from joint cell counts.

Every share is hits / population over the cells of a period, with the same selectors as the
target measures (streams.domain.measures.measures), so a report and a target never disagree on what
"digital share" means. A share whose population is empty is None (0/0 is not 0 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from streams.domain.counting.day_buckets import Cell
from streams.domain.measures.measures import Measure, MeasureBook, Selector


class Kind(StrEnum):
    COUNT = "count"  # a number of inquiries
    SHARE = "share"  # 0..1
    DKK = "dkk"  # kroner


@dataclass(frozen=True)
class FigureDefinition:
    id: str  # stable: reference files and the CSV use it
    name: str  # Danish, for the report
    kind: Kind
    basis: str  # Danish: what is counted over what
    additive: bool = False  # a sum over days: comparable only between periods counted for as many days


@dataclass(frozen=True)
class Value:
    """A key figure in one period, with the counts it rests on (shares: hits of population)."""

    value: float | None
    hits: float | None = None  # shares: the numerator; the cost: the total in DKK
    population: int | None = None  # shares and cost per inquiry: the denominator


_IN = Selector(direction="in")
_OUT = Selector(direction="out")

KEY_FIGURES: tuple[FigureDefinition, ...] = (
    FigureDefinition("inquiries_in", "Indgående henvendelser", Kind.COUNT, "alle indgående henvendelser", True),
    FigureDefinition("inquiries_out", "Udgående henvendelser", Kind.COUNT, "alle udgående henvendelser", True),
    FigureDefinition(
        "digital_share",
        "Digital andel",
        Kind.SHARE,
        "indgående via digitale kanaler (selvbetjening, Digital Post, e-mail, SMS, chat, sociale medier, "
        "hjemmeside, system) / alle indgående",
    ),
    FigureDefinition(
        "self_service_share", "Selvbetjeningsandel", Kind.SHARE, "indgående selvbetjening / alle indgående"
    ),
    FigureDefinition(
        "personal_share", "Personligt fremmøde", Kind.SHARE, "indgående personligt fremmøde / alle indgående"
    ),
    FigureDefinition(
        "paper_share", "Papirandel", Kind.SHARE, "papirbreve og fjernprint, ind og ud / alle henvendelser ind og ud"
    ),
    FigureDefinition(
        "digital_post_out_share", "Udgående Digital Post", Kind.SHARE, "udgående Digital Post / alle udgående"
    ),
    FigureDefinition(
        "first_contact_resolution",
        "Straksafklaring",
        Kind.SHARE,
        "STRAKS / (STRAKS + HOLD) for telefon og personligt fremmøde med registreret afslutning",
    ),
    FigureDefinition(
        "cost_total",
        "Anslået pris for kanalmikset",
        Kind.DKK,
        "henvendelser × KL's kanalpris 2011 (selvbetjening 5, telefon 40, e-mail 55, papirbrev og fjernprint 60, "
        "personligt fremmøde 75 kr.); kanaler uden KL-pris tæller ikke med",
        additive=True,
    ),
    FigureDefinition(
        "cost_per_inquiry",
        "Anslået pris pr. henvendelse",
        Kind.DKK,
        "anslået pris for kanalmikset / henvendelser på kanaler med en KL-pris",
    ),
)
FIGURES_BY_ID: Mapping[str, FigureDefinition] = {f.id: f for f in KEY_FIGURES}


def count(counts: Mapping[Cell, int], selector: Selector) -> int:
    """Inquiries of the cells that `selector` selects."""
    return sum(n for cell, n in counts.items() if selector.matches(cell))


def share(counts: Mapping[Cell, int], numerator: Selector, denominator: Selector) -> Value:
    """hits / population, with both counts; value None without a population."""
    population = hits = 0
    for cell, n in counts.items():
        if denominator.matches(cell):
            population += n
            if numerator.matches(cell):
                hits += n
    return Value(hits / population if population else None, hits, population)


def _measure_share(counts: Mapping[Cell, int], measure: Measure, book: MeasureBook) -> Value:
    defaults = book.defaults[measure]
    return share(counts, defaults.numerator, defaults.denominator)


def cost(counts: Mapping[Cell, int], prices: Mapping[str, float]) -> tuple[float, int]:
    """(DKK at KL's prices, inquiries on priced channels), both directions."""
    total = 0.0
    priced = 0
    for cell, n in counts.items():
        price = prices.get(cell.channel)
        if price is not None:
            total += price * n
            priced += n
    return total, priced


def key_figures(counts: Mapping[Cell, int], book: MeasureBook) -> dict[str, Value]:
    """Every key figure of KEY_FIGURES over one period's cells."""
    inquiries_in, inquiries_out = count(counts, _IN), count(counts, _OUT)
    total, priced = cost(counts, book.prices)
    return {
        "inquiries_in": Value(inquiries_in),
        "inquiries_out": Value(inquiries_out),
        "digital_share": _measure_share(counts, Measure.DIGITAL_SHARE, book),
        "self_service_share": share(counts, Selector(channels=frozenset({"self_service"})), _IN),
        "personal_share": share(counts, Selector(channels=frozenset({"personal"})), _IN),
        "paper_share": _measure_share(counts, Measure.PAPER_SHARE, book),
        "digital_post_out_share": _measure_share(counts, Measure.DIGITAL_POST_OUT_SHARE, book),
        "first_contact_resolution": _measure_share(counts, Measure.FIRST_CONTACT_RESOLUTION, book),
        "cost_total": Value(total, total, priced),
        "cost_per_inquiry": Value(total / priced if priced else None, total, priced),
    }


def change(kind: Kind, current: float | None, earlier: float | None) -> float | None:
    """Shares: the difference in percentage points; counts and kroner: the relative change (0.1 = +10 %)."""
    if current is None or earlier is None:
        return None
    if kind is Kind.SHARE:
        return (current - earlier) * 100
    return current / earlier - 1 if earlier else None
