"""Simulator traffic profiles (schemas/simulator-profile.v1.json, schemas/simulator-national.v1.json):
read, checked against their schemas and the code table, and mapped to frozen values.

A profile (deploy/simulator/*.yaml) describes a municipality: departments and their weight, the
channel mix per direction, when staffed channels are open, inquiry types. A national profile
puts every municipality on a base profile, scaled by population. Errors name the file and key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from streams.contract.errors import UnusableInput
from streams.contract.texts import text as said
from streams.documents.problems import excerpt, field_path, one_line
from streams.documents.reading import DocumentError, read_document
from streams.documents.reference import code_table, municipality_table
from streams.documents.shipped import simulator_profile
from streams.documents.validation import schema_problems
from streams.domain.organisation.departments import NoSlug, unit_department


class ProfileError(UnusableInput):
    """A traffic profile that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class Department:
    slug: str  # made from the name (streams.domain.organisation.departments.unit_department), as the importer makes it
    name: str  # the unit's name, sent as department_name
    weight: float
    kle: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    municipality: str
    inquiries_per_day: int
    weekend_factor: float
    direction_weights: Mapping[str, float]
    channels: Mapping[str, Mapping[str, float]]  # direction -> channel -> weight
    hours: Mapping[str, Mapping[str, tuple[int, int]]]  # channel -> weekdays|thursday -> (from, to)
    inquiry_types: Mapping[str, float]
    immediate_share: float
    form_share: float
    departments: tuple[Department, ...]

    def is_open(self, channel: str, moment: datetime) -> bool:
        """Whether a staffed channel takes inquiries at this local time."""
        hours = self.hours.get(channel)
        if hours is None:
            return True
        if moment.weekday() >= 5:
            return False
        start, end = hours.get("thursday", hours["weekdays"]) if moment.weekday() == 3 else hours["weekdays"]
        return start <= moment.hour < end


def _read(path: Path, kind: str, schema_name: str) -> Any:
    try:
        raw = read_document(path, kind)
    except DocumentError as exc:
        raise ProfileError(str(exc)) from None
    problems = schema_problems(schema_name, raw)
    if problems:
        raise ProfileError(one_line(str(path), problems))
    return raw


def load_profile(path: Path | None = None) -> Profile:
    """Read and check a profile (default: the shipped Ishøj profile); errors name the file and the key."""
    path = simulator_profile() if path is None else path
    raw = _read(path, "simulator profile", "simulator-profile.v1.json")
    codes = code_table()
    channels: dict[str, dict[str, float]] = {}
    for direction, mix in raw["channels"].items():
        for channel in mix:
            if channel not in codes.channels or direction not in codes.channels[channel].codes:
                where = field_path(("channels", direction, channel))
                known = ", ".join(c for c, spec in codes.channels.items() if direction in spec.codes)
                raise ProfileError(
                    f"{path}: " + said("profile.not_a_channel", where=where, direction=direction, known=known)
                )
        channels[direction] = {c: float(w) for c, w in mix.items()}
    hours = {
        channel: {kind: (int(span[0]), int(span[1])) for kind, span in spans.items()}
        for channel, spans in (raw.get("hours") or {}).items()
    }
    types = {t: float(w) for t, w in raw["inquiry_types"].items()}
    unknown = set(types) - set(codes.inquiry_types)
    if unknown:
        where = field_path(("inquiry_types", sorted(unknown)[0]))
        known = ", ".join(codes.inquiry_types)
        raise ProfileError(f"{path}: " + said("profile.not_a_type", where=where, known=known))
    found = municipality_table().resolve(str(raw["municipality"]))
    if found is None:
        raise ProfileError(f"{path}: " + said("profile.municipality", value=excerpt(raw["municipality"])))
    departments = []
    for name, d in raw["departments"].items():
        try:
            slug = unit_department(str(name), found.number)
        except NoSlug as exc:
            raise ProfileError(f"{path}: {field_path(('departments', name))}: {exc}") from None
        departments.append(Department(slug, str(name).strip(), float(d["weight"]), tuple(d.get("kle", ()))))
    return Profile(
        municipality=found.number,
        inquiries_per_day=int(raw["inquiries_per_day"]),
        weekend_factor=float(raw.get("weekend_factor", 0.15)),
        direction_weights={k: float(v) for k, v in raw["direction_weights"].items()},
        channels=channels,
        hours=hours,
        inquiry_types=types,
        immediate_share=float(raw.get("immediate_share", 0.6)),
        form_share=float(raw.get("form_share", 0.3)),
        departments=tuple(departments),
    )


@dataclass(frozen=True)
class NationalProfile:
    """All municipalities: a base profile, each municipality's population and how its channel mix varies."""

    base: Profile
    per_inhabitant_per_year: float
    scale: float  # of the real volume (a demo needs less than 300 million a year)
    maturity_effect: Mapping[str, Mapping[str, float]]  # direction -> channel -> weight change at maturity 1
    population: Mapping[str, int]  # municipality number -> inhabitants

    def inquiries_per_year(self, municipality: str) -> float:
        return self.population[municipality] * self.per_inhabitant_per_year * self.scale


def load_national_profile(path: Path | None = None) -> NationalProfile:
    """Read the national profile (default: the shipped deploy/simulator/national.yaml) and its base profile."""
    path = simulator_profile("national.yaml") if path is None else path
    raw = _read(path, "national simulator profile", "simulator-national.v1.json")
    base = load_profile(path.parent / str(raw["base"]))
    effects = {d: {c: float(w) for c, w in mix.items()} for d, mix in (raw.get("maturity_effect") or {}).items()}
    for direction, mix in effects.items():
        for channel in mix:
            if channel not in base.channels.get(direction, {}):
                where = field_path(("maturity_effect", direction, channel))
                raise ProfileError(f"{path}: " + said("profile.not_in_base", where=where))
    population = {str(k): int(v) for k, v in raw["population"].items()}
    unknown = sorted(n for n in population if not municipality_table().is_number(n))
    if unknown:
        where = field_path(("population", unknown[0]))
        raise ProfileError(f"{path}: " + said("profile.population", where=where))
    return NationalProfile(
        base=base,
        per_inhabitant_per_year=float(raw["inquiries_per_inhabitant_per_year"]),
        scale=float(raw.get("scale", 1.0)),
        maturity_effect=effects,
        population=population,
    )
