"""Label values an outsider cannot inflate: which sources, municipalities and departments get a series.

Every label value of the worker's metrics comes from something declared by the operator or earned
by accepted events, within a fixed budget, so no input can hide a real series or blow up /metrics.

**Sources** (`source` label). Declared: `KOMHEN_SOURCES` (by default the shipped adapters and the
importer). Earned: the source of an accepted (or duplicate, i.e. valid) event, up to 100 sources
per worker. A rejected event whose source is neither declared nor earned counts under `invalid`,
so made-up sources in bad events use up nothing and a real source keeps its own series (and
KomhenSourceSilent keeps watching it); valid events of undeclared sources beyond the budget count
under `other`.

**Departments** (`municipality`, `department` labels). Admission rule, applied per worker:
1. declared departments always have their own series: those named in a target file's scope and
   those in `KOMHEN_DEPARTMENTS` (`183/borgerservice,…`); a target file's municipality is declared;
2. at most `KOMHEN_MAX_MUNICIPALITIES` municipalities (default 98, all of Denmark) and, in each, at most
   `KOMHEN_MAX_DEPARTMENTS` departments (default 100) have their own series; a new department is
   admitted at once while its municipality has room;
3. when there are more, the ones with the most inquiries and service events in the last 365
   days are admitted (on a tie: the one already admitted, then by name), re-ranked whenever the
   gauges are computed;
4. every other department is counted under `department="_other"` of its municipality, and every
   other municipality under `municipality="_other"`. Counts stay exact: `_all` and `_other`
   include them, state and exports keep every department. `komhen_departments_over_budget`
   says how many departments each municipality has beyond the budget, and a log line says so
   when it first happens and each time the number doubles.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from streams.contract import identifiers, names
from streams.contract.texts import Line, text
from streams.domain.events.privacy import contains_cpr

log = logging.getLogger(__name__)

MAX_EARNED_SOURCES = 100
DepartmentKey = tuple[str, str]


class SourceLabels:
    """The `source` label value of an event's source: declared, earned, or one fixed value."""

    def __init__(self, declared: Iterable[str] = (), max_earned: int = MAX_EARNED_SOURCES) -> None:
        self.declared = frozenset(declared)
        self.max_earned = max_earned
        self.earned: set[str] = set()

    def label(self, source: str | None, *, valid: bool) -> str:
        """`valid`: the event passed validation (accepted or a duplicate), so its source may earn a series."""
        if source is None or not identifiers.SOURCE.match(source) or contains_cpr(source):
            return names.INVALID_SOURCE
        if source in self.declared or source in self.earned:
            return source
        if not valid:
            return names.INVALID_SOURCE  # made-up sources of rejected events use up nothing
        if len(self.earned) >= self.max_earned:
            return names.OTHER_SOURCE
        self.earned.add(source)
        return source


class DepartmentLabels:
    """The (municipality, department) label values of a department, within the budget (module docstring)."""

    def __init__(
        self,
        *,
        max_departments: int = 100,
        max_municipalities: int = 98,
        declared: Iterable[DepartmentKey] = (),
        declared_municipalities: Iterable[str] = (),
    ) -> None:
        self.max_departments = max_departments
        self.max_municipalities = max_municipalities
        self.declared = frozenset(declared)
        self.declared_municipalities = frozenset(declared_municipalities) | {m for m, _ in self.declared}
        self.municipalities: set[str] = set(self.declared_municipalities)
        self.departments: dict[str, set[str]] = {}
        self._declared_in: dict[str, int] = {}  # declared departments per municipality (always admitted)
        for municipality, department in self.declared:
            self.departments.setdefault(municipality, set()).add(department)
            self._declared_in[municipality] = self._declared_in.get(municipality, 0) + 1
        self.over_budget: dict[str, int] = {}  # municipality label -> departments counted under _other
        self._logged: dict[str, int] = {}

    def _room_for_municipality(self, municipality: str) -> bool:
        if municipality in self.municipalities:
            return True
        if len(self.municipalities - self.declared_municipalities) < self.max_municipalities:
            self.municipalities.add(municipality)
            return True
        return False

    def labels(self, municipality: str, department: str) -> DepartmentKey:
        """Label values for a department's series; admits it while its municipality has room."""
        if not self._room_for_municipality(municipality):
            return names.OTHER, names.OTHER
        admitted = self.departments.setdefault(municipality, set())
        if department in admitted:
            return municipality, department
        if len(admitted) - self._declared_in.get(municipality, 0) < self.max_departments:
            admitted.add(department)
            return municipality, department
        return municipality, names.OTHER

    def all_labels(self, municipality: str) -> DepartmentKey:
        """Label values of the whole municipality (`_all`)."""
        return (municipality if municipality in self.municipalities else names.OTHER), identifiers.ALL_DEPARTMENTS

    def rerank(self, volumes: Mapping[DepartmentKey, int], whole: Mapping[str, int] | None = None) -> None:
        """Admit by the rule: declared, then the most inquiries in the last 365 days, within the budget.

        `volumes`: this worker's departments; `whole`: every municipality's volume, for the worker that
        exports the whole municipalities (their departments may all live on other workers).
        """
        by_municipality: dict[str, dict[str, int]] = {m: {} for m in whole or {}}
        for (municipality, department), n in volumes.items():
            by_municipality.setdefault(municipality, {})[department] = n

        def rank(admitted: set[str], volume: Mapping[str, int]) -> list[str]:
            return sorted(volume, key=lambda k: (-volume[k], k not in admitted, k))

        totals = {m: max(sum(d.values()), (whole or {}).get(m, 0)) for m, d in by_municipality.items()}
        undeclared = [m for m in rank(self.municipalities, totals) if m not in self.declared_municipalities]
        self.municipalities = set(self.declared_municipalities) | set(undeclared[: self.max_municipalities])
        over: dict[str, int] = {}
        if len(undeclared) > self.max_municipalities:
            over[names.OTHER] = sum(len(by_municipality[m]) for m in undeclared[self.max_municipalities :])
        departments: dict[str, set[str]] = {}
        for municipality in self.municipalities:
            volume = by_municipality.get(municipality, {})
            declared = {d for m, d in self.declared if m == municipality}
            admitted = self.departments.get(municipality, set())
            others = [d for d in rank(admitted, volume) if d not in declared]
            departments[municipality] = declared | set(others[: self.max_departments])
            if len(others) > self.max_departments:
                over[municipality] = len(others) - self.max_departments
        self.departments = departments
        self.over_budget = over
        self._say(over)

    def _say(self, over: Mapping[str, int]) -> None:
        for municipality, n in sorted(over.items()):
            if n > 2 * self._logged.get(municipality, 0) or municipality not in self._logged:
                self._logged[municipality] = n
                where = text("log.municipalities_over_budget") if municipality == names.OTHER else municipality
                log.warning(
                    Line(
                        "log.departments_over_budget",
                        where=where,
                        n=n,
                        per_municipality=str(self.max_departments),
                        municipalities=str(self.max_municipalities),
                        other=names.OTHER,
                    )
                )
