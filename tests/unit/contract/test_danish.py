"""The Danish texts every output shares: one table per thing named, naming every member of it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest

from streams.contract.danish import (
    LEAGUE_MEASURE_NAMES_DA,
    MEASURE_NAMES_DA,
    MONTHS_DA,
    STATE_NAMES_DA,
    VERDICTS_DA,
    WEEKDAY_NAMES_DA,
    WINDOW_NAMES_DA,
    numeric_date,
)
from streams.domain.counting.windows import WINDOWS
from streams.domain.measures.league import LeagueMeasure
from streams.domain.measures.measures import Measure
from streams.domain.measures.progress import TargetState
from streams.domain.report.goals import Verdict


@pytest.mark.parametrize(
    ("table", "named"),
    [
        (WINDOW_NAMES_DA, list(WINDOWS)),
        (MEASURE_NAMES_DA, [m.value for m in Measure]),
        (LEAGUE_MEASURE_NAMES_DA, [m.value for m in LeagueMeasure]),
        (STATE_NAMES_DA, [s.value for s in TargetState]),
        (VERDICTS_DA, [v.value for v in Verdict]),
    ],
    ids=["windows", "target measures", "league measures", "target states", "verdicts"],
)
def test_a_name_table_names_every_member_in_the_members_order(table: Mapping[str, str], named: list[str]) -> None:
    assert list(table) == named


def test_an_enum_member_looks_its_name_up_as_itself() -> None:
    assert MEASURE_NAMES_DA[Measure.PAPER_SHARE] == "papirandel"
    assert STATE_NAMES_DA[TargetState.TOO_FEW_INQUIRIES] == "for få henvendelser"
    assert LEAGUE_MEASURE_NAMES_DA[LeagueMeasure.COST_PER_INQUIRY] == "pris pr. henvendelse"


def test_weekdays_start_on_sunday_as_promql_and_dates_are_written_as_danes_do() -> None:
    assert (WEEKDAY_NAMES_DA[0], WEEKDAY_NAMES_DA[1], len(WEEKDAY_NAMES_DA)) == ("søndag", "mandag", 7)
    assert (MONTHS_DA[0], MONTHS_DA[11], len(MONTHS_DA)) == ("januar", "december", 12)
    assert numeric_date(date(2026, 12, 1)) == "1.12.2026"
