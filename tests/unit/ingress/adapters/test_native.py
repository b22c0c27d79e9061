"""What the adapters of systems' own formats share: ids that never look like a CPR number, units in any case."""

from __future__ import annotations

import doctest
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.domain.events.privacy import contains_cpr
from streams.ingress.adapters import asterisk, memo, native, teams
from streams.ingress.adapters.base import SourceRecord
from streams.ingress.adapters.native import department_of, hashed_id, uuid_id
from tests.fixtures.factories import TZ
from tests.unit.ingress.sources.golden import SOURCES, inputs, read_copy, source

MAPPING = source(SOURCES / "asterisk")[1]


@pytest.mark.parametrize("module", [native, asterisk, memo, teams], ids=lambda m: m.__name__)
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
    assert department_of(record, MAPPING, ["7009", " BYG "]) == ("byggeri-og-miljoe", "byg")
    assert record.unmapped is None


def test_an_unmapped_key_counts_under_unknown_and_the_record_says_which_to_map() -> None:
    record = _record()
    assert department_of(record, MAPPING, ["7009", "4999"]) == ("unknown", None)
    assert record.unmapped == "7009"
    empty = _record()
    assert department_of(empty, MAPPING, [" ", ""]) == ("unknown", None)
    assert empty.unmapped == ""


@pytest.mark.parametrize("name", ["memo", "asterisk", "teams"])
def test_a_posted_body_reads_as_the_file_does(name: str, tmp_path: Path) -> None:
    """The ingest hands a pushed file's bytes to read_content: the same results as reading the file."""
    adapter, mapping = source(SOURCES / name)
    for sample in inputs(name):
        if "nemsms" in sample.name:
            continue  # without a body its time is the file's; a posted message has no file
        mapping = source(SOURCES / name, sample)[1]
        from_file = read_copy(adapter, sample, mapping, tmp_path)
        posted = list(adapter.read_content(str(tmp_path / sample.name), sample.read_bytes(), mapping))
        assert posted == from_file, sample.name
