"""Realistic, reproducible inquiry traffic for demos, tests and benchmarks.

A profile (deploy/simulator/*.yaml) describes a municipality: departments and their
weight, the channel mix per direction, when staffed channels are open, inquiry types.
The same seed and start give the same events, so a test can publish a simulated day and
know exactly what must be counted.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from streams.contract.errors import UnusableInput
from streams.documents.reading import YamlFileError, read_yaml
from streams.documents.shipped import simulator_profile
from streams.domain.events.codes import code_table
from streams.domain.organisation.departments import NoSlug, unit_department
from streams.domain.organisation.municipalities import is_municipality_number, resolve


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


def load_profile(path: Path | None = None) -> Profile:
    """Read and check a profile (default: the shipped Ishøj profile); errors name the file and the key."""
    path = simulator_profile() if path is None else path
    try:
        raw = read_yaml(path)
    except YamlFileError as exc:
        raise ProfileError(str(exc)) from None
    codes = code_table()

    def need(mapping: Mapping[str, Any], key: str, where: str) -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise ProfileError(f"{path}: {where}{key} is missing")
        return mapping[key]

    channels: dict[str, dict[str, float]] = {}
    for direction, mix in need(raw, "channels", "").items():
        for channel in mix:
            if channel not in codes.channels or direction not in codes.channels[channel].codes:
                raise ProfileError(
                    f"{path}: channels.{direction}.{channel} is not a channel with direction {direction}"
                )
        channels[direction] = {c: float(w) for c, w in mix.items()}
    hours = {
        channel: {kind: (int(span[0]), int(span[1])) for kind, span in spans.items()}
        for channel, spans in (raw.get("hours") or {}).items()
    }
    types = {t: float(w) for t, w in need(raw, "inquiry_types", "").items()}
    unknown = set(types) - set(codes.inquiry_types)
    if unknown:
        raise ProfileError(f"{path}: inquiry_types.{sorted(unknown)[0]} is not a KOMHEN inquiry type")
    found = resolve(str(need(raw, "municipality", "")))
    if found is None:
        raise ProfileError(f"{path}: municipality {raw['municipality']!r} is none of the 98 municipalities")
    departments = []
    for name, d in need(raw, "departments", "").items():
        if not isinstance(d, dict) or "name" in d:
            raise ProfileError(
                f"{path}: departments.{name} must be {{weight: …, kle: […]}} under the unit's name "
                "(e.g. 'Børn og Unge:'); its department is made from the name"
            )
        try:
            slug = unit_department(str(name), found.number)
        except NoSlug as exc:
            raise ProfileError(f"{path}: departments.{name}: {exc}") from None
        departments.append(Department(slug, str(name).strip(), float(d["weight"]), tuple(d.get("kle", ()))))
    return Profile(
        municipality=found.number,
        inquiries_per_day=int(need(raw, "inquiries_per_day", "")),
        weekend_factor=float(raw.get("weekend_factor", 0.15)),
        direction_weights={k: float(v) for k, v in need(raw, "direction_weights", "").items()},
        channels=channels,
        hours=hours,
        inquiry_types=types,
        immediate_share=float(raw.get("immediate_share", 0.6)),
        form_share=float(raw.get("form_share", 0.3)),
        departments=tuple(departments),
    )


class Simulator:
    """Generates schema v1 events from a profile with a seeded random source."""

    def __init__(
        self, profile: Profile, *, tz: ZoneInfo, seed: int = 1, random_source: random.Random | None = None
    ) -> None:
        self.profile = profile
        self.tz = tz
        self.seed = seed
        self._random = random_source or random.Random(seed)
        self._count = 0
        self._id_prefix = f"sim-{seed}-" if random_source is None else f"sim-{seed}-{profile.municipality}-"

    def _pick(self, weights: Mapping[str, float]) -> str:
        keys = list(weights)
        return self._random.choices(keys, weights=[weights[k] for k in keys])[0]

    def event_at(self, moment: datetime) -> dict[str, Any]:
        """One inquiry at a local moment, on a channel that is open then."""
        p, rnd = self.profile, self._random
        local = moment.astimezone(self.tz)
        direction = self._pick(p.direction_weights)
        mix = {c: w for c, w in p.channels[direction].items() if p.is_open(c, local)}
        fallback = {"self_service": 1.0} if direction == "in" else {"digital_post": 1.0}
        channel = self._pick(mix or fallback)
        department = rnd.choices(p.departments, weights=[d.weight for d in p.departments])[0]
        self._count += 1
        event: dict[str, Any] = {
            "schema_version": 1,
            "event_id": f"{self._id_prefix}{self._count}",
            "source": "simulator",
            "occurred_at": local.isoformat(timespec="seconds"),
            "municipality": p.municipality,
            "department": department.slug,
            "department_name": department.name,
            "channel": channel,
            "direction": direction,
            "inquiry_type": self._pick(p.inquiry_types),
        }
        if department.kle:
            event["kle"] = rnd.choice(department.kle)
        if code_table().channels[channel].immediate_allowed:
            event["completion"] = "immediate" if rnd.random() < p.immediate_share else "forwarded"
        elif direction == "in":
            event["completion"] = "forwarded"
        event["form"] = rnd.random() < p.form_share
        return event

    def day(self, day: date) -> Iterator[dict[str, Any]]:
        """A whole local day of inquiries, in time order, busier in office hours."""
        n = self.profile.inquiries_per_day
        if day.weekday() >= 5:
            n = int(n * self.profile.weekend_factor)
        start = datetime.combine(day, time(0), self.tz)
        seconds = sorted(self._office_second() for _ in range(n))
        for s in seconds:
            yield self.event_at(start + timedelta(seconds=s))

    def _office_second(self) -> int:
        # Four in five inquiries fall between 08 and 16; the rest anywhere in the day.
        if self._random.random() < 0.8:
            return self._random.randrange(8 * 3600, 16 * 3600)
        return self._random.randrange(0, 24 * 3600)


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
    try:
        raw = read_yaml(path)
    except YamlFileError as exc:
        raise ProfileError(str(exc)) from None
    for key in ("base", "inquiries_per_inhabitant_per_year", "population"):
        if not isinstance(raw, dict) or key not in raw:
            raise ProfileError(f"{path}: {key} is missing")
    base = load_profile(path.parent / str(raw["base"]))
    effects = {d: {c: float(w) for c, w in mix.items()} for d, mix in (raw.get("maturity_effect") or {}).items()}
    for direction, mix in effects.items():
        for channel in mix:
            if channel not in base.channels.get(direction, {}):
                raise ProfileError(f"{path}: maturity_effect.{direction}.{channel} is not in the base profile's mix")
    population = {str(k): int(v) for k, v in raw["population"].items()}
    if not population or any(n <= 0 for n in population.values()):
        raise ProfileError(f"{path}: population must give every municipality a positive number of inhabitants")
    unknown = sorted(n for n in population if not is_municipality_number(n))
    if unknown:
        raise ProfileError(f"{path}: population.{unknown[0]} is none of the 98 municipality numbers")
    return NationalProfile(
        base=base,
        per_inhabitant_per_year=float(raw["inquiries_per_inhabitant_per_year"]),
        scale=float(raw.get("scale", 1.0)),
        maturity_effect=effects,
        population=population,
    )


def maturity(seed: int, municipality: str) -> float:
    """A municipality's digital maturity in [-1, 1], the same for the same seed."""
    return random.Random(f"{seed}-{municipality}").uniform(-1.0, 1.0)


