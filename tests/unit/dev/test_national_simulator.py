"""National traffic: every municipality, scaled by population, each with its own reproducible channel mix."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from streams.dev.simulator import NationalSimulator, maturity, municipality_profile
from streams.documents.profiles import ProfileError, load_national_profile
from streams.documents.reference import municipality_table
from tests.fixtures.factories import REPO_ROOT, TZ


def test_the_shipped_national_profile_covers_exactly_the_98_municipalities() -> None:
    national = load_national_profile()
    assert sorted(national.population) == [m.number for m in municipality_table().all()]
    assert 5_800_000 < sum(national.population.values()) < 6_100_000  # Denmark, 2024


def test_volume_follows_population_and_a_year_of_weekdays_and_weekends_adds_up() -> None:
    national = replace(load_national_profile(), scale=1.0)
    copenhagen, laesoe = municipality_profile(national, "101"), municipality_profile(national, "825")
    assert copenhagen.inquiries_per_day / laesoe.inquiries_per_day == pytest.approx(660_000 / 1_800, rel=0.01)
    week = copenhagen.inquiries_per_day * (5 + 2 * copenhagen.weekend_factor)
    assert week * 365 / 7 == pytest.approx(660_000 * 61, rel=0.001)


def test_the_channel_mix_spreads_with_maturity_and_the_same_seed_gives_the_same_country() -> None:
    national = replace(load_national_profile(), scale=0.02)
    first = list(NationalSimulator(national, tz=TZ, seed=3).day(date(2026, 11, 18)))
    again = list(NationalSimulator(national, tz=TZ, seed=3).day(date(2026, 11, 18)))
    assert first == again
    assert {e["municipality"] for e in first} == set(national.population)
    assert len({e["event_id"] for e in first}) == len(first)  # unique across the country
    incoming: Counter[str] = Counter()
    self_service: Counter[str] = Counter()
    for e in first:
        if e["direction"] == "in":
            incoming[e["municipality"]] += 1
            self_service[e["municipality"]] += e["channel"] == "self_service"
    big = [m for m, n in incoming.items() if n >= 300]
    most = max(big, key=lambda m: maturity(3, m))
    least = min(big, key=lambda m: maturity(3, m))
    assert self_service[most] / incoming[most] > self_service[least] / incoming[least] + 0.1


def test_a_population_for_an_unknown_municipality_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ishoej.yaml").write_text(
        (REPO_ROOT / "deploy" / "simulator" / "ishoej.yaml").read_text("utf-8"), "utf-8"
    )
    path = tmp_path / "national.yaml"
    path.write_text('base: ishoej.yaml\ninquiries_per_inhabitant_per_year: 61\npopulation: {"999": 1000}\n', "utf-8")
    with pytest.raises(ProfileError, match=r"population\.999 er ikke et af de 98 kommunenumre$"):
        load_national_profile(path)
