"""What the adapters of systems' own formats share: ids that never look like a CPR number, units, the Danish summary."""

from __future__ import annotations

import doctest
from collections import Counter
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.domain.events.privacy import contains_cpr
from streams.ingress.adapters import asterisk, memo, native, summary, teams
from streams.ingress.adapters.base import SourceRecord
from streams.ingress.adapters.native import UnitKey, department_of, hashed_id, uuid_id
from tests.factories import TZ
from tests.unit.adapters.source_pairs import mapping_of

MAPPING = mapping_of("asterisk", asterisk.ADAPTER)


@pytest.mark.parametrize("module", [native, summary, asterisk, memo, teams], ids=lambda m: m.__name__)
def test_the_examples_in_the_docstrings_hold(module: ModuleType) -> None:
    assert doctest.testmod(module).failed == 0


def test_a_uuid_that_holds_a_cpr_like_number_gives_an_id_that_does_not() -> None:
    text = "a1b2c3d4-e5f6-4a7b-8c9d-a1207814427b"
    assert contains_cpr(text)
    assert not contains_cpr(uuid_id("memo", text))
    assert uuid_id("memo", text) == uuid_id("memo", text.upper()) == uuid_id("memo", "{" + text + "}")


@given(st.uuids())
def test_no_uuid_gives_an_id_that_looks_like_a_cpr_number(value: object) -> None:
    assert not contains_cpr(uuid_id("teams", str(value)))


@given(st.text(min_size=1, max_size=200))
def test_no_text_gives_a_hashed_id_that_looks_like_a_cpr_number_or_is_too_long(text: str) -> None:
    made = hashed_id("asterisk", text)
    assert not contains_cpr(made) and len(made) <= 128 and made.isascii()


def _record() -> SourceRecord:
    return SourceRecord("f", 1, {}, TZ)


def test_the_first_key_the_mapping_names_wins_whatever_its_case() -> None:
    record = _record()
    keys = [UnitKey("kø", "7009"), UnitKey("accountcode", " BYG ")]
    assert department_of(record, MAPPING, keys, "ingen") == ("byggeri-og-miljoe", "byg")
    assert record.notes == []


def test_an_unmapped_key_counts_under_unknown_with_a_note_naming_it() -> None:
    record = _record()
    assert department_of(record, MAPPING, [UnitKey("kø", "7009"), UnitKey("lokalnummer", "4999")], "x") == (
        "unknown",
        None,
    )
    assert record.notes == ["kø '7009' står ikke i mappingens departments: talt under unknown"]
    empty = _record()
    department_of(empty, MAPPING, [UnitKey("kø", " ")], "opkaldet nævner ingen kø")
    assert empty.notes == ["opkaldet nævner ingen kø: talt under unknown"]


def test_the_summary_says_skips_and_notes_in_danish_with_danish_numbers() -> None:
    assert summary.skipped_line(Counter()) is None
    assert summary.skipped_line(Counter({"internal_call": 1200, "meeting": 1, "new_reason": 2})) == (
        "sprunget over (ikke henvendelser): 1.200 interne opkald; 2 new_reason; 1 onlinemøde"
    )
    notes = Counter({f"kø '{n}' står ikke i mappingens departments: talt under unknown": n for n in range(1, 13)})
    lines = summary.note_lines(notes)
    assert lines[0] == "bemærkning (12 gange): kø '12' står ikke i mappingens departments: talt under unknown"
    assert lines[-1] == "og 2 andre bemærkninger om 3 poster"
    assert len(lines) == summary.MAX_NOTES + 1
