"""What a status report is asked for: the units, their display names, a reference to compare with.

Two small YAML files people write, each checked against its JSON Schema and refused as a whole
with every problem named (like target files):

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
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema

from streams.contract.errors import UnusableInput
from streams.contract.identifiers import ALL_DEPARTMENTS
from streams.documents.reading import YamlFileError, read_yaml
from streams.documents.shipped import schema
from streams.domain.events.privacy import CPR_RE
from streams.domain.measures.targets import schema_problems
from streams.domain.organisation.departments import unnamed
from streams.domain.organisation.municipalities import is_municipality_number
from streams.domain.organisation.municipalities import municipality as municipality_of

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

    def filled(self, number: str, counted: Mapping[str, str]) -> DisplayNames:
        """These names, completed by the names the counted inquiries carried and the municipality table."""
        known = municipality_of(number) if is_municipality_number(number) else None
        return DisplayNames(
            self.municipality_name or (known.official_name if known else None),
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
            raise ReportInputError(f"--group {group} needs --units FILE, the file that defines the group")
        if group not in units.groups:
            known = ", ".join(sorted(units.groups)) or "none"
            raise ReportInputError(f"--group {group}: no such group in the units file; groups there: {known}")
        chosen.update(units.groups[group].departments)
        titles.append(units.groups[group].name)
    if not chosen:
        return Selection()
    names = units.names if units is not None else DisplayNames()
    titles.extend(names.department(d) for d in sorted(departments, key=names.department))
    return Selection(title=", ".join(titles), departments=frozenset(chosen))


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name))


def _texts(data: Any, where: str = "") -> list[tuple[str, str]]:
    """(field path, text) of every string in a decoded YAML document."""
    if isinstance(data, str):
        return [(where or "(top level)", data)]
    if isinstance(data, dict):
        return [t for k, v in data.items() for t in _texts(v, f"{where}.{k}" if where else str(k))]
    if isinstance(data, list):
        return [t for i, v in enumerate(data) for t in _texts(v, f"{where}[{i}]")]
    return []


def _read(path: Path, schema_name: str) -> Any:
    try:
        data = read_yaml(path)
    except YamlFileError as exc:
        raise ReportInputError(str(exc)) from None
    problems = schema_problems(_validator(schema_name), data)
    problems += [
        (where, "looks like a CPR number; a report must hold no personal data")
        for where, text in _texts(data)
        if CPR_RE.search(text)
    ]
    if problems:
        raise ReportInputError("; ".join(f"{path}: {where}: {what}" for where, what in problems))
    return data


def load_reference(path: Path) -> Reference:
    """Read a reference file, or raise ReportInputError naming every problem."""
    data = _read(path, "report-reference.v1.json")
    return Reference(
        name=data["name"],
        values=MappingProxyType({k: float(v) for k, v in data["values"].items()}),
        source=data.get("source"),
    )


def load_units(path: Path, municipality: str | None = None) -> Units:
    """Read a units file; refuse one written for another municipality than `municipality`."""
    data = _read(path, "report-units.v1.json")
    if municipality is not None and data.get("municipality") not in (None, municipality):
        raise ReportInputError(
            f"{path}: the file describes municipality {data['municipality']}, the report is for {municipality}"
        )
    return Units(
        municipality=data.get("municipality"),
        names=DisplayNames(data.get("municipality_name"), MappingProxyType(dict(data.get("departments", {})))),
        groups=MappingProxyType(
            {gid: Group(g["name"], tuple(g["departments"])) for gid, g in data.get("groups", {}).items()}
        ),
    )