def municipality_profile(national: NationalProfile, municipality: str, seed: int = 1) -> Profile:
    """The base profile for one municipality: its number, its volume and its channel mix."""
    base, m = national.base, maturity(seed, municipality)
    channels = {
        direction: {
            channel: weight * max(0.0, 1 + m * national.maturity_effect.get(direction, {}).get(channel, 0.0))
            for channel, weight in mix.items()
        }
        for direction, mix in base.channels.items()
    }
    weekdays_per_week = 5 + 2 * base.weekend_factor  # a weekend day has weekend_factor of a weekday's volume
    per_weekday = national.inquiries_per_year(municipality) / (365 * weekdays_per_week / 7)
    return replace(base, municipality=municipality, channels=channels, inquiries_per_day=round(per_weekday))


class NationalSimulator:
    """Every municipality of a national profile, each with its own seeded simulator.

    A whole day yields each municipality's day in turn; a live event goes to a municipality
    drawn by population. Event ids carry the municipality, so they are unique across the country.
    """

    def __init__(self, national: NationalProfile, *, tz: ZoneInfo, seed: int = 1) -> None:
        self.national = national
        self._random = random.Random(seed)
        self.simulators = {
            m: Simulator(
                municipality_profile(national, m, seed), tz=tz, seed=seed, random_source=random.Random(f"{seed}/{m}")
            )
            for m in sorted(national.population)
        }
        self._numbers = list(self.simulators)
        self._weights = [national.population[m] for m in self._numbers]

    def event_at(self, moment: datetime) -> dict[str, Any]:
        municipality = self._random.choices(self._numbers, weights=self._weights)[0]
        return self.simulators[municipality].event_at(moment)

    def day(self, day: date) -> Iterator[dict[str, Any]]:
        for simulator in self.simulators.values():
            yield from simulator.day(day)
