"""Measures over joint cell counts: exact values from one table of counts, None for an empty population."""

from __future__ import annotations

import json

import pytest

from streams.documents.reference import channel_prices, code_table, measure_book
from streams.domain.counting.day_buckets import Cell
from streams.domain.measures.measures import Measure, Selector, measure_value
from tests.fixtures.factories import SCHEMAS

# 100 incoming and 50 outgoing inquiries.
COUNTS: dict[Cell, int] = {
    Cell("self_service", "in", "OPRET", "23.05.10", None, None): 30,
    Cell("self_service", "in", None, None, None, None): 10,
    Cell("phone", "in", "OPRET", "23.05.10", "immediate", None): 20,
    Cell("phone", "in", "INFO", None, "forwarded", None): 10,
    Cell("phone", "in", None, None, None, None): 5,
    Cell("personal", "in", "STATUS", "02.34.02", "forwarded", True): 10,
    Cell("personal", "in", "VEJL", None, "immediate", None): 5,
    Cell("email", "in", "INFO", None, "forwarded", None): 5,
    Cell("letter", "in", "OPRET", "02.34.02", "forwarded", True): 5,
    Cell("digital_post", "out", None, None, "forwarded", None): 40,
    Cell("letter", "out", None, None, "forwarded", None): 6,
    Cell("remote_print", "out", None, None, None, None): 4,
}

CASES = [
    (
        "self-service share of incoming",
        Measure.CHANNEL_SHARE,
        Selector(channels=frozenset({"self_service"})),
        Selector(),
        0.4,
    ),
    ("personal share of incoming", Measure.CHANNEL_SHARE, Selector(channels=frozenset({"personal"})), Selector(), 0.15),
    (
        "outgoing calls when none were made",
        Measure.CHANNEL_SHARE,
        Selector(channels=frozenset({"phone"})),
        Selector(direction="out"),
        0.0,
    ),
    ("digital share of incoming", Measure.DIGITAL_SHARE, Selector(), Selector(), 0.45),
    ("digital share of outgoing", Measure.DIGITAL_SHARE, Selector(), Selector(direction="out"), 0.8),
    ("self-service rate for moving", Measure.SELF_SERVICE_RATE, Selector(), Selector(kle=("23.05",)), 0.6),
    ("self-service rate for building", Measure.SELF_SERVICE_RATE, Selector(), Selector(kle=("02",)), 0.0),
    (
        "self-service rate for a task without transactions",
        Measure.SELF_SERVICE_RATE,
        Selector(),
        Selector(kle=("99",)),
        None,
    ),
    (
        "first-contact resolution of phone and personal",
        Measure.FIRST_CONTACT_RESOLUTION,
        Selector(),
        Selector(),
        25 / 45,
    ),
    (
        "first-contact resolution of phone only",
        Measure.FIRST_CONTACT_RESOLUTION,
        Selector(),
        Selector(channels=frozenset({"phone"})),
        20 / 30,
    ),
    ("outgoing Digital Post share", Measure.DIGITAL_POST_OUT_SHARE, Selector(), Selector(), 0.8),
    ("paper share of all inquiries", Measure.PAPER_SHARE, Selector(), Selector(), 0.1),
    ("paper share of incoming", Measure.PAPER_SHARE, Selector(), Selector(direction="in"), 0.05),
    (
        "paper share of new cases",
        Measure.PAPER_SHARE,
        Selector(),
        Selector(inquiry_types=frozenset({"OPRET"})),
        5 / 55,
    ),
    ("cost per priced inquiry", Measure.COST_PER_INQUIRY, Selector(), Selector(), 3900 / 110),
    ("cost per priced incoming inquiry", Measure.COST_PER_INQUIRY, Selector(), Selector(direction="in"), 33.0),
    (
        "cost when only unpriced channels were used",
        Measure.COST_PER_INQUIRY,
        Selector(),
        Selector(channels=frozenset({"digital_post"})),
        None,
    ),
]


@pytest.mark.parametrize(
    ("measure", "numerator", "denominator", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_measure_has_its_exact_value(
    measure: Measure, numerator: Selector, denominator: Selector, expected: float | None
) -> None:
    book = measure_book()
    resolved = book.resolve(measure, numerator, denominator)
    assert measure_value(measure, COUNTS, *resolved, book.prices_for(measure)) == expected


@pytest.mark.parametrize("measure", list(Measure))
def test_no_inquiries_is_no_value_not_zero(measure: Measure) -> None:
    book = measure_book()
    resolved = book.resolve(measure, Selector(), Selector(kle=("23.05",)))
    assert measure_value(measure, {}, *resolved, book.prices_for(measure)) is None


@pytest.mark.parametrize(
    ("prefixes", "kle", "matches"),
    [
        (("02",), "02.34.02", True),
        (("23.05",), "23.05.10", True),
        (("23.05",), "23.05", True),
        (("23.05",), "23.06.01", False),
        (("23.05.10",), "23.05", False),
        (("23",), None, False),
    ],
)
def test_kle_prefixes_match_whole_groups(prefixes: tuple[str, ...], kle: str | None, matches: bool) -> None:
    assert Selector(kle=prefixes).matches(Cell("phone", "in", "OPRET", kle, None, None)) is matches


def test_a_file_selector_replaces_only_the_fields_it_sets() -> None:
    numerator, denominator = measure_book().resolve(
        Measure.SELF_SERVICE_RATE, Selector(), Selector(kle=("02",), inquiry_types=frozenset({"OPRET"}))
    )
    assert numerator == Selector(channels=frozenset({"self_service"}))
    assert denominator == Selector(inquiry_types=frozenset({"OPRET"}), kle=("02",))


def test_the_kl_prices_are_in_one_file_covering_every_channel() -> None:
    raw = json.loads((SCHEMAS / "channel-prices.v1.json").read_text(encoding="utf-8"))
    assert set(raw["prices"]) == set(code_table().channels)
    assert dict(channel_prices()) == {
        "self_service": 5.0,
        "phone": 40.0,
        "email": 55.0,
        "letter": 60.0,
        "remote_print": 60.0,
        "personal": 75.0,
    }
