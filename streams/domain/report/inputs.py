"""What a status report is asked for: the units, their display names, a reference to compare with.

Two small YAML files people write, read by the documents layer (streams.documents.report_inputs),
each checked against its JSON Schema and refused as a whole with every problem named (like target
files), and mapped to the values here:

- a *units* file (schemas/report-units.v1.json): display names of departments and groups of
  departments such as a forvaltning;
- a *reference* file (schemas/report-reference.v1.json): values to compare with, such as KL's
  national averages (`deploy/reference/landsgennemsnit-2013.yaml`).

Display names default to the department slugs; the national view (issue 16) can hand in a
Reference computed from the deployment instead of a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from streams.contract.errors import UnusableInput
from streams.contract.identifiers import ALL_DEPARTMENTS
from streams.contract.texts import text
from streams.domain.organisation.departments import unnamed

ALL_UNITS_NAME = "Hele kommunen"


class ReportInputError(UnusableInput):
    """A units or reference file, or a choice of units, that cannot be used."""


@dataclass(frozen=True)
class Reference:
    """Values to compare the key figures with, by key figure id (shares 0..1, DKK)."""

    name: str  # the column heading, e.g. "Landsgennemsnit 2013"
    values: Mapping[str, float]
    source: str | None = None


@dataclass(frozen=True)
class Group:
    name: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class DisplayNames:
    """How units are called in a report; a department without a name is shown by its slug."""

    municipality_name: str | None = None
    departments: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def municipality(self, number: str) -> str:
        return f"{self.municipality_name} ({number})" if self.municipality_name else f"Kommune {number}"

    def filled(self, counted: Mapping[str, str], official_name: str | None) -> DisplayNames:
        """These names, completed by the names the counted inquiries carried and the municipality's
        official name from the municipality table (None for a number that is none of the 98)."""
        return DisplayNames(
            self.municipality_name or official_name,
            MappingProxyType({**counted, **self.departments}),
        )

    def department(self, slug: str) -> str:
        if slug in self.departments:
            return self.departments[slug]
        if slug == ALL_DEPARTMENTS:
            return ALL_UNITS_NAME
        return unnamed(slug)


@dataclass(frozen=True)
class Units:
    """A units file: display names and groups of departments."""

    municipality: str | None
    names: DisplayNames
    groups: Mapping[str, Group]


@dataclass(frozen=True)
class Selection:
    """The departments a report covers: all of the municipality's (departments None) or some."""

    title: str = ALL_UNITS_NAME
    departments: frozenset[str] | None = None

    def includes(self, department: str) -> bool:
        return self.departments is None or department in self.departments


def selection(units: Units | None, group: str | None, departments: Sequence[str]) -> Selection:
    """The selection from `--group` and `--department` flags (both: their union)."""
    chosen: set[str] = set(departments)
    titles: list[str] = []
    if group is not None:
        if units is None:
            raise ReportInputError(text("report.group_needs_units", group=group))
        if group not in units.groups:
            known = ", ".join(sorted(units.groups)) or "-"
            raise ReportInputError(text("report.no_such_group", group=group, known=known))
        chosen.update(units.groups[group].departments)
        titles.append(units.groups[group].name)
    if not chosen:
        return Selection()
    names = units.names if units is not None else DisplayNames()
    titles.extend(names.department(d) for d in sorted(departments, key=names.department))
    return Selection(title=", ".join(titles), departments=frozenset(chosen))
