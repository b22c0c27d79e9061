"""Realistic, reproducible inquiry traffic for demos, tests and benchmarks.

A profile (deploy/simulator/*.yaml, read by streams.documents.profiles) describes a municipality:
departments and their weight, the channel mix per direction, when staffed channels are open,
inquiry types.
The same seed and start give the same events, so a test can publish a simulated day and
know exactly what must be counted.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from streams.documents.profiles import NationalProfile, Profile
from streams.documents.reference import code_table


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
