"""Target files (schemas/targets.v1.json) as a frozen model: a channel strategy's targets.

The documents layer reads a file, checks it against its schema and against what needs the code
table or several fields at once, and maps it to these values (streams.documents.targets); the
model itself reads nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase

from streams.contract.identifiers import ALL_DEPARTMENTS, NATIONAL
from streams.domain.measures.measures import NO_PRICES, Measure, Selector


@dataclass(frozen=True)
class Owner:
    team: str | None
    email: str | None

    @property
    def label(self) -> str:
        """The `owner` label Alertmanager routes on: the team, else the e-mail address."""
        return self.team or self.email or ""


@dataclass(frozen=True)
class Baseline:
    value: float
    date: date


DEFAULT_MIN_INQUIRIES = 30  # a target file's minimum when it does not give one


@dataclass(frozen=True)
class BaselineVolume:
    """What a volume target's selection counted in a baseline period (e.g. the counting weeks)."""

    inquiries: int
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return self.last.toordinal() - self.first.toordinal() + 1

    @property
    def per_day(self) -> float:
        return self.inquiries / self.days


def is_pattern(scope: str) -> bool:
    """A scope entry naming departments by pattern (`*`, `skole-*`) rather than one slug."""
    return "*" in scope


def scope_matches(scope: str, department: str) -> bool:
    """Whether a scope entry covers a department; a pattern never covers `_all` (the whole municipality)."""
    if is_pattern(scope):
        return department != ALL_DEPARTMENTS and fnmatchcase(department, scope)
    return scope == department


@dataclass(frozen=True)
class Target:
    """One target, its selectors already resolved against the measure's defaults."""

    id: str
    title: str
    measure: Measure
    numerator: Selector
    denominator: Selector
    scope: tuple[str, ...]  # `_all`, department slugs and patterns (see scope_matches)
    comparator: str
    threshold: float
    window: str
    deadline: date | None
    baseline: Baseline | None
    severity: str
    owner: Owner
    min_inquiries: int = DEFAULT_MIN_INQUIRIES  # no verdict below this many inquiries of the population
    baseline_volume: BaselineVolume | None = None  # the volume measure's reference
    # KL's channel prices for a cost target, none for the others (MeasureBook.prices_for).
    prices: Mapping[str, float] = field(default_factory=lambda: NO_PRICES, hash=False)

    @property
    def selection(self) -> Selector:
        """What a volume target counts (its denominator; see measures.py)."""
        return self.denominator

    def meets(self, value: float, bar: float) -> bool:
        """Whether `value` is on the right side of `bar` (the threshold or the glide path)."""
        return value >= bar if self.comparator == ">=" else value <= bar


@dataclass(frozen=True)
class TargetFile:
    path: str  # the file it was read from, as given
    municipality: str  # a number, or NATIONAL for the whole deployment
    targets: tuple[Target, ...]
    min_inquiries: int = DEFAULT_MIN_INQUIRIES

    @property
    def national(self) -> bool:
        return self.municipality == NATIONAL
